'use strict';
/**
 * A client for the domain's REST API that authenticates as the master user: an IAM role assumed through STS
 * (requests signed with SigV4 for `es`), or the internal master user read from Secrets Manager (HTTP basic
 * auth). Endpoints come from the partition's DNS suffix (`UrlSuffix`, `amazonaws.com.cn` in China).
 */
const { signV4 } = require('./sigv4');
const { SafeError } = require('./transport');

/** The text of an XML element, if its content is a plain token. */
function xmlToken(body, name) {
  const m = new RegExp(`<${name}>([A-Za-z0-9.]+)</${name}>`).exec(body || '');
  return m ? m[1] : undefined;
}

/** Parses JSON; undefined when it is not JSON (the text is never shown). */
function parseJson(text) {
  try { return text ? JSON.parse(text) : {}; } catch (e) { return undefined; }
}

/** The OpenSearch error type of a reply (`version_conflict_engine_exception`), when it is a plain identifier. */
function errorType(json) {
  const e = json && json.error;
  const type = e && typeof e === 'object' ? e.type : undefined;
  return typeof type === 'string' && /^[a-z_]{1,80}$/.test(type) ? type : undefined;
}

async function assumeRole(transport, deps, props, roleArn) {
  const url = `https://sts.${props.Region}.${props.UrlSuffix || 'amazonaws.com'}/`;
  const body = new URLSearchParams({
    Action: 'AssumeRole', Version: '2011-06-15', RoleArn: roleArn, RoleSessionName: 'opensearch-config', DurationSeconds: '900',
  }).toString();
  const res = await transport.send('sts:AssumeRole', () => ({
    method: 'POST', url, body,
    headers: signV4({
      method: 'POST', url, body, service: 'sts', region: props.Region, credentials: deps.credentials, now: deps.now(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
  }));
  if (res.statusCode !== 200) {
    const code = xmlToken(res.body, 'Code');
    throw new SafeError(`sts:AssumeRole on ${roleArn} failed with HTTP ${res.statusCode}${code ? ` (${code})` : ''}: `
      + 'the master user role must trust the function\'s role (OpenSearchCluster.lifecycleFunctionRole)');
  }
  const credentials = {
    accessKeyId: xmlToken(res.body, 'AccessKeyId'),
    secretAccessKey: (/<SecretAccessKey>([^<]+)<\/SecretAccessKey>/.exec(res.body) || [])[1],
    sessionToken: (/<SessionToken>([^<]+)<\/SessionToken>/.exec(res.body) || [])[1],
  };
  if (!credentials.accessKeyId || !credentials.secretAccessKey || !credentials.sessionToken) {
    throw new SafeError('sts:AssumeRole returned no credentials');
  }
  return credentials;
}

async function readSecret(transport, deps, props) {
  const url = `https://secretsmanager.${props.Region}.${props.UrlSuffix || 'amazonaws.com'}/`;
  const body = JSON.stringify({ SecretId: props.SecretArn });
  const res = await transport.send('secretsmanager:GetSecretValue', () => ({
    method: 'POST', url, body,
    headers: signV4({
      method: 'POST', url, body, service: 'secretsmanager', region: props.Region, credentials: deps.credentials, now: deps.now(),
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
    }),
  }));
  const json = parseJson(res.body);
  if (res.statusCode !== 200) {
    const type = json && typeof json.__type === 'string' && /^[A-Za-z.#]{1,80}$/.test(json.__type) ? json.__type : undefined;
    throw new SafeError(`secretsmanager:GetSecretValue on ${props.SecretArn} failed with HTTP ${res.statusCode}${type ? ` (${type})` : ''}`);
  }
  const secret = json && typeof json.SecretString === 'string' ? parseJson(json.SecretString) : undefined;
  if (!secret || typeof secret.username !== 'string' || typeof secret.password !== 'string') {
    throw new SafeError('the master user secret is not a JSON object with username and password');
  }
  return secret;
}

/**
 * Returns `call(method, path, body?, opts?)` → { statusCode, json, type } for the domain at `props.Endpoint`.
 * `path` must already be percent-encoded. A 401 or 403 throws a SafeError saying who was denied.
 */
async function domainClient(transport, deps, props, opts = {}) {
  let basic;
  let credentials = deps.credentials;
  let who = 'the function\'s role';
  if (props.SecretArn) {
    const s = await readSecret(transport, deps, props);
    basic = `Basic ${Buffer.from(`${s.username}:${s.password}`).toString('base64')}`;
    who = 'the internal master user';
  } else if (props.RoleArn) {
    credentials = await assumeRole(transport, deps, props, props.RoleArn);
    who = props.RoleArn;
  }
  return async (method, path, bodyObject) => {
    const url = `https://${props.Endpoint}${path}`;
    const body = bodyObject === undefined ? '' : JSON.stringify(bodyObject);
    const label = `${method} ${path.split('?')[0]}`;
    const res = await transport.send(label, () => {
      const base = { 'content-type': 'application/json' };
      const headers = basic
        ? { ...base, host: props.Endpoint, Authorization: basic }
        : signV4({ method, url, body, service: 'es', region: props.Region, credentials, now: deps.now(), headers: base });
      return { method, url, headers, body: body || undefined };
    }, { giveUpOnUnresolvable: opts.giveUpOnUnresolvable });
    if (res.statusCode === 401) {
      throw new SafeError(`${label}: HTTP 401: the domain rejected the master user's credentials`);
    }
    if (res.statusCode === 403) {
      throw new SafeError(`${label}: HTTP 403: the domain access policy or fine-grained access control denied ${who}; `
        + 'the master user needs es:ESHttp* on the domain and the all_access role');
    }
    const json = parseJson(res.body);
    return { statusCode: res.statusCode, json: json || {}, type: errorType(json), notJson: json === undefined, rawForMatching: res.body };
  };
}

/** A message for an unexpected answer: status and error type only. */
function unexpected(label, res) {
  return new SafeError(`${label} failed with HTTP ${res.statusCode}${res.type ? ` (${res.type})` : ''}`);
}

module.exports = { domainClient, unexpected };
