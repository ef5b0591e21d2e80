#!/usr/bin/env node
// Stand-in for the Azure Instance Metadata Service's managed identity endpoint, limited to what
// a client of Azure Storage reads: an OAuth access token for a resource.
//
// Followed: Microsoft Entra "How to use managed identities for Azure resources on an Azure VM to
// acquire an access token" (the request, the JSON reply, the error replies) and the Azure
// Instance Metadata Service page (the Metadata: true header, refused proxied requests).
//
//   GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=R[&client_id=ID]
//       Metadata: true
//     200 application/json
//       {"access_token": "<JWT>", "client_id": "...", "expires_in": "3599",
//        "expires_on": "<Unix seconds>", "ext_expires_in": "3599", "not_before": "<Unix s>",
//        "resource": "R", "token_type": "Bearer"}
//     400 {"error":"invalid_request","error_description":"Required metadata header not specified"}
//         without Metadata: true; with X-Forwarded-For; without api-version or resource
//     400 {"error":"invalid_request","error_description":"Identity not found"} for a client_id
//         that is not the VM's (--client-id)
//     404 other paths; 405 other methods
//     500 / 429 --fail-first N with --fail-mode server|throttle (aws-common.mjs)
// The access token is a JWT as Azure AD issues it for Azure Storage (aud https://storage.azure.com,
// iss https://sts.windows.net/TENANT/, nbf, exp, oid, tid), signed with nothing a verifier
// would accept: Azurite's --oauth basic checks the claims, not the signature.
//
// Flags:
//   --tenant-id ID        (default 72f988bf-0000-4000-8000-000000000001)
//   --client-id ID        the identity's client id (default a fixed GUID)
//   --expires-in-seconds N  (default 3600)
//   --fail-first N, --fail-mode server|throttle, --log FILE, --now ISO, --seed S (aws-common.mjs)
import http from 'node:http';
import { listen } from './listen.mjs';
import { intFlag, makeClock, makeFaultInjector, makeRequestLog, parseFlags, redacted, send, splitTarget } from './aws-common.mjs';

const USAGE = `usage: node azure-imds.mjs [--tenant-id ID] [--client-id ID] [--expires-in-seconds N]
  [--fail-first N] [--fail-mode server|throttle] [--log FILE] [--now ISO] [--seed S]
`;
const flags = parseFlags({
  'tenant-id': { type: 'string' },
  'client-id': { type: 'string' },
}, USAGE);
const config = {
  tenantId: flags['tenant-id'] ?? '72f988bf-0000-4000-8000-000000000001',
  clientId: flags['client-id'] ?? '5ab5e3a5-0000-4000-8000-00000000c11e',
  expiresInSeconds: intFlag(flags, 'expires-in-seconds', 3600, USAGE),
};
const now = makeClock(flags, USAGE);
const faults = makeFaultInjector(flags, USAGE);
const log = makeRequestLog(flags, 'azure-imds');

const base64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

function accessToken(resource, issuedAt, expiresAt) {
  const header = { typ: 'JWT', alg: 'RS256', kid: 'standin-key' };
  const claims = {
    aud: resource.replace(/\/$/, ''), iss: `https://sts.windows.net/${config.tenantId}/`,
    iat: issuedAt, nbf: issuedAt, exp: expiresAt, appid: config.clientId,
    oid: '0b0b0b0b-0000-4000-8000-0000000000b1', sub: '0b0b0b0b-0000-4000-8000-0000000000b1',
    tid: config.tenantId, ver: '1.0',
  };
  return `${base64url(header)}.${base64url(claims)}.${Buffer.from('not-a-real-signature').toString('base64url')}`;
}

function handle(req, entry) {
  const json = (status, body) => ({ status, body: JSON.stringify(body) });
  const invalid = (description) => json(400, { error: 'invalid_request', error_description: description });
  if (faults.shouldFail()) {
    entry.injected_failure = faults.mode;
    return faults.mode === 'throttle'
      ? json(429, { error: 'too_many_requests', error_description: 'Too many requests' })
      : json(500, { error: 'unknown', error_description: 'An unexpected error occurred' });
  }
  const { rawPath, rawQuery } = splitTarget(req.url);
  if (rawPath !== '/metadata/identity/oauth2/token') return json(404, { error: 'not_found' });
  if (req.method !== 'GET') return json(405, { error: 'method_not_allowed' });
  if (req.headers.metadata !== 'true' || req.headers['x-forwarded-for'] !== undefined) {
    return invalid('Required metadata header not specified');
  }
  const params = new URLSearchParams(rawQuery);
  const resource = params.get('resource');
  if (params.get('api-version') === null || resource === null) {
    return invalid('Required query variable \'resource\' or \'api-version\' is missing');
  }
  const clientId = params.get('client_id');
  if (clientId !== null && clientId !== config.clientId) return invalid('Identity not found');
  entry.resource = resource;
  const issuedAt = Math.floor(now() / 1000);
  const expiresAt = issuedAt + config.expiresInSeconds;
  return json(200, {
    access_token: accessToken(resource, issuedAt, expiresAt), client_id: config.clientId,
    expires_in: String(config.expiresInSeconds), expires_on: String(expiresAt),
    ext_expires_in: String(config.expiresInSeconds), not_before: String(issuedAt), resource,
    token_type: 'Bearer',
  });
}

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const { rawPath, rawQuery } = splitTarget(req.url);
    const entry = { method: req.method, path: rawPath, query: rawQuery,
      headers: { metadata: req.headers.metadata ?? null, authorization: redacted(req.headers.authorization) } };
    try {
      const out = handle(req, entry);
      entry.status = out.status;
      log(entry);
      send(res, out.status, { 'Content-Type': 'application/json; charset=utf-8' }, out.body);
    } catch (err) {
      process.stderr.write(`azure-imds: ${err.stack}\n`);
      if (!res.headersSent) send(res, 500, { 'Content-Type': 'text/plain' }, 'stand-in error\n');
    }
  });
});
await listen(server);
