/**
 * Verifies AWS Signature Version 4 the way the receiving service does, written from the specification and
 * not from the handler's signer, so that a test fails when the two disagree.
 *
 * - The canonical URI is the path exactly as it arrived on the wire, with each segment URI-encoded once more
 *   (RFC 3986 unreserved characters kept). Every service but S3 does this: a wire path `/a%2Bb` has the
 *   canonical URI `/a%252Bb`, and `/logs-*` has `/logs-%2A`.
 *   @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 *   @see https://github.com/aws/aws-sdk-js/issues/853 (the es service expects `/%253Fa%3Db%2520c` for `/%3Fa=b%20c`)
 * - The payload hash is computed from the body received, so a body changed after signing fails.
 * - Only the headers listed in SignedHeaders are canonicalized; `host` and `x-amz-date` must be among them.
 */
import * as crypto from 'crypto';

/** What a verified signature says about the caller. */
export interface VerifiedSignature {
  readonly accessKeyId: string;
  readonly service: string;
  readonly region: string;
}

/** Why a signature did not verify; the message mimics the service's. */
export class SignatureError extends Error {}

/** RFC 3986 encoding of every byte except A-Z a-z 0-9 - _ . ~ */
export function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The canonical URI the service computes from the raw request path (everything before `?`). */
export function canonicalUri(rawPath: string, service: string): string {
  if (service === 's3') return rawPath || '/';
  return rawPath.split('/').map(rfc3986).join('/') || '/';
}

function canonicalQuery(rawQuery: string): string {
  if (!rawQuery) return '';
  return rawQuery.split('&').filter(Boolean)
    .map(pair => {
      const [k, v = ''] = pair.split('=');
      return [rfc3986(decodeURIComponent(k)), rfc3986(decodeURIComponent(v))];
    })
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function hmac(key: crypto.BinaryLike, data: string): Buffer {
  return crypto.createHmac('sha256', key).update(data, 'utf8').digest();
}

/**
 * Verifies the Authorization header of a request against `secretOf(accessKeyId)`. Throws `SignatureError`
 * when it is missing, malformed, for an unknown key, or does not match.
 */
export function verifySigV4(
  req: { method: string; url: string; headers: Record<string, string | number>; body?: string },
  secretOf: (accessKeyId: string) => string | undefined,
): VerifiedSignature {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = String(v);
  const auth = headers.authorization;
  const header = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;
  const m = auth && header.exec(auth);
  if (!m) throw new SignatureError('Authorization header requires \'Credential\', \'Signature\' and \'SignedHeaders\' parameters.');
  const [, accessKeyId, date, region, service, signedHeaderList, signature] = m;
  const secret = secretOf(accessKeyId);
  if (secret === undefined) throw new SignatureError('The security token included in the request is invalid.');
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) {
    throw new SignatureError('Signed headers must include host and x-amz-date.');
  }
  const amzDate = headers['x-amz-date'];
  if (!amzDate || amzDate.slice(0, 8) !== date) throw new SignatureError('Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.');

  const afterScheme = req.url.replace(/^https:\/\/[^/]+/, '');
  const q = afterScheme.indexOf('?');
  const rawPath = q < 0 ? afterScheme : afterScheme.slice(0, q);
  const rawQuery = q < 0 ? '' : afterScheme.slice(q + 1);
  const canonicalHeaders = signedHeaders.map(h => `${h}:${(headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const payloadHash = crypto.createHash('sha256').update(req.body ?? '', 'utf8').digest('hex');
  const canonicalRequest = [req.method, canonicalUri(rawPath, service), canonicalQuery(rawQuery), canonicalHeaders, signedHeaderList, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, crypto.createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const expected = crypto.createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  if (expected !== signature) {
    throw new SignatureError('The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
  }
  return { accessKeyId, service, region };
}
