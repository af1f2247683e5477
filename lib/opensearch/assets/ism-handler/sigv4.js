'use strict';
/**
 * AWS Signature Version 4 with Node's crypto only.
 *
 * The canonical URI is the request path as it goes on the wire, each segment URI-encoded once more. Every
 * service but S3 computes it this way, so a path segment the caller percent-encoded (`app%2Bweb-*` for the
 * index pattern `app+web-*`) is signed as `app%252Bweb-%2A`; decoding it first, as S3 wants, makes the es
 * service answer 403 "signature does not match".
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 * @see https://github.com/aws/aws-sdk-js/issues/853
 */
const crypto = require('crypto');

function sha256Hex(data) {
  return crypto.createHash('sha256').update(data || '', 'utf8').digest('hex');
}

function hmac(key, data) {
  return crypto.createHmac('sha256', key).update(data, 'utf8').digest();
}

/** RFC 3986 encoding of every byte but A-Z a-z 0-9 - _ . ~ */
function uriEncode(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The canonical URI of a raw (wire) path for `service`. */
function canonicalUri(rawPath, service) {
  if (service === 's3') return rawPath || '/';
  return rawPath.split('/').map(uriEncode).join('/') || '/';
}

/**
 * Signs a request and returns the headers to send (the given ones, plus host, x-amz-date, the session token
 * and Authorization). `url` is a full https URL whose path is already percent-encoded as it will be sent.
 */
function signV4({ method, url, headers = {}, body = '', service, region, credentials, now = new Date() }) {
  const afterHost = url.replace(/^https:\/\/[^/]+/, '');
  const q = afterHost.indexOf('?');
  const rawPath = q < 0 ? afterHost : afterHost.slice(0, q);
  const host = /^https:\/\/([^/]+)/.exec(url)[1];
  const amzDate = now.toISOString().replace(/[:-]|\.\d{3}/g, '');
  const dateStamp = amzDate.slice(0, 8);
  const all = { ...headers, host, 'x-amz-date': amzDate };
  if (credentials.sessionToken) all['x-amz-security-token'] = credentials.sessionToken;
  const lower = {};
  for (const [k, v] of Object.entries(all)) lower[k.toLowerCase()] = String(v).trim().replace(/\s+/g, ' ');
  const names = Object.keys(lower).sort();
  const canonicalHeaders = names.map((n) => `${n}:${lower[n]}\n`).join('');
  const signedHeaders = names.join(';');
  const query = q < 0 ? '' : afterHost.slice(q + 1).split('&').filter(Boolean)
    .map((pair) => pair.split('=').map((x) => uriEncode(decodeURIComponent(x || ''))))
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [method, canonicalUri(rawPath, service), query, canonicalHeaders, signedHeaders, sha256Hex(body)].join('\n');
  const scope = `${dateStamp}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const kSigning = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, dateStamp), region), service), 'aws4_request');
  const signature = crypto.createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  return {
    ...all,
    Authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

module.exports = { signV4, uriEncode, canonicalUri };
