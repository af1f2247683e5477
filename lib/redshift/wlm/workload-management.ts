import { Duration } from 'aws-cdk-lib';

import { PropsValidator } from '../../core/validation';
import { checkWorkloadManagement, DEFAULT_MANUAL_SLOTS, QueueSpec } from '../private/wlm-rules';
import { QmrMetric, QmrOperator, QueryMonitoringRule, WlmQueuePriority } from './query-monitoring-rule';

/**
 * How queries are routed to a WLM queue: by the user's groups or by the query group the session sets.
 * @see https://docs.aws.amazon.com/redshift/latest/dg/cm-c-executing-queries.html
 */
export interface WlmQueueRouting {
  /**
   * Database user groups whose queries run in this queue.
   * @default - none
   */
  readonly userGroups?: string[];
  /**
   * Treat `*` and `?` in `userGroups` as wildcards.
   * @default false
   */
  readonly userGroupsWildcard?: boolean;
  /**
   * Query groups (`SET query_group TO ...`) whose queries run in this queue.
   * @default - none
   */
  readonly queryGroups?: string[];
  /**
   * Treat `*` and `?` in `queryGroups` as wildcards.
   * @default false
   */
  readonly queryGroupsWildcard?: boolean;
  /**
   * Database roles whose users' queries run in this queue.
   * @see https://docs.aws.amazon.com/redshift/latest/dg/cm-c-executing-queries.html
   * @default - none (`user_role` is not rendered)
   */
  readonly userRoles?: string[];
  /**
   * Treat `*` and `?` in `userRoles` as wildcards.
   * @default false
   */
  readonly userRolesWildcard?: boolean;
}

/**
 * Settings of the default queue of automatic WLM: the last queue, which runs every query no other queue matched.
 */
export interface AutomaticWlmDefaultQueue {
  /**
   * Priority of the queries in this queue.
   * @default WlmQueuePriority.NORMAL
   */
  readonly priority?: WlmQueuePriority;
  /**
   * Send eligible queries to concurrency scaling clusters instead of queueing them.
   * @default false
   */
  readonly concurrencyScaling?: boolean;
  /**
   * Query monitoring rules of this queue.
   * @default - none
   */
  readonly rules?: QueryMonitoringRule[];
}

/**
 * A user queue of automatic WLM.
 */
export interface AutomaticWlmQueue extends WlmQueueRouting, AutomaticWlmDefaultQueue {
  /** Queue name, unique in the configuration; it is also the `QueueName` dimension of the WLM metrics. */
  readonly name: string;
}

/**
 * Settings of the default queue of manual WLM.
 */
export interface ManualWlmDefaultQueue {
  /**
   * Query slots: how many queries run at once in this queue. All queues together have at most 50.
   * @see https://docs.aws.amazon.com/redshift/latest/dg/cm-c-defining-query-queues.html#cm-c-defining-query-queues-concurrency-level
   * @default 5
   */
  readonly concurrency?: number;
  /**
   * Percent of the cluster's WLM memory given to this queue. Set it on every queue or on none;
   * the total is at most 100.
   * @default - Redshift divides the memory that no queue claims evenly
   */
  readonly memoryPercent?: number;
  /**
   * WLM timeout: a read-only query that runs longer hops to the next matching queue, any other is cancelled.
   * Rendered in milliseconds (`max_execution_time`).
   * @see https://docs.aws.amazon.com/redshift/latest/dg/wlm-queue-hopping.html
   * @default - no timeout
   */
  readonly timeout?: Duration;
  /**
   * Send eligible queries to concurrency scaling clusters instead of queueing them.
   * @default false
   */
  readonly concurrencyScaling?: boolean;
  /**
   * Query monitoring rules of this queue.
   * @default - none
   */
  readonly rules?: QueryMonitoringRule[];
}

/**
 * A user queue of manual WLM.
 */
export interface ManualWlmQueue extends WlmQueueRouting, ManualWlmDefaultQueue {
  /** Queue name, unique in the configuration. */
  readonly name: string;
}

/**
 * Short query acceleration settings shared by both WLM modes.
 */
export interface ShortQueryAccelerationOptions {
  /**
   * Run short queries in a dedicated space so that they do not wait behind long ones.
   * @default true
   */
  readonly shortQueryAcceleration?: boolean;
  /**
   * Longest run time a query may have to count as short: 1 to 20 seconds.
   * @see https://docs.aws.amazon.com/redshift/latest/dg/wlm-short-query-acceleration.html
   * @default - Redshift sets it dynamically from the workload
   */
  readonly shortQueryMaxRuntime?: Duration;
}

/**
 * Props of `WorkloadManagement.automatic`.
 */
export interface AutomaticWlmProps extends ShortQueryAccelerationOptions {
  /**
   * User queues, in routing order, before the default queue. At most 7: automatic WLM has 8 queues
   * (service classes 100–107) including the default queue.
   * @see https://docs.aws.amazon.com/redshift/latest/dg/automatic-wlm.html
   * @default - only the default queue
   */
  readonly queues?: AutomaticWlmQueue[];
  /**
   * The default queue, always rendered last.
   * @default - priority normal, no concurrency scaling, no rules
   */
  readonly defaultQueue?: AutomaticWlmDefaultQueue;
}

/**
 * Props of `WorkloadManagement.manual`.
 */
export interface ManualWlmProps extends ShortQueryAccelerationOptions {
  /**
   * User queues, in routing order, before the default queue. At most 7: manual WLM has 8 queues
   * (service classes 6–13) including the default queue.
   * @see https://docs.aws.amazon.com/redshift/latest/dg/cm-c-wlm-system-tables-and-views.html#wlm-service-class-ids
   * @default - only the default queue
   */
  readonly queues?: ManualWlmQueue[];
  /**
   * The default queue, always rendered last.
   * @default - 5 slots, no memory percent, no timeout, no concurrency scaling, no rules
   */
  readonly defaultQueue?: ManualWlmDefaultQueue;
}

/** Which WLM mode a configuration uses. */
export enum WlmMode {
  /** Redshift manages concurrency and memory; queues have priorities. */
  AUTOMATIC = 'automatic',
  /** You set slots, memory and timeouts per queue. */
  MANUAL = 'manual',
}

/**
 * Workload management of a Redshift cluster, rendered into the `wlm_json_configuration` parameter.
 *
 * Two modes exclude each other, so each has a factory:
 * - `WorkloadManagement.automatic()`: Redshift sizes concurrency and memory; queues carry a priority.
 * - `WorkloadManagement.manual()`: you size each queue's slots, memory and timeout.
 *
 * In both, the default queue comes last and short query acceleration is an element of its own.
 *
 * @see https://docs.aws.amazon.com/redshift/latest/mgmt/workload-mgmt-config.html
 */
export class WorkloadManagement {
  /** Automatic WLM (recommended by AWS for most workloads). */
  public static automatic(props: AutomaticWlmProps = {}): WorkloadManagement {
    const queues: QueueSpec[] = (props.queues ?? []).map((q, i) => ({
      path: `workloadManagement.queues[${i}]`, name: q.name, routing: q, priority: q.priority,
      concurrencyScaling: q.concurrencyScaling, rules: q.rules,
    }));
    const d = props.defaultQueue ?? {};
    queues.push({ path: 'workloadManagement.defaultQueue', priority: d.priority, concurrencyScaling: d.concurrencyScaling, rules: d.rules });
    return new WorkloadManagement(WlmMode.AUTOMATIC, queues, props);
  }

  /** Manual WLM: fixed slots and memory per queue. */
  public static manual(props: ManualWlmProps = {}): WorkloadManagement {
    const queues: QueueSpec[] = (props.queues ?? []).map((q, i) => ({
      path: `workloadManagement.queues[${i}]`, name: q.name, routing: q, concurrency: q.concurrency,
      memoryPercent: q.memoryPercent, timeout: q.timeout, concurrencyScaling: q.concurrencyScaling, rules: q.rules,
    }));
    const d = props.defaultQueue ?? {};
    queues.push({
      path: 'workloadManagement.defaultQueue', concurrency: d.concurrency, memoryPercent: d.memoryPercent,
      timeout: d.timeout, concurrencyScaling: d.concurrencyScaling, rules: d.rules,
    });
    return new WorkloadManagement(WlmMode.MANUAL, queues, props);
  }

  /** The WLM mode. */
  public readonly mode: WlmMode;
  /** Whether any queue sends queries to concurrency scaling clusters. */
  public readonly usesConcurrencyScaling: boolean;
  /**
   * The database user groups the queues route by, each once, in queue order; wildcard patterns (`bi_*` in a queue
   * with `userGroupsWildcard`) are left out, since no group has such a name. `RedshiftDatabaseGroups` creates them.
   */
  public readonly userGroups: string[];
  private readonly queues: QueueSpec[];
  private readonly sqa: ShortQueryAccelerationOptions;

  private constructor(mode: WlmMode, queues: QueueSpec[], sqa: ShortQueryAccelerationOptions) {
    this.mode = mode;
    this.queues = queues;
    this.sqa = sqa;
    this.usesConcurrencyScaling = queues.some(q => q.concurrencyScaling === true);
    this.userGroups = [...new Set(queues.flatMap(q => (q.routing?.userGroups ?? [])
      .filter(g => !(q.routing?.userGroupsWildcard && /[*?]/.test(g)))))];
  }

  /**
   * The `wlm_json_configuration` value: user queues in order, the default queue, then the short query
   * acceleration element.
   */
  public render(): string {
    const elements: Record<string, unknown>[] = this.queues.map(q => this.renderQueue(q));
    const sqaEnabled = this.sqa.shortQueryAcceleration ?? true;
    const sqa: Record<string, unknown> = { short_query_queue: sqaEnabled };
    if (sqaEnabled && this.sqa.shortQueryMaxRuntime) {
      sqa.max_execution_time = this.sqa.shortQueryMaxRuntime.toMilliseconds({ integral: false });
    }
    elements.push(sqa);
    return JSON.stringify(elements);
  }

  /**
   * Checks the configuration against the limits Redshift enforces.
   * @internal
   */
  public _validate(v: PropsValidator): void {
    checkWorkloadManagement(v, this.mode === WlmMode.MANUAL, this.queues, this.sqa);
  }

  /**
   * The metric of every query monitoring predicate, with the path of its rule.
   * @internal
   */
  public _metrics(): Array<{ path: string; metric: QmrMetric }> {
    return this.queues.flatMap(q => (q.rules ?? []).flatMap((rule, r) =>
      rule.predicates.map(p => ({ path: `${q.path}.rules[${r}]`, metric: p.metric }))));
  }

  private renderQueue(q: QueueSpec): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (q.name !== undefined) out.name = q.name;
    const r = q.routing ?? {};
    out.user_group = r.userGroups ?? [];
    out.user_group_wild_card = r.userGroupsWildcard ? 1 : 0;
    out.query_group = r.queryGroups ?? [];
    out.query_group_wild_card = r.queryGroupsWildcard ? 1 : 0;
    if (r.userRoles !== undefined) {
      out.user_role = r.userRoles;
      out.user_role_wild_card = r.userRolesWildcard ? 1 : 0;
    }
    if (this.mode === WlmMode.AUTOMATIC) {
      out.priority = q.priority ?? WlmQueuePriority.NORMAL;
      out.queue_type = 'auto';
      out.auto_wlm = true;
    } else {
      out.query_concurrency = q.concurrency ?? DEFAULT_MANUAL_SLOTS;
      if (q.memoryPercent !== undefined) out.memory_percent_to_use = q.memoryPercent;
      if (q.timeout !== undefined) out.max_execution_time = q.timeout.toMilliseconds({ integral: false });
      out.queue_type = 'manual';
      out.auto_wlm = false;
    }
    out.concurrency_scaling = q.concurrencyScaling ? 'auto' : 'off';
    if (q.rules && q.rules.length > 0) {
      out.rules = q.rules.map(rule => {
        const rendered: Record<string, unknown> = {
          rule_name: rule.name,
          predicate: rule.predicates.map(p => ({
            metric_name: p.metric.name, operator: p.comparisonOperator ?? QmrOperator.GREATER_THAN, value: p.value,
          })),
          action: rule.action.name,
        };
        if (rule.action.priority !== undefined) rendered.value = rule.action.priority;
        return rendered;
      });
    }
    return out;
  }
}
