#!/usr/bin/env node
// An independent SigV4 signer for cross-checking ours: the npm package `aws4`.
// Reads one JSON request per stdin line:
//   {"method","host","path" (encoded, as sent),"query" (encoded, as sent),"headers": {name: value},
//    "region","service","access_key_id","secret_access_key"}
// where headers already hold x-amz-date, x-amz-content-sha256 and x-amz-security-token as
// sent; writes one JSON line per request: {"authorization": "..."}.
import readline from 'node:readline';
import aws4 from 'aws4';

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const r = JSON.parse(line);
  const signed = aws4.sign({
    host: r.host,
    method: r.method,
    path: r.query ? `${r.path}?${r.query}` : r.path,
    service: r.service,
    region: r.region,
    headers: { ...r.headers },
  }, { accessKeyId: r.access_key_id, secretAccessKey: r.secret_access_key });
  process.stdout.write(`${JSON.stringify({ authorization: signed.headers.Authorization })}\n`);
}
