'use strict';
/**
 * Statements through the Redshift Data API, as the cluster's admin user (the Redshift-managed secret):
 * ExecuteStatement, then DescribeStatement until the statement is FINISHED, FAILED or ABORTED.
 *
 * - Calls that are throttled (ThrottlingException, ActiveStatementsExceededException: the account has too many
 *   statements running), that fail on the service side or on the network are retried with exponential backoff
 *   and jitter; AccessDeniedException a few times, because the function's policy is created in the same
 *   deployment and IAM takes seconds to propagate it. Anything else fails at once.
 * - ExecuteStatement carries a ClientToken, so a retry after a lost reply does not run the statement twice.
 * - Everything ends by the deadline: a statement still running then is cancelled (CancelStatement) and the
 *   handler reports FAILED with what it was waiting for, instead of letting CloudFormation wait.
 * @see https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_ExecuteStatement.html
 * @see https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_DescribeStatement.html
 */
const { SafeError } = require('./errors');

/**
 * Errors worth another attempt: throttling, the service's own faults, and the two the Data API documents for a cluster
 * it cannot reach for a moment (DatabaseConnectionException; ExecuteStatementException, "an environmental error").
 * @see https://docs.aws.amazon.com/redshift-data/latest/APIReference/CommonErrors.html
 */
const RETRYABLE = new Set(['ActiveStatementsExceededException', 'ActiveSessionsExceededException', 'ThrottlingException',
  'TooManyRequestsException', 'InternalServerException', 'ServiceUnavailableException', 'RequestTimeout', 'TimeoutError',
  'DatabaseConnectionException', 'ExecuteStatementException']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'TIMEOUT']);
const MAX_ATTEMPTS = 8;
const MAX_ACCESS_DENIED_ATTEMPTS = 4;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 16000;
/** Polls start fast (most DDL finishes in a second) and slow down to this. */
const POLL_START_MS = 250;
const POLL_CAP_MS = 5000;
const CALL_TIMEOUT_MS = 20000;
const TERMINAL = new Set(['FINISHED', 'FAILED', 'ABORTED']);

/** A short name for an error of the SDK (its class name) or of the network (its code). */
function errorName(e) {
  if (e && e.code && NETWORK_CODES.has(e.code)) return e.code;
  return (e && e.name) || 'Error';
}

/**
 * The service's message of an SDK service error (it has `$metadata`), one line and bounded: Data API messages name
 * resources and actions, never secret values. Other errors (a bug, the network) are named by their type only.
 */
function errorText(e) {
  const m = e && e.$metadata && typeof e.message === 'string' ? e.message.replace(/\s+/g, ' ').trim() : '';
  return m.slice(0, 300);
}

/** Rejects with code TIMEOUT when `promise` has not settled within `ms`, and clears its timer either way. */
function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('no reply'), { code: 'TIMEOUT' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The Data API of one invocation. `deps.send(operation, input)` calls the service; `target` is
 * { ClusterIdentifier, Database, SecretArn }; `deadline` (epoch ms) is when everything must have ended;
 * `tokenPrefix` makes ClientTokens unique per CloudFormation request.
 */
function createDataApi(deps, target, deadline, tokenPrefix) {
  const now = () => deps.now().getTime();
  let statements = 0;

  async function call(operation, input) {
    let denied = 0;
    for (let attempt = 1; ; attempt++) {
      const remaining = deadline - now();
      if (remaining <= 0) throw new SafeError(`${operation}: no time left before the deadline`, { code: 'DEADLINE' });
      let error;
      try {
        return await withTimeout(deps.send(operation, input), Math.min(deps.callTimeoutMs || CALL_TIMEOUT_MS, remaining));
      } catch (e) {
        error = e;
      }
      const name = errorName(error);
      let retry = RETRYABLE.has(name) || NETWORK_CODES.has(name);
      if (name === 'AccessDeniedException') retry = ++denied < MAX_ACCESS_DENIED_ATTEMPTS;
      if (!retry) {
        throw new SafeError(`${operation} failed: ${name}${errorText(error) ? `: ${errorText(error)}` : ''}`, { code: name, serviceMessage: errorText(error) });
      }
      const delay = Math.round(Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)) * (0.5 + deps.random() / 2));
      if (attempt >= MAX_ATTEMPTS || now() + delay >= deadline) {
        throw new SafeError(`${operation} kept failing (${name}) after ${attempt} attempts`
          + (name === 'ActiveStatementsExceededException' ? ': the account has too many Data API statements running' : ''), { code: name });
      }
      deps.log(JSON.stringify({ level: 'WARN', operation, outcome: name, attempt, retryInMs: delay }));
      await deps.sleep(delay);
    }
  }

  /** Cancels a statement that is still running at the deadline; best effort, never throws. */
  async function cancel(id) {
    try {
      await withTimeout(deps.send('CancelStatement', { Id: id }), 5000);
      deps.log(JSON.stringify({ level: 'WARN', action: 'cancelled a statement still running at the deadline', id }));
    } catch (e) {
      deps.log(JSON.stringify({ level: 'WARN', action: 'could not cancel a statement', id, outcome: errorName(e) }));
    }
  }

  /**
   * Runs one statement and waits for its end; returns its description. `label` names it in errors and logs;
   * `parameters` are bound values ({ name, value }), never spliced into the SQL.
   */
  async function run(label, sql, parameters) {
    statements++;
    const input = {
      ...target, Sql: sql, StatementName: label.slice(0, 500), ClientToken: `${tokenPrefix}-${statements}`.slice(0, 64),
      ...(parameters && parameters.length ? { Parameters: parameters } : {}),
    };
    const { Id: id } = await call('ExecuteStatement', input);
    deps.log(JSON.stringify({ level: 'INFO', statement: label, id }));
    let wait = POLL_START_MS;
    for (;;) {
      const d = await call('DescribeStatement', { Id: id });
      if (d.Status === 'FINISHED') return d;
      if (d.Status === 'FAILED') throw new SafeError(`${label} failed: ${String(d.Error || 'no error text').slice(0, 500)}`, { code: 'STATEMENT_FAILED', sqlError: d.Error || '' });
      if (d.Status === 'ABORTED') throw new SafeError(`${label} was aborted (cancelled, or the cluster restarted)`, { code: 'STATEMENT_ABORTED' });
      if (TERMINAL.has(d.Status)) throw new SafeError(`${label}: unexpected status ${d.Status}`);
      if (now() + wait >= deadline) {
        await cancel(id);
        throw new SafeError(`${label} was still ${d.Status} at the function's deadline and was cancelled: the cluster may be `
          + 'paused, resizing, or busy with long queries in the queue the admin user runs in', { code: 'DEADLINE' });
      }
      await deps.sleep(wait);
      wait = Math.min(POLL_CAP_MS, wait * 2);
    }
  }

  /** Runs a query and returns its rows as arrays of plain values (every page). */
  async function query(label, sql, parameters) {
    const d = await run(label, sql, parameters);
    if (!d.HasResultSet) return [];
    const rows = [];
    let token;
    do {
      const page = await call('GetStatementResult', { Id: d.Id, ...(token ? { NextToken: token } : {}) });
      for (const record of page.Records || []) rows.push(record.map(plain));
      token = page.NextToken;
    } while (token);
    return rows;
  }

  return { run, query, call };
}

/** A Data API field ({ stringValue } | { longValue } | { isNull } ...) as a plain value. */
function plain(field) {
  if (!field || field.isNull) return null;
  for (const k of ['stringValue', 'longValue', 'doubleValue', 'booleanValue']) if (k in field) return field[k];
  return null;
}

module.exports = { createDataApi, MAX_ATTEMPTS };
