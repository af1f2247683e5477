'use strict';
/**
 * CloudFormation custom resources that configure an OpenSearch Service domain through its REST API:
 * - Custom::OpenSearchIsmPolicy: one Index State Management policy (see ism.js);
 * - Custom::OpenSearchRoleMapping: one fine-grained access control role and its mapping (see security.js);
 * - Custom::OpenSearchAuditLog: audit logging turned on in the security plugin (see security.js);
 * - Custom::OpenSearchKeyGuard: stops an update that would change the domain's KMS key, because that deletes
 *   the domain and creates an empty one (CloudFormation: EncryptionAtRestOptions "Update requires: Some
 *   interruptions"); the domain depends on the guard, so the guard fails before the domain is touched.
 *
 * Plain Node.js with built-in modules only (no bundling, no AWS SDK). Common resource properties:
 * - Endpoint, Region, UrlSuffix (the partition's DNS suffix: amazonaws.com, amazonaws.com.cn, ...)
 * - RoleArn: the IAM master user role to assume, or SecretArn: the internal master user's secret
 *
 * Every failure is reported to CloudFormation with a message written by the handler: no response body, no
 * secret and no header reaches a Reason or a log line. Retries are bounded and the handler answers
 * CloudFormation before the function's timeout (see transport.js).
 */
const { domainClient } = require('./domain-client');
const { handleIsmPolicy } = require('./ism');
const { handleAuditLog, handleRoleMapping } = require('./security');
const { signV4 } = require('./sigv4');
const { RESPONSE_RESERVE_MS, SafeError, createTransport, httpsRequest } = require('./transport');

function handleKeyGuard(event) {
  const props = event.ResourceProperties;
  const physicalId = event.PhysicalResourceId && !event.PhysicalResourceId.startsWith('failed-')
    ? event.PhysicalResourceId : `key-guard-${props.DomainName}`;
  const old = event.OldResourceProperties;
  if (event.RequestType === 'Update' && old && old.KmsKeyId !== props.KmsKeyId && props.AllowKeyChange !== 'true') {
    throw new SafeError(`changing the KMS key of OpenSearch domain ${props.DomainName} deletes the domain and creates an empty one `
      + '(CloudFormation replaces EncryptionAtRestOptions.KmsKeyId in place, outside any removal policy). The update was stopped '
      + 'before the domain was touched. To go ahead, take a manual snapshot, then deploy once with allowEncryptionKeyChange: true '
      + 'and restore the snapshot');
  }
  return { PhysicalResourceId: physicalId };
}

const HANDLERS = {
  'Custom::OpenSearchIsmPolicy': handleIsmPolicy,
  'Custom::OpenSearchRoleMapping': handleRoleMapping,
  'Custom::OpenSearchAuditLog': handleAuditLog,
};

/** Handles one event; returns { PhysicalResourceId, Data }. */
async function handle(event, deps, transport) {
  if (event.ResourceType === 'Custom::OpenSearchKeyGuard') return handleKeyGuard(event);
  const handler = HANDLERS[event.ResourceType];
  if (!handler) throw new SafeError(`unknown resource type ${event.ResourceType}`);
  const connect = (opts) => domainClient(transport, deps, event.ResourceProperties, opts);
  try {
    return await handler(event, connect, deps.log);
  } catch (e) {
    // A domain that is gone (its endpoint no longer resolves) has nothing left to delete.
    if (event.RequestType === 'Delete' && e instanceof SafeError && e.code === 'ENOTFOUND') {
      deps.log(JSON.stringify({ level: 'INFO', action: 'nothing to delete: the domain is gone (its endpoint does not resolve)' }));
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    throw e;
  }
}

/** Reports the outcome to CloudFormation through the pre-signed response URL (a few attempts). */
async function respond(deps, event, status, result, reason) {
  const body = JSON.stringify({
    Status: status,
    Reason: reason ? String(reason).slice(0, 1000) : 'See the function\'s log group',
    PhysicalResourceId: (result && result.PhysicalResourceId) || event.PhysicalResourceId || `failed-${event.RequestId}`,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: (result && result.Data) || {},
  });
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const res = await deps.request({
        method: 'PUT', url: event.ResponseURL, body,
        headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
      });
      if (res.statusCode === 200) return;
      deps.log(JSON.stringify({ level: 'WARN', response: 'CloudFormation response URL', outcome: `HTTP ${res.statusCode}`, attempt }));
    } catch (e) {
      deps.log(JSON.stringify({ level: 'WARN', response: 'CloudFormation response URL', outcome: (e && e.code) || 'network error', attempt }));
    }
    await deps.sleep(1000 * attempt);
  }
}

/** Builds the handler with injectable dependencies (tests pass a fake network, clock and sleep). */
function createHandler(overrides = {}) {
  return async (event, context) => {
    const deps = {
      request: httpsRequest,
      credentials: {
        accessKeyId: process.env.AWS_ACCESS_KEY_ID,
        secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,
        sessionToken: process.env.AWS_SESSION_TOKEN,
      },
      now: () => new Date(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      random: Math.random,
      log: (...a) => console.log(...a),
      ...overrides,
    };
    const remaining = context && typeof context.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : 120000;
    const transport = createTransport(deps, deps.now().getTime() + remaining - RESPONSE_RESERVE_MS);
    deps.log(JSON.stringify({
      RequestType: event.RequestType, ResourceType: event.ResourceType, LogicalResourceId: event.LogicalResourceId,
      PhysicalResourceId: event.PhysicalResourceId,
    }));
    try {
      const result = await handle(event, deps, transport);
      await respond(deps, event, 'SUCCESS', result);
      return result;
    } catch (e) {
      // Only messages the handler wrote are shown; anything else (a bug) is named by its type only.
      const reason = e instanceof SafeError ? e.message : `unexpected ${(e && e.name) || 'error'} in the handler`;
      deps.log(JSON.stringify({ level: 'ERROR', reason }));
      await respond(deps, event, 'FAILED', undefined, reason);
      return undefined;
    }
  };
}

exports.handler = createHandler();
exports.createHandler = createHandler;
exports.signV4 = signV4;
