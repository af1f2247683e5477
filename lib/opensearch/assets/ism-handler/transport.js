'use strict';
/**
 * HTTP with bounded retries, exponential backoff with jitter, a per-request timeout and an overall deadline,
 * and errors whose messages are written here: no response body, header or secret ever goes into one.
 *
 * Retried: 429, 500, 502, 503 (also "security plugin not initialized" right after the domain is created),
 * 504, connection errors and requests with no reply within the timeout; 403 a few times, because a role and
 * its policies created in the same deployment take seconds to propagate in IAM. Never retried: 401, other 4xx.
 */
const https = require('https');

/** An error whose message is safe to show in CloudFormation and in logs. */
class SafeError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.name = 'SafeError';
    Object.assign(this, details);
  }
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND',
  'EHOSTUNREACH', 'ENETUNREACH', 'TIMEOUT']);
/** Attempts per request, whatever the deadline leaves. */
const MAX_ATTEMPTS = 8;
/** Attempts for 403 (IAM propagation of a role created in the same deployment). */
const MAX_FORBIDDEN_ATTEMPTS = 3;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 16000;
/** Time kept free at the end for the answer to CloudFormation. */
const RESPONSE_RESERVE_MS = 30000;

/** Sends one HTTPS request; resolves with the status code and the body as a string. */
function httpsRequest({ method, url, headers, body }) {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ statusCode: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** Rejects with code TIMEOUT when `promise` has not settled within `ms`. */
function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('no reply'), { code: 'TIMEOUT' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A short, safe name for what went wrong in one attempt. */
function describeAttempt(outcome) {
  if (outcome.error) {
    return outcome.error.code === 'TIMEOUT' ? `no reply within ${Math.round(outcome.timeoutMs / 1000)} s` : outcome.error.code || 'network error';
  }
  return `HTTP ${outcome.statusCode}`;
}

/**
 * The transport of one invocation: `deps` are the injectable dependencies; `deadline` (epoch ms) is when
 * the last attempt must have ended.
 */
function createTransport(deps, deadline) {
  const now = () => deps.now().getTime();

  /**
   * Sends `build()` (called again for every attempt, so that signatures are fresh) until it gets an answer
   * that is not retryable; returns { statusCode, body }. `label` (METHOD /path) names the request in errors.
   * With `giveUpOnUnresolvable`, a host name that does not resolve ends the retries at once (a deleted domain).
   */
  async function send(label, build, opts = {}) {
    let forbidden = 0;
    for (let attempt = 1; ; attempt++) {
      const remaining = deadline - now();
      if (remaining <= 0) {
        throw new SafeError(`${label}: no time left before the function's deadline`, { code: 'DEADLINE' });
      }
      const timeoutMs = Math.min(deps.requestTimeoutMs || 20000, remaining);
      let outcome;
      try {
        const res = await withTimeout(deps.request(build()), timeoutMs);
        outcome = { statusCode: res.statusCode, body: res.body || '' };
      } catch (e) {
        outcome = { error: { code: e && e.code && NETWORK_CODES.has(e.code) ? e.code : 'network error' }, timeoutMs };
      }
      if (outcome.error && outcome.error.code === 'ENOTFOUND' && opts.giveUpOnUnresolvable) {
        throw new SafeError(`${label}: the host name does not resolve`, { code: 'ENOTFOUND' });
      }
      let retry = outcome.error ? true : RETRYABLE_STATUS.has(outcome.statusCode);
      if (outcome.statusCode === 403) retry = ++forbidden < MAX_FORBIDDEN_ATTEMPTS;
      if (!retry) {
        if (outcome.error) throw new SafeError(`${label} failed (${describeAttempt(outcome)})`, { code: outcome.error.code });
        return outcome;
      }
      const delay = Math.round(Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)) * (0.5 + (deps.random() / 2)));
      if (attempt >= MAX_ATTEMPTS || now() + delay >= deadline) {
        if (!outcome.error && outcome.statusCode === 403) return outcome;
        throw new SafeError(`${label} kept failing (${describeAttempt(outcome)}) after ${attempt} attempts; `
          + 'the domain may be overloaded, still starting, or unreachable from the function', { code: outcome.error ? outcome.error.code : `HTTP_${outcome.statusCode}` });
      }
      deps.log(JSON.stringify({ level: 'WARN', request: label, outcome: describeAttempt(outcome), attempt, retryInMs: delay }));
      await deps.sleep(delay);
    }
  }

  return { send, now, deadline };
}

module.exports = { SafeError, createTransport, httpsRequest, RESPONSE_RESERVE_MS, MAX_ATTEMPTS };
