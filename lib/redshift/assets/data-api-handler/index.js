'use strict';
/**
 * CloudFormation custom resources that run SQL on a provisioned Redshift cluster through the Redshift Data API,
 * as the cluster's admin user (the secret Redshift manages in Secrets Manager):
 * - Custom::RedshiftExternalSchema: an external schema on a Glue Data Catalog database (see external-schema.js);
 * - Custom::RedshiftDatabaseGroups: database groups, such as those WLM queues route by (see database-groups.js).
 *
 * Plain Node.js; the AWS SDK for JavaScript v3 comes with the Lambda Node.js runtime (no bundling). Every
 * failure is reported to CloudFormation with a message written here or the Redshift error text, never a secret.
 * The handler answers CloudFormation before the function's timeout: the Data API calls stop
 * RESPONSE_RESERVE_MS before it (see data-api.js).
 */
const https = require('https');
const { createDataApi } = require('./data-api');
const { handleDatabaseGroups } = require('./database-groups');
const { SafeError } = require('./errors');
const { handleExternalSchema } = require('./external-schema');

/** Time kept free at the end of the invocation for the answer to CloudFormation. */
const RESPONSE_RESERVE_MS = 30000;
const HANDLERS = {
  'Custom::RedshiftExternalSchema': handleExternalSchema,
  'Custom::RedshiftDatabaseGroups': handleDatabaseGroups,
};
/** How the Data API says the cluster (or database) is gone. */
const GONE = /not found|does ?n[o']t exist|no longer exists|can(no|')t find/i;

/** The Data API client of the Lambda runtime's SDK, created on first use; the handler does its own retries. */
function sdkSend() {
  let client;
  let sdk;
  return (operation, input) => {
    if (!client) {
      sdk = require('@aws-sdk/client-redshift-data');
      client = new sdk.RedshiftDataClient({ maxAttempts: 1 });
    }
    return client.send(new sdk[`${operation}Command`](input));
  };
}

/** Sends one HTTPS request (the CloudFormation response); resolves with the status code. */
function httpsRequest({ method, url, headers, body }) {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ statusCode: res.statusCode }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

async function handle(event, deps, deadline) {
  const handler = HANDLERS[event.ResourceType];
  if (!handler) throw new SafeError(`unknown resource type ${event.ResourceType}`);
  const connect = (p) => createDataApi(deps, { ClusterIdentifier: p.ClusterIdentifier, Database: p.Database, SecretArn: p.SecretArn },
    deadline, String(event.RequestId || 'request').replace(/[^A-Za-z0-9-]/g, '').slice(0, 40));
  try {
    return await handler(event, connect, deps.log);
  } catch (e) {
    // A cluster (or database) that is gone has nothing left to delete.
    if (event.RequestType === 'Delete' && e instanceof SafeError
      && (e.code === 'ResourceNotFoundException' || (e.code === 'ValidationException' && GONE.test(e.serviceMessage || '')))) {
      deps.log(JSON.stringify({ level: 'INFO', action: 'nothing to delete: the cluster or database is gone', outcome: e.message }));
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
      const res = await deps.request({ method: 'PUT', url: event.ResponseURL, body, headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } });
      if (res.statusCode === 200) return;
      deps.log(JSON.stringify({ level: 'WARN', response: 'CloudFormation response URL', outcome: `HTTP ${res.statusCode}`, attempt }));
    } catch (e) {
      deps.log(JSON.stringify({ level: 'WARN', response: 'CloudFormation response URL', outcome: (e && e.code) || 'network error', attempt }));
    }
    await deps.sleep(1000 * attempt);
  }
}

/** Builds the handler with injectable dependencies (tests pass a fake Data API, network, clock and sleep). */
function createHandler(overrides = {}) {
  const send = overrides.send || sdkSend();
  return async (event, context) => {
    const deps = {
      request: httpsRequest,
      now: () => new Date(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      random: Math.random,
      log: (...a) => console.log(...a),
      ...overrides,
      send,
    };
    const remaining = context && typeof context.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : 120000;
    const deadline = deps.now().getTime() + remaining - RESPONSE_RESERVE_MS;
    deps.log(JSON.stringify({
      RequestType: event.RequestType, ResourceType: event.ResourceType, LogicalResourceId: event.LogicalResourceId,
      PhysicalResourceId: event.PhysicalResourceId,
    }));
    try {
      const result = await handle(event, deps, deadline);
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
exports.RESPONSE_RESERVE_MS = RESPONSE_RESERVE_MS;
