#!/usr/bin/env node
// Stand-in for AWS STS (Query API, version 2011-06-15): AssumeRole,
// AssumeRoleWithWebIdentity and GetCallerIdentity, on http://127.0.0.1:PORT/ (POST form body or
// GET query string).
//
// Followed:
// - AWS Security Token Service API Reference: "AssumeRole", "AssumeRoleWithWebIdentity",
//   "GetCallerIdentity", "Credentials", "AssumedRoleUser", "Common Errors"; the STS service model
//   (botocore data/sts/2011-06-15/service-2.json: error codes and HTTP statuses, parameter
//   constraints such as DurationSeconds 900..43200 and RoleSessionName [\w+=,.@-]{2,64}).
// - IAM User Guide "Create a signed AWS API request" for the SigV4 check (sigv4.mjs).
//
// Success: 200, Content-Type text/xml,
//   <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
//     <AssumeRoleResult>
//       [<SourceIdentity>..</SourceIdentity>]
//       <AssumedRoleUser><Arn>arn:aws:sts::ACCT:assumed-role/ROLE/SESSION</Arn>
//         <AssumedRoleId>AROA...:SESSION</AssumedRoleId></AssumedRoleUser>
//       <Credentials><AccessKeyId/><SecretAccessKey/><SessionToken/><Expiration>2024-05-01T13:00:00Z</Expiration></Credentials>
//     </AssumeRoleResult>
//     <ResponseMetadata><RequestId>uuid</RequestId></ResponseMetadata>
//   </AssumeRoleResponse>
// AssumeRoleWithWebIdentityResponse/AssumeRoleWithWebIdentityResult adds
//   SubjectFromWebIdentityToken, Audience, Provider (and SourceIdentity when asked for).
// GetCallerIdentityResponse/GetCallerIdentityResult: <UserId/><Account/><Arn/>, signed by the
//   source identity (--source-arn) or by credentials this stand-in issued (their assumed role).
//   It needs no permission, as on AWS.
// Errors: Content-Type text/xml,
//   <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
//     <Error><Type>Sender|Receiver</Type><Code>..</Code><Message>..</Message></Error>
//     <RequestId>uuid</RequestId></ErrorResponse>
//   403 MissingAuthenticationToken  AssumeRole or GetCallerIdentity without an Authorization header
//   400 IncompleteSignature         malformed Authorization header, 'host' not signed, no X-Amz-Date
//   403 InvalidClientTokenId        unknown access key id, or session token missing/wrong
//   403 SignatureDoesNotMatch       wrong signature; scope date/region/service wrong; clock skew
//   403 ExpiredToken                source session token marked expired (--source-token-expired)
//   403 AccessDenied                role (or ExternalId) not allowed for the caller
//   400 ValidationError             missing/invalid parameter, DurationSeconds out of range or
//                                   above the role's MaxSessionDuration
//   400 InvalidIdentityToken        web identity token not the expected one
//   400 ExpiredTokenException       web identity token listed in --expired-token
//   400 MissingAction / InvalidAction  no Action / unknown Action or Version
//   500 InternalFailure (Receiver)  --fail-first with --fail-mode server
//   400 Throttling "Rate exceeded"  --fail-first with --fail-mode throttle
//
// Flags:
//   --access-key-id ID          source identity allowed to call AssumeRole
//                               (or env STANDIN_SOURCE_ACCESS_KEY_ID)
//   --secret-access-key KEY     its secret (or env STANDIN_SOURCE_SECRET_ACCESS_KEY; prefer the
//                               environment: flags show up in `ps`)
//   --session-token TOKEN       the source is temporary: require this X-Amz-Security-Token
//                               (or env STANDIN_SOURCE_SESSION_TOKEN)
//   --source-token-expired      answer 403 ExpiredToken for the (valid) source session token
//   --source-arn ARN            caller ARN used in AccessDenied messages
//                               (default arn:aws:iam::123456789012:user/slack-intel-test)
//   --region R                  region the signature must be scoped to (default us-east-1)
//   --role-arn ARN              role that may be assumed; repeatable; default: any role ARN
//   --external-id ID            AssumeRole must pass this ExternalId
//   --max-session-duration N    the role's MaxSessionDuration in seconds (default 3600, IAM's
//                               default; 3600..43200)
//   --expected-token TOKEN      the web identity token AssumeRoleWithWebIdentity accepts
//   --expired-token TOKEN       a web identity token answered with ExpiredTokenException
//   --subject S                 SubjectFromWebIdentityToken
//                               (default system:serviceaccount:default:slack-intel)
//   --provider P                Provider (default arn:aws:iam::123456789012:oidc-provider/oidc.slack-intel.test)
//   --audience A                Audience (default sts.amazonaws.com)
//   --max-clock-skew-seconds N  allowed |server time - X-Amz-Date| (default 900; < 0 disables)
//   --expires-in-seconds N      Expiration = now + N instead of now + DurationSeconds
//   --fail-first N, --fail-mode server|throttle, --log FILE, --now ISO, --seed S (aws-common.mjs)
import http from 'node:http';
import { createHash } from 'node:crypto';
import { listen } from './listen.mjs';
import {
  CredentialIssuer, intFlag, isoSeconds, makeClock, makeFaultInjector, makeRequestLog, newRequestId,
  parseFlags, readBody, redacted, send, splitTarget, usageError,
} from './aws-common.mjs';
import { verifyRequest } from './sigv4.mjs';

const USAGE = `usage: node aws-sts.mjs [--access-key-id ID --secret-access-key KEY] [--session-token T]
  [--source-token-expired] [--source-arn ARN] [--region R] [--role-arn ARN]... [--external-id ID]
  [--max-session-duration N] [--expected-token T] [--expired-token T] [--subject S] [--provider P]
  [--audience A] [--max-clock-skew-seconds N] [--expires-in-seconds N] [--fail-first N]
  [--fail-mode server|throttle] [--log FILE] [--now ISO] [--seed S]
`;

const flags = parseFlags({
  'access-key-id': { type: 'string' },
  'secret-access-key': { type: 'string' },
  'session-token': { type: 'string' },
  'source-token-expired': { type: 'boolean' },
  'source-arn': { type: 'string' },
  'region': { type: 'string' },
  'role-arn': { type: 'string', multiple: true },
  'external-id': { type: 'string' },
  'max-session-duration': { type: 'string' },
  'expected-token': { type: 'string' },
  'expired-token': { type: 'string' },
  'subject': { type: 'string' },
  'provider': { type: 'string' },
  'audience': { type: 'string' },
  'max-clock-skew-seconds': { type: 'string' },
}, USAGE);

const source = {
  accessKeyId: flags['access-key-id'] ?? process.env.STANDIN_SOURCE_ACCESS_KEY_ID,
  secretAccessKey: flags['secret-access-key'] ?? process.env.STANDIN_SOURCE_SECRET_ACCESS_KEY,
  sessionToken: flags['session-token'] ?? process.env.STANDIN_SOURCE_SESSION_TOKEN,
  sessionTokenExpired: Boolean(flags['source-token-expired']),
};
if (Boolean(source.accessKeyId) !== Boolean(source.secretAccessKey)) {
  usageError('--access-key-id and --secret-access-key go together', USAGE);
}
const config = {
  sourceArn: flags['source-arn'] ?? 'arn:aws:iam::123456789012:user/slack-intel-test',
  region: flags.region ?? 'us-east-1',
  allowedRoles: flags['role-arn'] ?? [],
  externalId: flags['external-id'],
  maxSessionDuration: intFlag(flags, 'max-session-duration', 3600, USAGE),
  expectedToken: flags['expected-token'],
  expiredToken: flags['expired-token'],
  subject: flags.subject ?? 'system:serviceaccount:default:slack-intel',
  provider: flags.provider ?? 'arn:aws:iam::123456789012:oidc-provider/oidc.slack-intel.test',
  audience: flags.audience ?? 'sts.amazonaws.com',
  maxSkewSeconds: intFlag(flags, 'max-clock-skew-seconds', 900, USAGE),
  expiresInSeconds: flags['expires-in-seconds'] === undefined
    ? undefined : intFlag(flags, 'expires-in-seconds', 0, USAGE),
};
if (config.maxSessionDuration < 3600 || config.maxSessionDuration > 43200) {
  usageError('--max-session-duration must be within 3600..43200 (IAM MaxSessionDuration)', USAGE);
}
const now = makeClock(flags, USAGE);
const faults = makeFaultInjector(flags, USAGE);
const log = makeRequestLog(flags, 'sts');
const issuer = new CredentialIssuer('ASIASTSTEST', flags.seed);
const issuedKeys = new Map();  // access key id -> { secretAccessKey, sessionToken, arn, userId }

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const API_VERSION = '2011-06-15';

// Element text only needs &, < and > escaped; AWS leaves quotes and apostrophes as they are
// (its messages quote values: "... scoped to correct service: 'sts'.").
function xmlEscape(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

class StsError extends Error {
  constructor(status, code, message, { type = 'Sender', auth } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.type = type;
    this.auth = auth;
  }
}

function errorXml(err, requestId) {
  return `<ErrorResponse xmlns="${XMLNS}">\n  <Error>\n    <Type>${err.type}</Type>\n` +
    `    <Code>${xmlEscape(err.code)}</Code>\n    <Message>${xmlEscape(err.message)}</Message>\n  </Error>\n` +
    `  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
}

// "1 validation error detected: ..." is the wording STS (a Coral service) uses for model
// constraint violations.
function validationError(what) {
  return new StsError(400, 'ValidationError', `1 validation error detected: ${what}`);
}

function requireParam(params, name, modelName) {
  const value = params.get(name);
  if (value === null || value === undefined) {
    throw validationError(`Value null at '${modelName}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function checkRoleArn(roleArn) {
  if (roleArn.length < 20 || roleArn.length > 2048) {
    const bound = roleArn.length < 20 ? 'greater than or equal to 20' : 'less than or equal to 2048';
    throw validationError(`Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must have length ${bound}`);
  }
  const m = /^arn:(aws[\w-]*):iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleArn);
  if (!m) throw new StsError(400, 'ValidationError', `${roleArn} is invalid`);
  return { partition: m[1], account: m[2], roleName: m[3] };
}

function checkSessionName(name) {
  if (name.length < 2 || name.length > 64) {
    const bound = name.length < 2 ? 'greater than or equal to 2' : 'less than or equal to 64';
    throw validationError(`Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must have length ${bound}`);
  }
  if (!/^[\w+=,.@-]*$/.test(name)) {
    throw validationError(`Value '${name}' at 'roleSessionName' failed to satisfy constraint: ` +
      'Member must satisfy regular expression pattern: [\\w+=,.@-]*');
  }
}

// DurationSeconds: 900..43200 by the model, and at most the role's MaxSessionDuration.
function checkDuration(params) {
  const raw = params.get('DurationSeconds');
  if (raw === null) return 3600;
  if (!/^-?\d+$/.test(raw)) {
    throw validationError(`Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must be an integer`);
  }
  const seconds = Number(raw);
  if (seconds < 900) {
    throw validationError(`Value '${seconds}' at 'durationSeconds' failed to satisfy constraint: ` +
      'Member must have value greater than or equal to 900');
  }
  if (seconds > 43200) {
    throw validationError(`Value '${seconds}' at 'durationSeconds' failed to satisfy constraint: ` +
      'Member must have value less than or equal to 43200');
  }
  if (seconds > config.maxSessionDuration) {
    throw new StsError(400, 'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  return seconds;
}

function roleAllowed(roleArn) {
  return config.allowedRoles.length === 0 || config.allowedRoles.includes(roleArn);
}

// AROA + 17 characters is the shape of an IAM role id; derived from the ARN so it is stable.
function roleId(roleArn) {
  return `AROA${createHash('sha256').update(roleArn).digest('hex').toUpperCase().slice(0, 17)}`;
}

function issueFor(roleArn, sessionName, durationSeconds) {
  const { partition, account, roleName } = checkRoleArn(roleArn);
  const creds = issuer.issue();
  const expiresIn = config.expiresInSeconds ?? durationSeconds;
  const issued = {
    creds,
    expiration: isoSeconds(now() + expiresIn * 1000),
    assumedRoleArn: `arn:${partition}:sts::${account}:assumed-role/${roleName}/${sessionName}`,
    assumedRoleId: `${roleId(roleArn)}:${sessionName}`,
  };
  issuedKeys.set(creds.accessKeyId, { secretAccessKey: creds.secretAccessKey,
    sessionToken: creds.sessionToken, arn: issued.assumedRoleArn, userId: issued.assumedRoleId });
  return issued;
}

function credentialsXml(issued) {
  return `    <AssumedRoleUser>\n      <Arn>${xmlEscape(issued.assumedRoleArn)}</Arn>\n` +
    `      <AssumedRoleId>${xmlEscape(issued.assumedRoleId)}</AssumedRoleId>\n    </AssumedRoleUser>\n` +
    `    <Credentials>\n      <AccessKeyId>${issued.creds.accessKeyId}</AccessKeyId>\n` +
    `      <SecretAccessKey>${xmlEscape(issued.creds.secretAccessKey)}</SecretAccessKey>\n` +
    `      <SessionToken>${xmlEscape(issued.creds.sessionToken)}</SessionToken>\n` +
    `      <Expiration>${issued.expiration}</Expiration>\n    </Credentials>\n`;
}

// Checks the request's SigV4 signature against the source identity and, when `issuedToo`, the
// credentials issued so far; throws the STS error of a bad one.
function verifySigned(request, entry, issuedToo) {
  const verdict = verifyRequest(request, {
    service: 'sts', region: config.region, nowMs: now(), maxSkewSeconds: config.maxSkewSeconds,
    lookupKey: (id) => {
      if (source.accessKeyId && id === source.accessKeyId) return source;
      return issuedToo ? issuedKeys.get(id) : undefined;
    },
  });
  entry.auth = verdict.ok ? 'valid' : verdict.auth;
  if (!verdict.ok) {
    if (verdict.canonicalRequest) {
      // What the client should have signed; helps debug a signer. A signed session token is
      // a secret, so its value is blanked out.
      entry.expected_canonical_request = verdict.canonicalRequest
        .replace(/^(x-amz-security-token:).*$/m, '$1<redacted>');
    }
    throw new StsError(verdict.status, verdict.code, verdict.message);
  }
  return verdict;
}

function getCallerIdentity(request, entry) {
  const verdict = verifySigned(request, entry, true);
  const issued = issuedKeys.get(verdict.accessKeyId);
  const arn = issued?.arn ?? config.sourceArn;
  const userId = issued?.userId ??
    `AIDA${createHash('sha256').update(config.sourceArn).digest('hex').toUpperCase().slice(0, 17)}`;
  const account = arn.split(':')[4];
  return `<GetCallerIdentityResponse xmlns="${XMLNS}">\n  <GetCallerIdentityResult>\n` +
    `    <Arn>${xmlEscape(arn)}</Arn>\n    <UserId>${xmlEscape(userId)}</UserId>\n` +
    `    <Account>${xmlEscape(account)}</Account>\n  </GetCallerIdentityResult>\n`;
}

function assumeRole(params, request, entry) {
  verifySigned(request, entry, false);
  const roleArn = requireParam(params, 'RoleArn', 'roleArn');
  const sessionName = requireParam(params, 'RoleSessionName', 'roleSessionName');
  checkRoleArn(roleArn);
  checkSessionName(sessionName);
  const duration = checkDuration(params);
  entry.params = { RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: duration };
  const externalIdOk = config.externalId === undefined || params.get('ExternalId') === config.externalId;
  if (!roleAllowed(roleArn) || !externalIdOk) {
    throw new StsError(403, 'AccessDenied',
      `User: ${config.sourceArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  }
  const issued = issueFor(roleArn, sessionName, duration);
  entry.issued_access_key_id = issued.creds.accessKeyId;
  const sourceIdentity = params.get('SourceIdentity');
  return `<AssumeRoleResponse xmlns="${XMLNS}">\n  <AssumeRoleResult>\n` +
    (sourceIdentity !== null ? `    <SourceIdentity>${xmlEscape(sourceIdentity)}</SourceIdentity>\n` : '') +
    credentialsXml(issued) +
    '  </AssumeRoleResult>\n';
}

function assumeRoleWithWebIdentity(params, entry) {
  // Not signed: the web identity token is the proof of identity.
  const roleArn = requireParam(params, 'RoleArn', 'roleArn');
  const sessionName = requireParam(params, 'RoleSessionName', 'roleSessionName');
  const token = requireParam(params, 'WebIdentityToken', 'webIdentityToken');
  checkRoleArn(roleArn);
  checkSessionName(sessionName);
  if (token.length < 4 || token.length > 20000) {
    throw validationError("Value at 'webIdentityToken' failed to satisfy constraint: " +
      `Member must have length ${token.length < 4 ? 'greater than or equal to 4' : 'less than or equal to 20000'}`);
  }
  const duration = checkDuration(params);
  entry.params = { RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: duration,
    WebIdentityToken: redacted(token) };
  if (config.expiredToken !== undefined && token === config.expiredToken) {
    entry.auth = 'expired';
    throw new StsError(400, 'ExpiredTokenException',
      `Token expired: current date/time ${isoSeconds(now())} must be before the expiration date/time`);
  }
  if (config.expectedToken === undefined || token !== config.expectedToken) {
    entry.auth = 'invalid';
    throw new StsError(400, 'InvalidIdentityToken',
      'The web identity token that was passed could not be validated by AWS.');
  }
  entry.auth = 'valid';
  if (!roleAllowed(roleArn)) {
    throw new StsError(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
  }
  const issued = issueFor(roleArn, sessionName, duration);
  entry.issued_access_key_id = issued.creds.accessKeyId;
  const sourceIdentity = params.get('SourceIdentity');
  return `<AssumeRoleWithWebIdentityResponse xmlns="${XMLNS}">\n  <AssumeRoleWithWebIdentityResult>\n` +
    `    <SubjectFromWebIdentityToken>${xmlEscape(config.subject)}</SubjectFromWebIdentityToken>\n` +
    `    <Audience>${xmlEscape(config.audience)}</Audience>\n` +
    credentialsXml(issued) +
    (sourceIdentity !== null ? `    <SourceIdentity>${xmlEscape(sourceIdentity)}</SourceIdentity>\n` : '') +
    `    <Provider>${xmlEscape(config.provider)}</Provider>\n` +
    '  </AssumeRoleWithWebIdentityResult>\n';
}

// What the log keeps of the request headers: never a secret in clear.
function loggedHeaders(headers) {
  const auth = headers.authorization;
  return {
    'host': headers.host ?? null,
    'content-type': headers['content-type'] ?? null,
    'x-amz-date': headers['x-amz-date'] ?? null,
    'authorization': auth === undefined ? null : auth.replace(/Signature=[0-9a-fA-F]*/, 'Signature=<redacted>'),
    'x-amz-security-token': redacted(headers['x-amz-security-token']),
    'user-agent': headers['user-agent'] ?? null,
  };
}

async function handle(req, res) {
  const requestId = newRequestId();
  const { rawPath, rawQuery } = splitTarget(req.url);
  const entry = { method: req.method, path: rawPath, query: rawQuery, headers: loggedHeaders(req.headers),
    auth: 'none' };
  const body = await readBody(req);
  let status = 200;
  let xml;
  try {
    if (faults.shouldFail()) {
      entry.injected_failure = faults.mode;
      throw faults.mode === 'throttle'
        ? new StsError(400, 'Throttling', 'Rate exceeded')
        : new StsError(500, 'InternalFailure', 'An internal error occurred.', { type: 'Receiver' });
    }
    if (req.method !== 'POST' && req.method !== 'GET') {
      throw new StsError(405, 'InvalidAction', `The HTTP method ${req.method} is not supported.`);
    }
    // The Query protocol takes parameters from the query string and, for POST, from an
    // application/x-www-form-urlencoded body.
    const params = new URLSearchParams(rawQuery);
    const isForm = /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '');
    if (req.method === 'POST' && isForm) {
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
    }
    const action = params.get('Action');
    entry.action = action;
    if (action === null) throw new StsError(400, 'MissingAction', 'Missing Action');
    const version = params.get('Version');
    if (version !== API_VERSION ||
        !['AssumeRole', 'AssumeRoleWithWebIdentity', 'GetCallerIdentity'].includes(action)) {
      throw new StsError(400, 'InvalidAction', `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`);
    }
    const request = { method: req.method, rawPath, rawQuery, rawHeaders: req.rawHeaders, headers: req.headers, body };
    const handlers = {
      AssumeRole: () => assumeRole(params, request, entry),
      AssumeRoleWithWebIdentity: () => assumeRoleWithWebIdentity(params, entry),
      GetCallerIdentity: () => getCallerIdentity(request, entry),
    };
    const result = handlers[action]();
    xml = `${result}  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n` +
      `</${action}Response>\n`;
    entry.code = 'OK';
  } catch (err) {
    if (!(err instanceof StsError)) throw err;
    status = err.status;
    entry.code = err.code;
    xml = errorXml(err, requestId);
  }
  entry.status = status;
  log(entry);
  send(res, status, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId }, xml);
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    process.stderr.write(`aws-sts: ${err.stack}\n`);
    if (!res.headersSent) send(res, 500, { 'Content-Type': 'text/plain' }, 'stand-in error\n');
  });
});
await listen(server);
