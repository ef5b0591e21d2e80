// Server-side check of AWS Signature Version 4 header signatures (Authorization:
// AWS4-HMAC-SHA256 ...), as AWS services other than S3 do it. Used by aws-sts.mjs.
//
// Followed: AWS IAM User Guide, "Create a signed AWS API request" / "Elements of an AWS API
// request signature" (canonical request, string to sign, signing key, signature), and the
// General Reference "Signature Version 4 signing process" worked example for IAM ListUsers
// (aws-standins.test.mjs checks this file against that example's published values).
//
// Deliberately strict, so that a client bug shows up here rather than against real AWS:
// - canonical headers are built from the lowercase, sorted SignedHeaders list, values trimmed
//   and inner runs of spaces collapsed; several values of one header are joined with ',';
// - the canonical URI is normalized and every segment URI-encoded twice (every service except
//   S3); the canonical query string is decoded, RFC 3986-encoded and sorted;
// - the payload hash is computed from the bytes received (non-S3 services ignore
//   x-amz-content-sha256), so a body changed after signing fails;
// - 'host' must be signed, the scope must be DATE/REGION/SERVICE/aws4_request with the date of
//   X-Amz-Date, and the request time must be within the allowed skew (15 minutes at AWS).
// Presigned (query-string) signatures are not supported: the clients we test sign headers.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const ALGORITHM = 'AWS4-HMAC-SHA256';

export function sha256Hex(data) {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key, data) {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

// RFC 3986 percent-encoding as SigV4 defines it: unreserved characters A-Z a-z 0-9 - . _ ~
// stay, every other UTF-8 byte becomes %XX with upper-case hex.
export function uriEncode(text) {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const isUnreserved = (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) ||
      (byte >= 0x30 && byte <= 0x39) || byte === 0x2d || byte === 0x2e || byte === 0x5f ||
      byte === 0x7e;
    out += isUnreserved ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// Non-S3 services normalize the path (RFC 3986 dot segments, no empty segments) and encode
// each segment twice. The wire path is already encoded once, so decode it first.
export function canonicalUri(rawPath) {
  const segments = [];
  for (const segment of rawPath.split('/').slice(1)) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      segments.pop();
      continue;
    }
    segments.push(uriEncode(uriEncode(safeDecode(segment))));
  }
  const trailingSlash = rawPath.length > 1 && rawPath.endsWith('/');
  return `/${segments.join('/')}${trailingSlash && segments.length ? '/' : ''}`;
}

export function canonicalQuery(rawQuery) {
  if (!rawQuery) return '';
  const pairs = rawQuery.split('&').filter((p) => p !== '').map((p) => {
    const eq = p.indexOf('=');
    const key = eq < 0 ? p : p.slice(0, eq);
    const value = eq < 0 ? '' : p.slice(eq + 1);
    return [uriEncode(safeDecode(key)), uriEncode(safeDecode(value))];
  });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

// rawHeaders is node's flat [name, value, name, value, ...] list (or any list of pairs).
function headerValues(rawHeaders) {
  const values = new Map();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const value = String(rawHeaders[i + 1]).trim().replace(/ {2,}/g, ' ');
    if (!values.has(name)) values.set(name, []);
    values.get(name).push(value);
  }
  return values;
}

export function buildCanonicalRequest({ method, rawPath, rawQuery, rawHeaders, signedHeaders, payloadHash }) {
  const values = headerValues(rawHeaders);
  const headerBlock = signedHeaders.map((name) => `${name}:${(values.get(name) ?? []).join(',')}\n`).join('');
  return [method, canonicalUri(rawPath), canonicalQuery(rawQuery), headerBlock, signedHeaders.join(';'),
    payloadHash].join('\n');
}

export function buildStringToSign(amzDate, scope, canonicalRequest) {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
}

export function signingKey(secretAccessKey, date, region, service) {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
}

export function computeSignature(secretAccessKey, date, region, service, stringToSign) {
  return createHmac('sha256', signingKey(secretAccessKey, date, region, service)).update(stringToSign, 'utf8')
    .digest('hex');
}

// 20150830T123600Z <-> epoch ms.
function parseAmzDate(text) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? '');
  if (!m) return null;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

export function formatAmzDate(ms) {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

function fail(status, code, message, auth, extra = {}) {
  return { ok: false, status, code, message, auth, ...extra };
}

const SIGNATURE_MISMATCH = 'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

// Verifies the Authorization header of one request.
//   request: { method, rawPath, rawQuery, rawHeaders, headers (lower-case map), body (Buffer) }
//   options: { service, region, nowMs, maxSkewSeconds (< 0 disables), lookupKey(accessKeyId) ->
//              undefined | { secretAccessKey, sessionToken?, sessionTokenExpired? } }
// Returns { ok: true, accessKeyId } or { ok: false, status, code, message, auth, ... } with the
// HTTP status and error code AWS uses for that failure; `auth` is a short word for the log.
// On a signature mismatch the result also carries the canonical request and string to sign
// that the client should have produced (for debugging; they contain no secret unless the
// client signed a session token, which the caller redacts).
export function verifyRequest(request, options) {
  const authorization = request.headers.authorization;
  if (!authorization) {
    return fail(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token', 'missing');
  }
  if (!authorization.startsWith(`${ALGORITHM} `)) {
    return fail(400, 'IncompleteSignature', `Unsupported AWS 'algorithm': expected '${ALGORITHM}'.`, 'invalid');
  }
  const fields = {};
  for (const part of authorization.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  for (const required of ['Credential', 'SignedHeaders', 'Signature']) {
    if (!fields[required]) {
      return fail(400, 'IncompleteSignature', `Authorization header requires '${required}' parameter.`, 'invalid');
    }
  }
  const scopeParts = fields.Credential.split('/');
  if (scopeParts.length !== 5) {
    return fail(400, 'IncompleteSignature',
      'Authorization header requires a Credential of the form ACCESSKEY/DATE/REGION/SERVICE/aws4_request.',
      'invalid');
  }
  const [accessKeyId, scopeDate, scopeRegion, scopeService, terminator] = scopeParts;

  const key = options.lookupKey(accessKeyId);
  if (!key) {
    return fail(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.', 'invalid',
      { accessKeyId });
  }
  // Temporary source credentials: the session token has to come along and match.
  const presentedToken = request.headers['x-amz-security-token'];
  if ((key.sessionToken ?? undefined) !== presentedToken) {
    return fail(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.', 'invalid',
      { accessKeyId });
  }

  const signedHeaders = fields.SignedHeaders.split(';').map((h) => h.trim().toLowerCase()).sort();
  if (!signedHeaders.includes('host')) {
    return fail(400, 'IncompleteSignature', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      'invalid', { accessKeyId });
  }

  let amzDate = request.headers['x-amz-date'];
  if (!amzDate && request.headers.date && !Number.isNaN(Date.parse(request.headers.date))) {
    amzDate = formatAmzDate(Date.parse(request.headers.date));
  }
  const requestMs = parseAmzDate(amzDate);
  if (requestMs === null) {
    return fail(400, 'IncompleteSignature',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.", 'invalid',
      { accessKeyId });
  }
  if (scopeDate !== amzDate.slice(0, 8)) {
    return fail(403, 'SignatureDoesNotMatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      'invalid', { accessKeyId });
  }
  if (scopeRegion !== options.region) {
    return fail(403, 'SignatureDoesNotMatch', `Credential should be scoped to a valid region, not '${scopeRegion}'.`,
      'invalid', { accessKeyId });
  }
  if (scopeService !== options.service) {
    return fail(403, 'SignatureDoesNotMatch', `Credential should be scoped to correct service: '${options.service}'.`,
      'invalid', { accessKeyId });
  }
  if (terminator !== 'aws4_request') {
    return fail(403, 'SignatureDoesNotMatch',
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`, 'invalid',
      { accessKeyId });
  }
  if (options.maxSkewSeconds >= 0) {
    const skewMs = options.maxSkewSeconds * 1000;
    const minutes = Math.round(options.maxSkewSeconds / 60);
    if (requestMs < options.nowMs - skewMs) {
      return fail(403, 'SignatureDoesNotMatch',
        `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(options.nowMs - skewMs)} (${formatAmzDate(options.nowMs)} - ${minutes} min.)`,
        'invalid', { accessKeyId });
    }
    if (requestMs > options.nowMs + skewMs) {
      return fail(403, 'SignatureDoesNotMatch',
        `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(options.nowMs + skewMs)} (${formatAmzDate(options.nowMs)} + ${minutes} min.)`,
        'invalid', { accessKeyId });
    }
  }

  const canonicalRequest = buildCanonicalRequest({
    method: request.method, rawPath: request.rawPath, rawQuery: request.rawQuery, rawHeaders: request.rawHeaders,
    signedHeaders, payloadHash: sha256Hex(request.body ?? Buffer.alloc(0)),
  });
  const scope = `${scopeDate}/${scopeRegion}/${scopeService}/aws4_request`;
  const stringToSign = buildStringToSign(amzDate, scope, canonicalRequest);
  const expected = computeSignature(key.secretAccessKey, scopeDate, scopeRegion, scopeService, stringToSign);
  const provided = fields.Signature.toLowerCase();
  const matches = provided.length === expected.length &&
    timingSafeEqual(Buffer.from(provided), Buffer.from(expected));
  if (!matches) {
    return fail(403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH, 'invalid',
      { accessKeyId, canonicalRequest, stringToSign });
  }
  if (key.sessionTokenExpired) {
    return fail(403, 'ExpiredToken', 'The security token included in the request is expired', 'expired',
      { accessKeyId });
  }
  return { ok: true, accessKeyId, auth: 'valid' };
}
