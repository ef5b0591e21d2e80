#!/usr/bin/env node
// Stand-in for the EC2 Instance Metadata Service, IMDSv2 (session tokens), limited to what a
// credential provider reads: the token, the role name and the role's credentials.
//
// Followed: Amazon EC2 User Guide, "Use the Instance Metadata Service to access instance
// metadata" / "How Instance Metadata Service Version 2 works", "Access instance metadata for
// an EC2 instance" (responses and error codes, query throttling), and "Retrieve security
// credentials from instance metadata" (the iam/security-credentials document).
//
//   PUT /latest/api/token            X-aws-ec2-metadata-token-ttl-seconds: 1..21600
//     200 text/plain TOKEN, response header X-aws-ec2-metadata-token-ttl-seconds: TTL
//     400 header missing or not an integer in 1..21600 ("Missing or Invalid Parameters")
//     403 request carries X-Forwarded-For, or PUT to a version path such as /2021-03-23/api/token
//   GET /latest/meta-data/iam/security-credentials/        X-aws-ec2-metadata-token: TOKEN
//     200 text/plain ROLE_NAME
//   GET /latest/meta-data/iam/security-credentials/ROLE_NAME
//     200 text/plain (yes: the JSON document is served as text/plain, like all metadata)
//       {
//         "Code" : "Success",
//         "LastUpdated" : "2024-05-01T12:00:00Z",
//         "Type" : "AWS-HMAC",
//         "AccessKeyId" : "ASIA...",
//         "SecretAccessKey" : "...",
//         "Token" : "...",
//         "Expiration" : "2024-05-01T18:00:00Z"
//       }
//   GET /latest/meta-data/iam/info   InstanceProfileArn / InstanceProfileId document
//   401 GET without a token (IMDSv2 only, the default), or with an unknown/expired token
//   404 unknown role or path (e.g. the newer security-credentials-extended/ path some SDKs try
//       first, falling back to security-credentials/)
//   405 any method other than GET/HEAD (PUT only for the token)
//   503 --fail-first with --fail-mode server ("The request could not be completed. Retry")
//   429 --fail-first with --fail-mode throttle (the docs describe throttling but give no status
//       code; 429 is what SDKs treat as throttling)
// Error bodies are small XHTML pages ("401 - Unauthorized"), text/html, as IMDS sends.
// Each GET of a role's credentials issues a new credential set (the real service rotates them
// only every few hours) so tests can see a refresh.
//
// Flags:
//   --role-name NAME            the instance profile's role (default slack-intel-instance-role)
//   --instance-profile-arn ARN  for iam/info (default arn:aws:iam::123456789012:instance-profile/slack-intel-test)
//   --allow-imdsv1              also answer GETs that carry no token (HttpTokens=optional);
//                               without it the server is IMDSv2-only (HttpTokens=required)
//   --expires-in-seconds N      Expiration = now + N (default 3600)
//   --fail-first N, --fail-mode server|throttle, --log FILE, --now ISO, --seed S (aws-common.mjs)
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { listen } from './listen.mjs';
import {
  CredentialIssuer, intFlag, isoSeconds, makeClock, makeFaultInjector, makeRequestLog, parseFlags, redacted, send,
  splitTarget,
} from './aws-common.mjs';

const USAGE = `usage: node aws-imds.mjs [--role-name NAME] [--instance-profile-arn ARN] [--allow-imdsv1]
  [--expires-in-seconds N] [--fail-first N] [--fail-mode server|throttle] [--log FILE] [--now ISO]
  [--seed S]
`;

const flags = parseFlags({
  'role-name': { type: 'string' },
  'instance-profile-arn': { type: 'string' },
  'allow-imdsv1': { type: 'boolean' },
}, USAGE);

const config = {
  roleName: flags['role-name'] ?? 'slack-intel-instance-role',
  instanceProfileArn: flags['instance-profile-arn'] ?? 'arn:aws:iam::123456789012:instance-profile/slack-intel-test',
  allowImdsV1: Boolean(flags['allow-imdsv1']),
  expiresInSeconds: intFlag(flags, 'expires-in-seconds', 3600, USAGE),
};
const now = makeClock(flags, USAGE);
const faults = makeFaultInjector(flags, USAGE);
const log = makeRequestLog(flags, 'imds');
const issuer = new CredentialIssuer('ASIAIMDSTEST', flags.seed);

const MAX_TOKEN_TTL_SECONDS = 21600;  // six hours, the documented maximum session length
const CREDENTIALS_PREFIX = '/latest/meta-data/iam/security-credentials';
const tokens = new Map();  // token -> expiry (epoch ms); guards nothing else, single-threaded

const REASONS = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 429: 'Too Many Requests', 503: 'Service Unavailable' };

function errorPage(status) {
  const title = `${status} - ${REASONS[status]}`;
  return '<?xml version="1.0" encoding="iso-8859-1"?>\n' +
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n' +
    '         "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n' +
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n' +
    ` <head>\n  <title>${title}</title>\n </head>\n <body>\n  <h1>${title}</h1>\n </body>\n</html>\n`;
}

// IMDS prints its JSON documents with "key" : value pairs, two-space indented.
function imdsJson(fields) {
  const lines = Object.entries(fields).map(([k, v]) => `  ${JSON.stringify(k)} : ${JSON.stringify(v)}`);
  return `{\n${lines.join(',\n')}\n}`;
}

function issueToken(ttlSeconds) {
  const token = randomBytes(42).toString('base64');
  tokens.set(token, now() + ttlSeconds * 1000);
  return token;
}

// 'valid' | 'missing' | 'invalid' | 'expired'
function checkToken(token) {
  if (token === undefined) return 'missing';
  const expiry = tokens.get(token);
  if (expiry === undefined) return 'invalid';
  if (now() >= expiry) {
    tokens.delete(token);
    return 'expired';
  }
  return 'valid';
}

function handle(req, res, entry) {
  const { rawPath } = splitTarget(req.url);
  const text = (status, body) => ({ status, type: 'text/plain', body });
  const error = (status) => ({ status, type: 'text/html', body: errorPage(status) });

  if (faults.shouldFail()) {
    entry.injected_failure = faults.mode;
    return error(faults.mode === 'throttle' ? 429 : 503);
  }

  if (rawPath.endsWith('/api/token')) {
    if (req.method !== 'PUT') return error(405);
    // IMDSv2 refuses token requests that went through a proxy, and token requests to a
    // version path ("This behavior is intended").
    if (req.headers['x-forwarded-for'] !== undefined) return error(403);
    if (rawPath !== '/latest/api/token') return error(403);
    const ttlText = req.headers['x-aws-ec2-metadata-token-ttl-seconds'];
    if (ttlText === undefined || !/^\d+$/.test(ttlText.trim())) return error(400);
    const ttl = Number(ttlText.trim());
    if (ttl < 1 || ttl > MAX_TOKEN_TTL_SECONDS) return error(400);
    entry.token_ttl_seconds = ttl;
    return { ...text(200, issueToken(ttl)), headers: { 'X-aws-ec2-metadata-token-ttl-seconds': String(ttl) } };
  }

  if (req.method !== 'GET' && req.method !== 'HEAD') return error(405);
  const token = req.headers['x-aws-ec2-metadata-token'];
  const tokenState = checkToken(token);
  entry.auth = tokenState === 'missing' && config.allowImdsV1 ? 'imdsv1' : tokenState;
  // A request that carries the token header is an IMDSv2 request and must have a good token;
  // one without it is IMDSv1, allowed only with --allow-imdsv1.
  if (tokenState !== 'valid' && !(tokenState === 'missing' && config.allowImdsV1)) return error(401);

  if (rawPath === `${CREDENTIALS_PREFIX}/` || rawPath === CREDENTIALS_PREFIX) {
    return text(200, config.roleName);
  }
  if (rawPath === `${CREDENTIALS_PREFIX}/${config.roleName}`) {
    const creds = issuer.issue();
    entry.issued_access_key_id = creds.accessKeyId;
    return text(200, imdsJson({
      Code: 'Success',
      LastUpdated: isoSeconds(now()),
      Type: 'AWS-HMAC',
      AccessKeyId: creds.accessKeyId,
      SecretAccessKey: creds.secretAccessKey,
      Token: creds.sessionToken,
      Expiration: isoSeconds(now() + config.expiresInSeconds * 1000),
    }));
  }
  if (rawPath === '/latest/meta-data/iam/info') {
    const profileId = `AIPA${createHash('sha256').update(config.instanceProfileArn).digest('hex').toUpperCase().slice(0, 17)}`;
    return text(200, imdsJson({
      Code: 'Success',
      LastUpdated: isoSeconds(now()),
      InstanceProfileArn: config.instanceProfileArn,
      InstanceProfileId: profileId,
    }));
  }
  return error(404);
}

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const { rawPath, rawQuery } = splitTarget(req.url);
    const entry = { method: req.method, path: rawPath, query: rawQuery, auth: 'none', headers: {
      'x-aws-ec2-metadata-token': redacted(req.headers['x-aws-ec2-metadata-token']),
      'x-aws-ec2-metadata-token-ttl-seconds': req.headers['x-aws-ec2-metadata-token-ttl-seconds'] ?? null,
      'x-forwarded-for': req.headers['x-forwarded-for'] ?? null,
      'user-agent': req.headers['user-agent'] ?? null,
    } };
    try {
      const out = handle(req, res, entry);
      entry.status = out.status;
      log(entry);
      send(res, out.status, { 'Content-Type': out.type, ...(out.headers ?? {}) }, out.body);
    } catch (err) {
      process.stderr.write(`aws-imds: ${err.stack}\n`);
      if (!res.headersSent) send(res, 500, { 'Content-Type': 'text/plain' }, 'stand-in error\n');
    }
  });
});
await listen(server);
