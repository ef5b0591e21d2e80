// A minimal stand-in for testing the harness and our HTTP transport: answers every request
// with what it received (method, path, headers, body in base64) as JSON. With TLS_CERT and TLS_KEY
// (PEM files) in the environment it speaks HTTPS instead.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { listen } from '../../tools/standins/listen.mjs';

const handler = (req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const status = Number(new URL(req.url, 'http://x').searchParams.get('status') ?? 200);
    res.writeHead(status, { 'content-type': 'application/json', 'x-echo': 'yes' });
    res.end(JSON.stringify({
      method: req.method,
      path: req.url,
      headers: req.headers,
      body_base64: Buffer.concat(chunks).toString('base64'),
      pid: process.pid,
    }));
  });
};

const tls = process.env.TLS_CERT && process.env.TLS_KEY;
const server = tls
  ? https.createServer({ cert: fs.readFileSync(process.env.TLS_CERT),
                         key: fs.readFileSync(process.env.TLS_KEY) }, handler)
  : http.createServer(handler);
await listen(server);
