import { Duration, Token } from 'aws-cdk-lib';

import { PropsValidator, Shown } from '../../core/validation';
import { QmrAction, QueryMonitoringRule, WlmQueuePriority } from '../wlm/query-monitoring-rule';
import type { ShortQueryAccelerationOptions, WlmQueueRouting } from '../wlm/workload-management';

/** Automatic WLM can have 8 queues, manual WLM 8 queues (service classes 6–13), each including the default. */
const MAX_USER_QUEUES = 7;
/** Manual WLM: at most 50 slots over all queues. */
const MAX_TOTAL_SLOTS = 50;
/** At most 25 query monitoring rules over all queues. */
const MAX_RULES = 25;
export const DEFAULT_MANUAL_SLOTS = 5;

/** One queue as the rules and the renderer see it: user queues first, the default queue last. */
export interface QueueSpec {
  readonly path: string;
  readonly name?: string;
  readonly routing?: WlmQueueRouting;
  readonly priority?: WlmQueuePriority;
  readonly concurrency?: number;
  readonly memoryPercent?: number;
  readonly timeout?: Duration;
  readonly concurrencyScaling?: boolean;
  readonly rules?: QueryMonitoringRule[];
}

/**
 * Checks a WLM configuration against the limits Redshift enforces; `queues` ends with the default queue.
 */
export function checkWorkloadManagement(v: PropsValidator, manual: boolean, queues: QueueSpec[], sqa: ShortQueryAccelerationOptions): void {
  // Queues: 8 including the default queue, in either mode; names unique.
  // https://docs.aws.amazon.com/redshift/latest/mgmt/workload-mgmt-config.html
  const userQueues = queues.slice(0, -1);
  v.check(userQueues.length <= MAX_USER_QUEUES, 'workloadManagement.queues', new Shown(`${userQueues.length} queues`),
    `must have at most ${MAX_USER_QUEUES} entries: ${manual ? 'manual' : 'automatic'} WLM allows 8 queues including the default queue`);

  // Queue names are unique and not empty: the console and the parameter name each queue by it.
  // https://docs.aws.amazon.com/redshift/latest/mgmt/workload-mgmt-config.html
  const names = new Set<string>();
  for (const q of userQueues) {
    if (q.name === undefined || Token.isUnresolved(q.name)) continue;
    v.check(q.name.trim().length > 0, `${q.path}.name`, q.name, 'must not be empty');
    v.check(!names.has(q.name), `${q.path}.name`, q.name, 'must be unique among the queues');
    names.add(q.name);
  }

  // Manual WLM: slots per queue and in total, memory percent all-or-none and at most 100 in total.
  // https://docs.aws.amazon.com/redshift/latest/dg/cm-c-defining-query-queues.html
  if (manual) {
    let slots = 0;
    for (const q of queues) {
      const c = q.concurrency ?? DEFAULT_MANUAL_SLOTS;
      v.integerInRange(`${q.path}.concurrency`, q.concurrency, 1, MAX_TOTAL_SLOTS);
      if (!Token.isUnresolved(c)) slots += c;
      v.integerInRange(`${q.path}.memoryPercent`, q.memoryPercent, 1, 100, 'percent');
      // max_execution_time is a whole number of milliseconds. https://docs.aws.amazon.com/redshift/latest/dg/cm-c-defining-query-queues.html#wlm-timeout
      if (q.timeout && !q.timeout.isUnresolved()) {
        const ms = q.timeout.toMilliseconds({ integral: false });
        v.check(Number.isInteger(ms) && ms >= 1, `${q.path}.timeout`, new Shown(`${ms} milliseconds`),
          'must be a whole number of milliseconds, at least 1');
      }
    }
    v.check(slots <= MAX_TOTAL_SLOTS, 'workloadManagement', new Shown(`${slots} slots`),
      `must have at most ${MAX_TOTAL_SLOTS} query slots (concurrency) over all queues, default queue included`);
    const withMemory = queues.filter(q => q.memoryPercent !== undefined);
    if (withMemory.length > 0 && withMemory.length < queues.length) {
      const missing = queues.filter(q => q.memoryPercent === undefined).map(q => q.path);
      v.fail('workloadManagement', undefined,
        `sets memoryPercent on some queues only: set it on every queue or on none (missing on ${missing.join(', ')})`);
    }
    const memory = withMemory.reduce((sum, q) => sum + (Token.isUnresolved(q.memoryPercent) ? 0 : q.memoryPercent!), 0);
    v.check(memory <= 100, 'workloadManagement', new Shown(`${memory} percent memory`), 'must allocate at most 100 percent memory over all queues');
  }

  // https://docs.aws.amazon.com/redshift/latest/dg/wlm-short-query-acceleration.html
  const sqaEnabled = sqa.shortQueryAcceleration ?? true;
  v.requires('workloadManagement.shortQueryMaxRuntime', sqa.shortQueryMaxRuntime !== undefined, sqaEnabled,
    'shortQueryAcceleration to be enabled');
  v.durationInRange('workloadManagement.shortQueryMaxRuntime', sqa.shortQueryMaxRuntime, Duration.seconds(1), Duration.seconds(20));
  const sqaRuntime = sqa.shortQueryMaxRuntime;
  if (sqaRuntime && !sqaRuntime.isUnresolved()) {
    const ms = sqaRuntime.toMilliseconds({ integral: false });
    v.check(Number.isInteger(ms), 'workloadManagement.shortQueryMaxRuntime', new Shown(`${ms} milliseconds`), 'must be a whole number of milliseconds');
  }

  // Query monitoring rules: 25 per configuration, 1–3 predicates, names of 32 letters, digits or
  // underscores, unique; hop is manual-only and ignores query_queue_time; change priority is automatic-only.
  // https://docs.aws.amazon.com/redshift/latest/dg/cm-c-wlm-query-monitoring-rules.html
  const ruleNames = new Set<string>();
  let ruleCount = 0;
  for (const q of queues) {
    (q.rules ?? []).forEach((rule, r) => {
      ruleCount++;
      const path = `${q.path}.rules[${r}]`;
      v.matches(`${path}.name`, rule.name, /^[A-Za-z0-9_]{1,32}$/, 'up to 32 letters, digits or underscores');
      if (!Token.isUnresolved(rule.name)) {
        v.check(!ruleNames.has(rule.name), `${path}.name`, rule.name, 'must be unique in the WLM configuration');
        ruleNames.add(rule.name);
      }
      v.countInRange(`${path}.predicates`, rule.predicates, 1, 3);
      rule.predicates.forEach((p, i) => {
        v.matches(`${path}.predicates[${i}].metric`, p.metric.name, /^[a-z0-9_]+$/,
          "a metric name of lowercase letters, digits and underscores, such as 'query_cpu_time'");
        const max = p.metric.maxValue ?? Number.MAX_SAFE_INTEGER;
        if (!Token.isUnresolved(p.value)) {
          v.check(Number.isInteger(p.value) && p.value >= 0 && p.value <= max, `${path}.predicates[${i}].value`, p.value,
            p.metric.maxValue === undefined ? 'must be a whole number of at least 0'
              : `must be a whole number between 0 and ${max} for ${p.metric.name}`);
        }
      });
      if (rule.action === QmrAction.HOP || rule.action.name === 'hop') {
        v.check(manual, `${path}.action`, 'hop', 'is only available with manual WLM');
        const queueTime = rule.predicates.find(p => p.metric.name === 'query_queue_time');
        v.check(!queueTime, `${path}.action`, 'hop', 'cannot be combined with a query_queue_time predicate (Redshift ignores such rules)');
      }
      if (rule.action.name === 'change_query_priority') {
        v.check(!manual, `${path}.action`, 'change_query_priority', 'is only available with automatic WLM');
      }
    });
  }
  v.check(ruleCount <= MAX_RULES, 'workloadManagement', new Shown(`${ruleCount} rules`),
    `must have at most ${MAX_RULES} query monitoring rules over all queues`);
}
