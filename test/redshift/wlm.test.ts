import { Duration, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';

import {
  AutomaticWlmQueue, ManualWlmQueue, QmrAction, QmrMetric, QmrOperator, QueryMonitoringRule, WlmQueuePriority, WorkloadManagement,
} from '../../lib';
import { PropsValidator } from '../../lib/core/validation';
import { testStack } from '../util/app';

/** Every validation message of a WLM configuration, as the warehouse at `Test/Wh` would report it. */
function problems(wlm: WorkloadManagement): string[] {
  const v = new PropsValidator(new Construct(testStack(), 'Wh'));
  wlm._validate(v);
  return v.errors;
}

const logRule = (name: string): QueryMonitoringRule => ({
  name, predicates: [{ metric: QmrMetric.QUERY_EXECUTION_TIME, value: 60 }], action: QmrAction.LOG,
});

describe('WorkloadManagement.automatic', () => {
  test('renders only the default queue and short query acceleration by default', () => {
    expect(JSON.parse(WorkloadManagement.automatic().render())).toEqual([
      {
        user_group: [], user_group_wild_card: 0, query_group: [], query_group_wild_card: 0,
        priority: 'normal', queue_type: 'auto', auto_wlm: true, concurrency_scaling: 'off',
      },
      { short_query_queue: true },
    ]);
  });

  test('renders queues in order with groups, wildcards, priority, concurrency scaling and rules, the default queue last', () => {
    const wlm = WorkloadManagement.automatic({
      queues: [
        { name: 'etl', userGroups: ['etl'], priority: WlmQueuePriority.HIGHEST },
        {
          name: 'bi', userGroups: ['bi_*'], userGroupsWildcard: true, queryGroups: ['dash*'], queryGroupsWildcard: true,
          concurrencyScaling: true,
          rules: [
            { name: 'abort_spill', predicates: [{ metric: QmrMetric.QUERY_TEMP_BLOCKS_TO_DISK, value: 100000 },
              { metric: QmrMetric.QUERY_CPU_TIME, comparisonOperator: QmrOperator.GREATER_THAN, value: 600 }], action: QmrAction.ABORT },
            { name: 'demote', predicates: [{ metric: QmrMetric.RETURN_ROW_COUNT, value: 1000000 }],
              action: QmrAction.changePriority(WlmQueuePriority.LOWEST) },
          ],
        },
      ],
      defaultQueue: { priority: WlmQueuePriority.LOW, rules: [logRule('log_long')] },
      shortQueryMaxRuntime: Duration.seconds(5),
    });
    expect(wlm.render()).toEqual(JSON.stringify([
      {
        name: 'etl', user_group: ['etl'], user_group_wild_card: 0, query_group: [], query_group_wild_card: 0,
        priority: 'highest', queue_type: 'auto', auto_wlm: true, concurrency_scaling: 'off',
      },
      {
        name: 'bi', user_group: ['bi_*'], user_group_wild_card: 1, query_group: ['dash*'], query_group_wild_card: 1,
        priority: 'normal', queue_type: 'auto', auto_wlm: true, concurrency_scaling: 'auto',
        rules: [
          {
            rule_name: 'abort_spill',
            predicate: [
              { metric_name: 'query_temp_blocks_to_disk', operator: '>', value: 100000 },
              { metric_name: 'query_cpu_time', operator: '>', value: 600 },
            ],
            action: 'abort',
          },
          { rule_name: 'demote', predicate: [{ metric_name: 'return_row_count', operator: '>', value: 1000000 }], action: 'change_query_priority', value: 'lowest' },
        ],
      },
      {
        user_group: [], user_group_wild_card: 0, query_group: [], query_group_wild_card: 0,
        priority: 'low', queue_type: 'auto', auto_wlm: true, concurrency_scaling: 'off',
        rules: [{ rule_name: 'log_long', predicate: [{ metric_name: 'query_execution_time', operator: '>', value: 60 }], action: 'log' }],
      },
      { short_query_queue: true, max_execution_time: 5000 },
    ]));
    expect(wlm.usesConcurrencyScaling).toBe(true);
    expect(problems(wlm)).toEqual([]);
  });

  test('renders user roles only when a queue routes by role', () => {
    const rendered = JSON.parse(WorkloadManagement.automatic({ queues: [{ name: 'admins', userRoles: ['dba_*'], userRolesWildcard: true }] }).render());
    expect(rendered[0]).toMatchObject({ name: 'admins', user_role: ['dba_*'], user_role_wild_card: 1 });
    expect(rendered[1].user_role).toBeUndefined();
  });

  test('renders short query acceleration off', () => {
    const rendered = JSON.parse(WorkloadManagement.automatic({ shortQueryAcceleration: false }).render());
    expect(rendered[rendered.length - 1]).toEqual({ short_query_queue: false });
  });

  test('accepts 7 user queues (8 with the default queue)', () => {
    const queues: AutomaticWlmQueue[] = Array.from({ length: 7 }, (_, i) => ({ name: `q${i}`, queryGroups: [`g${i}`] }));
    expect(problems(WorkloadManagement.automatic({ queues }))).toEqual([]);
  });

  test('fails with more than 7 user queues', () => {
    const queues: AutomaticWlmQueue[] = Array.from({ length: 8 }, (_, i) => ({ name: `q${i}` }));
    expect(problems(WorkloadManagement.automatic({ queues }))).toEqual([
      'Test/Wh: workloadManagement.queues (8 queues) must have at most 7 entries: automatic WLM allows 8 queues including the default queue',
    ]);
  });

  test('fails with duplicate or empty queue names', () => {
    expect(problems(WorkloadManagement.automatic({ queues: [{ name: 'a' }, { name: 'a' }, { name: ' ' }] }))).toEqual([
      "Test/Wh: workloadManagement.queues[1].name ('a') must be unique among the queues",
      "Test/Wh: workloadManagement.queues[2].name (' ') must not be empty",
    ]);
  });

  test('fails on a hop action, which only manual WLM has', () => {
    const wlm = WorkloadManagement.automatic({ queues: [{ name: 'a', rules: [{ ...logRule('r'), action: QmrAction.HOP }] }] });
    expect(problems(wlm)).toEqual(["Test/Wh: workloadManagement.queues[0].rules[0].action ('hop') is only available with manual WLM"]);
  });
});

describe('WorkloadManagement.manual', () => {
  test('renders slots, memory, timeout and the default queue with auto_wlm false', () => {
    const wlm = WorkloadManagement.manual({
      queues: [
        { name: 'etl', userGroups: ['etl'], concurrency: 3, memoryPercent: 50, timeout: Duration.minutes(30) },
        { name: 'bi', queryGroups: ['dashboard'], concurrency: 10, memoryPercent: 30, concurrencyScaling: true,
          rules: [{ name: 'hop_slow', predicates: [{ metric: QmrMetric.QUERY_EXECUTION_TIME, value: 120 }], action: QmrAction.HOP }] },
      ],
      defaultQueue: { concurrency: 5, memoryPercent: 20 },
      shortQueryMaxRuntime: Duration.seconds(20),
    });
    expect(wlm.render()).toEqual(JSON.stringify([
      {
        name: 'etl', user_group: ['etl'], user_group_wild_card: 0, query_group: [], query_group_wild_card: 0,
        query_concurrency: 3, memory_percent_to_use: 50, max_execution_time: 1800000, queue_type: 'manual', auto_wlm: false,
        concurrency_scaling: 'off',
      },
      {
        name: 'bi', user_group: [], user_group_wild_card: 0, query_group: ['dashboard'], query_group_wild_card: 0,
        query_concurrency: 10, memory_percent_to_use: 30, queue_type: 'manual', auto_wlm: false, concurrency_scaling: 'auto',
        rules: [{ rule_name: 'hop_slow', predicate: [{ metric_name: 'query_execution_time', operator: '>', value: 120 }], action: 'hop' }],
      },
      {
        user_group: [], user_group_wild_card: 0, query_group: [], query_group_wild_card: 0,
        query_concurrency: 5, memory_percent_to_use: 20, queue_type: 'manual', auto_wlm: false, concurrency_scaling: 'off',
      },
      { short_query_queue: true, max_execution_time: 20000 },
    ]));
    expect(problems(wlm)).toEqual([]);
  });

  test('gives the default queue 5 slots by default', () => {
    expect(JSON.parse(WorkloadManagement.manual().render())[0].query_concurrency).toBe(5);
  });

  test('accepts exactly 50 slots', () => {
    const queues: ManualWlmQueue[] = [{ name: 'a', concurrency: 45 }];
    expect(problems(WorkloadManagement.manual({ queues }))).toEqual([]);
  });

  test('fails with more than 50 slots over all queues, default queue included', () => {
    const queues: ManualWlmQueue[] = [{ name: 'a', concurrency: 40 }, { name: 'b', concurrency: 6 }];
    expect(problems(WorkloadManagement.manual({ queues }))).toEqual([
      'Test/Wh: workloadManagement (51 slots) must have at most 50 query slots (concurrency) over all queues, default queue included',
    ]);
  });

  test('fails with a queue concurrency outside 1–50', () => {
    expect(problems(WorkloadManagement.manual({ defaultQueue: { concurrency: 0 } }))).toEqual([
      'Test/Wh: workloadManagement.defaultQueue.concurrency (0) must be a whole number between 1 and 50',
    ]);
  });

  test('fails with more than 7 user queues', () => {
    const queues: ManualWlmQueue[] = Array.from({ length: 8 }, (_, i) => ({ name: `q${i}`, concurrency: 1 }));
    expect(problems(WorkloadManagement.manual({ queues }))).toEqual([
      'Test/Wh: workloadManagement.queues (8 queues) must have at most 7 entries: manual WLM allows 8 queues including the default queue',
    ]);
  });

  test('fails when memory percent totals more than 100', () => {
    const wlm = WorkloadManagement.manual({ queues: [{ name: 'a', memoryPercent: 70 }], defaultQueue: { memoryPercent: 40 } });
    expect(problems(wlm)).toEqual(['Test/Wh: workloadManagement (110 percent memory) must allocate at most 100 percent memory over all queues']);
  });

  test('fails when memory percent is set on some queues only', () => {
    const wlm = WorkloadManagement.manual({ queues: [{ name: 'a', memoryPercent: 70 }] });
    expect(problems(wlm)).toEqual([
      'Test/Wh: workloadManagement sets memoryPercent on some queues only: set it on every queue or on none (missing on workloadManagement.defaultQueue)',
    ]);
  });

  test('fails with a memory percent outside 1–100 and a zero timeout', () => {
    const wlm = WorkloadManagement.manual({ defaultQueue: { memoryPercent: 0, timeout: Duration.millis(0) } });
    expect(problems(wlm)).toEqual([
      'Test/Wh: workloadManagement.defaultQueue.memoryPercent (0) must be a whole number between 1 and 100 percent',
      'Test/Wh: workloadManagement.defaultQueue.timeout (0 milliseconds) must be a whole number of milliseconds, at least 1',
    ]);
  });

  test('fails on change priority, which only automatic WLM has, and on hop with query_queue_time', () => {
    const wlm = WorkloadManagement.manual({
      defaultQueue: {
        rules: [
          { name: 'demote', predicates: [{ metric: QmrMetric.QUERY_CPU_TIME, value: 10 }], action: QmrAction.changePriority(WlmQueuePriority.LOW) },
          { name: 'hop_queued', predicates: [{ metric: QmrMetric.QUERY_QUEUE_TIME, value: 10 }], action: QmrAction.HOP },
        ],
      },
    });
    expect(problems(wlm)).toEqual([
      "Test/Wh: workloadManagement.defaultQueue.rules[0].action ('change_query_priority') is only available with automatic WLM",
      "Test/Wh: workloadManagement.defaultQueue.rules[1].action ('hop') cannot be combined with a query_queue_time predicate (Redshift ignores such rules)",
    ]);
  });
});

describe('short query acceleration and query monitoring rules', () => {
  test('fails with a short query max runtime outside 1–20 seconds', () => {
    expect(problems(WorkloadManagement.manual({ shortQueryMaxRuntime: Duration.seconds(21) }))).toEqual([
      'Test/Wh: workloadManagement.shortQueryMaxRuntime (21 seconds) must be between 1 and 20 seconds',
    ]);
  });

  test('fails with a short query max runtime while short query acceleration is off', () => {
    expect(problems(WorkloadManagement.automatic({ shortQueryAcceleration: false, shortQueryMaxRuntime: Duration.seconds(5) }))).toEqual([
      'Test/Wh: workloadManagement.shortQueryMaxRuntime requires shortQueryAcceleration to be enabled',
    ]);
  });

  test('fails with more than 25 rules over all queues', () => {
    const rules = Array.from({ length: 13 }, (_, i) => logRule(`r${i}`));
    const wlm = WorkloadManagement.automatic({
      queues: [{ name: 'a', rules }],
      defaultQueue: { rules: Array.from({ length: 13 }, (_, i) => logRule(`d${i}`)) },
    });
    expect(problems(wlm)).toEqual(['Test/Wh: workloadManagement (26 rules) must have at most 25 query monitoring rules over all queues']);
  });

  test('accepts 25 rules', () => {
    const wlm = WorkloadManagement.automatic({ defaultQueue: { rules: Array.from({ length: 25 }, (_, i) => logRule(`r${i}`)) } });
    expect(problems(wlm)).toEqual([]);
  });

  test('fails on bad rule names, duplicates, predicate counts and values out of the metric range', () => {
    const wlm = WorkloadManagement.automatic({
      queues: [{ name: 'a', rules: [logRule('bad name'), logRule('dup')] }],
      defaultQueue: {
        rules: [
          logRule('dup'),
          { name: 'none', predicates: [], action: QmrAction.LOG },
          { name: 'four', predicates: Array.from({ length: 4 }, () => ({ metric: QmrMetric.CPU_SKEW, value: 1 })), action: QmrAction.LOG },
          { name: 'too_big', predicates: [{ metric: QmrMetric.QUERY_EXECUTION_TIME, value: 86400 }], action: QmrAction.LOG },
          { name: 'negative', predicates: [{ metric: QmrMetric.of('future_metric'), value: -1 }], action: QmrAction.LOG },
          { name: 'x'.repeat(33), predicates: [{ metric: QmrMetric.IO_SKEW, value: 1.5 }], action: QmrAction.LOG },
        ],
      },
    });
    expect(problems(wlm)).toEqual([
      "Test/Wh: workloadManagement.queues[0].rules[0].name ('bad name') must be up to 32 letters, digits or underscores",
      "Test/Wh: workloadManagement.defaultQueue.rules[0].name ('dup') must be unique in the WLM configuration",
      'Test/Wh: workloadManagement.defaultQueue.rules[1].predicates (0 entries) must have between 1 and 3 entries',
      'Test/Wh: workloadManagement.defaultQueue.rules[2].predicates (4 entries) must have between 1 and 3 entries',
      'Test/Wh: workloadManagement.defaultQueue.rules[3].predicates[0].value (86400) must be a whole number between 0 and 86399 for query_execution_time',
      'Test/Wh: workloadManagement.defaultQueue.rules[4].predicates[0].value (-1) must be a whole number of at least 0',
      `Test/Wh: workloadManagement.defaultQueue.rules[5].name ('${'x'.repeat(33)}') must be up to 32 letters, digits or underscores`,
      'Test/Wh: workloadManagement.defaultQueue.rules[5].predicates[0].value (1.5) must be a whole number between 0 and 99 for io_skew',
    ]);
  });

  test('skips token values instead of guessing', () => {
    const wlm = WorkloadManagement.manual({
      queues: [{ name: Token.asString({ Ref: 'Q' }), concurrency: Token.asNumber({ Ref: 'C' }) }],
      defaultQueue: { rules: [{ name: Token.asString({ Ref: 'R' }), predicates: [{ metric: QmrMetric.CPU_SKEW, value: Token.asNumber({ Ref: 'V' }) }], action: QmrAction.ABORT }] },
    });
    expect(problems(wlm)).toEqual([]);
  });
});
