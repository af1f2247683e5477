'use strict';
/**
 * CloudFormation custom resources that configure an OpenSearch Service domain through its REST API:
 * - Custom::OpenSearchIsmPolicy applies one Index State Management (ISM) policy (`_plugins/_ism/policies/<id>`);
 * - Custom::OpenSearchRoleMapping creates one fine-grained access control role and maps IAM roles to it
 *   (`_plugins/_security/api/roles/<name>` and `.../rolesmapping/<name>`).
 *
 * Plain Node.js with built-in modules only (no bundling, no AWS SDK): requests to OpenSearch, STS and
 * Secrets Manager are signed with SigV4 here, using the function's own credentials from the environment.
 *
 * Resource properties (both types):
 * - Endpoint:  domain endpoint host name (no scheme)
 * - Region:    region of the domain
 * - RoleArn:   (optional) IAM master user role to assume before calling the domain
 * - SecretArn: (optional) secret with { username, password } of the internal master user (HTTP basic auth)
 * Custom::OpenSearchIsmPolicy:
 * - PolicyId:  ISM policy id
 * - Policy:    the policy document as a JSON string ({ "policy": { ... } })
 * Custom::OpenSearchRoleMapping:
 * - SecurityRole: name of the fine-grained access control role
 * - Role:         the role document as a JSON string ({ cluster_permissions, index_permissions })
 * - BackendRoles: IAM role ARNs mapped to it
 *
 * Create and Update put the policy (Update passes the current seq_no/primary_term so that a concurrent
 * change is not overwritten silently, then moves the indexes already managed by it to the new version
 * with change_policy); a changed PolicyId creates the new policy and CloudFormation then deletes the old one. Delete removes the policy; a policy that is already gone counts as deleted.
 * Role mappings work the same way, keyed by SecurityRole.
 */
const crypto = require('crypto');
const https = require('https');

/** Sends one HTTPS request; resolves with the status code and the body as a string. */
function httpsRequest({ method, url, headers, body }) {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers, timeout: 30000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ statusCode: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout calling ${method} ${url}`)));
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

function sha256Hex(data) {
  return crypto.createHash('sha256').update(data ?? '', 'utf8').digest('hex');
}

function hmac(key, data) {
  return crypto.createHmac('sha256', key).update(data, 'utf8').digest();
}

/** RFC 3986 encoding, as SigV4 wants it. */
function uriEncode(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Signs a request with AWS Signature Version 4 and returns the headers to send.
 * `url` is a full https URL; `headers` must not contain Authorization.
 */
function signV4({ method, url, headers = {}, body = '', service, region, credentials, now = new Date() }) {
  const u = new URL(url);
  const amzDate = now.toISOString().replace(/[:-]|\.\d{3}/g, '');
  const dateStamp = amzDate.slice(0, 8);
  const all = { ...headers, host: u.host, 'x-amz-date': amzDate };
  if (credentials.sessionToken) all['x-amz-security-token'] = credentials.sessionToken;
  const lower = {};
  for (const [k, v] of Object.entries(all)) lower[k.toLowerCase()] = String(v).trim().replace(/\s+/g, ' ');
  const names = Object.keys(lower).sort();
  const canonicalHeaders = names.map((n) => `${n}:${lower[n]}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalUri = u.pathname.split('/').map((seg) => uriEncode(decodeURIComponent(seg))).join('/') || '/';
  const query = [...u.searchParams.entries()]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)])
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [method, canonicalUri, query, canonicalHeaders, signedHeaders, sha256Hex(body)].join('\n');
  const scope = `${dateStamp}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const kDate = hmac(`AWS4${credentials.secretAccessKey}`, dateStamp);
  const kSigning = hmac(hmac(hmac(kDate, region), service), 'aws4_request');
  const signature = crypto.createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  return {
    ...all,
    Authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

/** The function's own credentials, as the Lambda runtime provides them. */
function environmentCredentials(env) {
  return {
    accessKeyId: env.AWS_ACCESS_KEY_ID,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
    sessionToken: env.AWS_SESSION_TOKEN,
  };
}

/** Calls STS AssumeRole (query API, regional endpoint) and returns the temporary credentials. */
async function assumeRole(deps, region, roleArn) {
  const url = `https://sts.${region}.amazonaws.com/`;
  const body = new URLSearchParams({
    Action: 'AssumeRole', Version: '2011-06-15', RoleArn: roleArn, RoleSessionName: 'ism-policy', DurationSeconds: '900',
  }).toString();
  const headers = signV4({
    method: 'POST', url, body, service: 'sts', region, credentials: deps.credentials, now: deps.now(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const res = await deps.request({ method: 'POST', url, headers, body });
  if (res.statusCode !== 200) throw new Error(`sts:AssumeRole on ${roleArn} failed with HTTP ${res.statusCode}: ${res.body}`);
  const tag = (name) => {
    const m = new RegExp(`<${name}>([^<]+)</${name}>`).exec(res.body);
    if (!m) throw new Error(`sts:AssumeRole response has no ${name}`);
    return m[1];
  };
  return { accessKeyId: tag('AccessKeyId'), secretAccessKey: tag('SecretAccessKey'), sessionToken: tag('SessionToken') };
}

/** Reads { username, password } from Secrets Manager (JSON 1.1 API). */
async function readSecret(deps, region, secretArn) {
  const url = `https://secretsmanager.${region}.amazonaws.com/`;
  const body = JSON.stringify({ SecretId: secretArn });
  const headers = signV4({
    method: 'POST', url, body, service: 'secretsmanager', region, credentials: deps.credentials, now: deps.now(),
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
  });
  const res = await deps.request({ method: 'POST', url, headers, body });
  if (res.statusCode !== 200) throw new Error(`secretsmanager:GetSecretValue failed with HTTP ${res.statusCode}: ${res.body}`);
  const secret = JSON.parse(JSON.parse(res.body).SecretString);
  return { username: secret.username, password: secret.password };
}

/** A client for the domain's REST API that authenticates as the master user. */
async function domainClient(deps, props) {
  const region = props.Region;
  let basic;
  let credentials = deps.credentials;
  if (props.SecretArn) {
    const s = await readSecret(deps, region, props.SecretArn);
    basic = `Basic ${Buffer.from(`${s.username}:${s.password}`).toString('base64')}`;
  } else if (props.RoleArn) {
    credentials = await assumeRole(deps, region, props.RoleArn);
  }
  return async (method, path, bodyObject) => {
    const url = `https://${props.Endpoint}${path}`;
    const body = bodyObject === undefined ? '' : JSON.stringify(bodyObject);
    const base = { 'content-type': 'application/json' };
    const headers = basic
      ? { ...base, host: props.Endpoint, Authorization: basic }
      : signV4({ method, url, body, service: 'es', region, credentials, now: deps.now(), headers: base });
    const res = await deps.request({ method, url, headers, body: body || undefined });
    let json;
    try { json = res.body ? JSON.parse(res.body) : {}; } catch (e) { json = { raw: res.body }; }
    return { statusCode: res.statusCode, json };
  };
}

function policyPath(id) {
  return `/_plugins/_ism/policies/${encodeURIComponent(id)}`;
}

/** Creates or updates the policy; returns its id. */
async function putPolicy(call, id, document) {
  const current = await call('GET', policyPath(id));
  let path = policyPath(id);
  if (current.statusCode === 200) {
    path += `?if_seq_no=${current.json._seq_no}&if_primary_term=${current.json._primary_term}`;
  } else if (current.statusCode !== 404) {
    throw new Error(`GET ${policyPath(id)} failed with HTTP ${current.statusCode}: ${JSON.stringify(current.json)}`);
  }
  const res = await call('PUT', path, document);
  if (res.statusCode !== 200 && res.statusCode !== 201) {
    throw new Error(`PUT ${policyPath(id)} failed with HTTP ${res.statusCode}: ${JSON.stringify(res.json)}`);
  }
  return id;
}

/**
 * Indexes already managed by a policy keep the version they started with; `change_policy` moves the
 * indexes matching the policy's ISM template to the new version (at their next state transition).
 */
async function changeManagedIndexes(call, id, document) {
  const templates = (document.policy && document.policy.ism_template) || [];
  const patterns = templates.flatMap((t) => t.index_patterns || []);
  if (patterns.length === 0) return;
  const path = `/_plugins/_ism/change_policy/${patterns.map(encodeURIComponent).join(',')}`;
  const res = await call('POST', path, { policy_id: id });
  if (res.statusCode !== 200) {
    throw new Error(`POST ${path} failed with HTTP ${res.statusCode}: ${JSON.stringify(res.json)}`);
  }
}

async function deletePolicy(call, id) {
  const res = await call('DELETE', policyPath(id));
  if (res.statusCode !== 200 && res.statusCode !== 404) {
    throw new Error(`DELETE ${policyPath(id)} failed with HTTP ${res.statusCode}: ${JSON.stringify(res.json)}`);
  }
}

function securityPath(kind, name) {
  return `/_plugins/_security/api/${kind}/${encodeURIComponent(name)}`;
}

async function putRoleMapping(call, name, role, backendRoles) {
  for (const [path, body] of [[securityPath('roles', name), role], [securityPath('rolesmapping', name), { backend_roles: backendRoles }]]) {
    const res = await call('PUT', path, body);
    if (res.statusCode !== 200 && res.statusCode !== 201) {
      throw new Error(`PUT ${path} failed with HTTP ${res.statusCode}: ${JSON.stringify(res.json)}`);
    }
  }
  return name;
}

async function deleteRoleMapping(call, name) {
  for (const path of [securityPath('rolesmapping', name), securityPath('roles', name)]) {
    const res = await call('DELETE', path);
    if (res.statusCode !== 200 && res.statusCode !== 404) {
      throw new Error(`DELETE ${path} failed with HTTP ${res.statusCode}: ${JSON.stringify(res.json)}`);
    }
  }
}

/** Handles one Custom::OpenSearchRoleMapping event. */
async function handleRoleMapping(event, deps) {
  const props = event.ResourceProperties;
  if (event.RequestType === 'Delete') {
    if (event.PhysicalResourceId && event.PhysicalResourceId === props.SecurityRole) {
      await deleteRoleMapping(await domainClient(deps, props), event.PhysicalResourceId);
    }
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const call = await domainClient(deps, props);
  const name = await putRoleMapping(call, props.SecurityRole, JSON.parse(props.Role), props.BackendRoles || []);
  return { PhysicalResourceId: name, Data: { SecurityRole: name } };
}

/** Handles one CloudFormation event; returns { PhysicalResourceId, Data }. */
async function handle(event, deps) {
  if (event.ResourceType === 'Custom::OpenSearchRoleMapping') return handleRoleMapping(event, deps);
  const props = event.ResourceProperties;
  if (event.RequestType === 'Delete') {
    // A create that failed before a policy existed has no policy id as physical id: nothing to delete.
    if (event.PhysicalResourceId && event.PhysicalResourceId === props.PolicyId) {
      await deletePolicy(await domainClient(deps, props), event.PhysicalResourceId);
    }
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const call = await domainClient(deps, props);
  const document = JSON.parse(props.Policy);
  const id = await putPolicy(call, props.PolicyId, document);
  if (event.RequestType === 'Update' && event.PhysicalResourceId === id) {
    await changeManagedIndexes(call, id, document);
  }
  return { PhysicalResourceId: id, Data: { PolicyId: id } };
}

/** Reports the outcome to CloudFormation through the pre-signed response URL. */
async function respond(deps, event, status, result, reason) {
  const body = JSON.stringify({
    Status: status,
    Reason: reason ? String(reason).slice(0, 3000) : 'See CloudWatch Logs',
    PhysicalResourceId: (result && result.PhysicalResourceId) || event.PhysicalResourceId || `failed-${event.RequestId}`,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: (result && result.Data) || {},
  });
  await deps.request({
    method: 'PUT', url: event.ResponseURL, body,
    headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
  });
}

/** Builds the handler with injectable dependencies (tests pass a fake `request`). */
function createHandler(overrides = {}) {
  return async (event) => {
    const deps = {
      request: httpsRequest,
      credentials: environmentCredentials(process.env),
      now: () => new Date(),
      log: (...a) => console.log(...a),
      ...overrides,
    };
    deps.log(JSON.stringify({ RequestType: event.RequestType, PolicyId: event.ResourceProperties && event.ResourceProperties.PolicyId }));
    try {
      const result = await handle(event, deps);
      await respond(deps, event, 'SUCCESS', result);
      return result;
    } catch (e) {
      deps.log(`failed: ${e && e.stack ? e.stack : e}`);
      await respond(deps, event, 'FAILED', undefined, e && e.message ? e.message : e);
      return undefined;
    }
  };
}

exports.handler = createHandler();
exports.createHandler = createHandler;
exports.signV4 = signV4;
