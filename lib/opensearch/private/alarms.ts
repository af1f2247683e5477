import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';

import { AlarmDefinition } from '../../core/monitoring';
import { OpenSearchAlarmThresholds } from '../alarm-thresholds';

/** What the thresholds depend on. */
export interface ClusterAlarmContext {
  /** Every node of the domain: masters, data and UltraWarm nodes. */
  readonly nodes: number;
  /** EBS volume size of one data node. */
  readonly volumeSizeGiB: number;
  /** Whether the engine publishes the old-generation JVM metrics (OpenSearch engines). */
  readonly oldGenMetrics: boolean;
  readonly thresholds: OpenSearchAlarmThresholds;
}

/** The thresholds with every default resolved (AWS's recommended values). */
export function resolveThresholds(t: OpenSearchAlarmThresholds = {}): Required<OpenSearchAlarmThresholds> {
  return {
    cpuUtilizationPercent: t.cpuUtilizationPercent ?? 80,
    jvmMemoryPressurePercent: t.jvmMemoryPressurePercent ?? 95,
    oldGenJvmMemoryPressurePercent: t.oldGenJvmMemoryPressurePercent ?? 80,
    masterCpuUtilizationPercent: t.masterCpuUtilizationPercent ?? 50,
    masterJvmMemoryPressurePercent: t.masterJvmMemoryPressurePercent ?? 95,
    masterOldGenJvmMemoryPressurePercent: t.masterOldGenJvmMemoryPressurePercent ?? 80,
    freeStoragePercent: t.freeStoragePercent ?? 25,
    http5xxPercent: t.http5xxPercent ?? 10,
    threadpoolWriteQueue: t.threadpoolWriteQueue ?? 100,
    threadpoolSearchQueue: t.threadpoolSearchQueue ?? 500,
    threadpoolSearchQueueMaximum: t.threadpoolSearchQueueMaximum ?? 5000,
    shardsActive: t.shardsActive ?? 30000,
  };
}

/**
 * The alarms AWS recommends for every OpenSearch Service domain, with its thresholds and periods, built
 * from the domain's own metric methods (`metric*`, `metric(name)`) so that the dimensions are right.
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cloudwatch-alarms.html
 * @see https://github.com/ev2900/OpenSearch_CloudWatch_Alarms (the sample stack that page links to: DIFF of the
 *   rejected-task counters, which are cumulative per node)
 */
export function clusterAlarms(domain: opensearch.Domain, ctx: ClusterAlarmContext): AlarmDefinition[] {
  const t = resolveThresholds(ctx.thresholds);
  const minute = Duration.minutes(1);
  const gte = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
  const max = cloudwatch.Stats.MAXIMUM;
  const rejected = (metricName: string) => new cloudwatch.MathExpression({
    expression: 'DIFF(rejected)',
    usingMetrics: { rejected: domain.metric(metricName, { statistic: cloudwatch.Stats.SUM, period: minute }) },
    period: minute,
    label: `${metricName} (new in the minute)`,
  });
  const alarms: AlarmDefinition[] = [
    {
      id: 'ClusterStatusRed',
      metric: domain.metricClusterStatusRed({ period: minute }),
      threshold: 1, comparisonOperator: gte,
      description: 'At least one primary shard and its replicas are not allocated: some data is not searchable. Check free storage, JVM pressure and node count first.',
    },
    {
      // Yellow is normal for a moment while replicas move; five minutes in a row means they cannot be placed.
      id: 'ClusterStatusYellow',
      metric: domain.metricClusterStatusYellow({ period: minute }),
      threshold: 1, comparisonOperator: gte, evaluationPeriods: 5,
      description: 'Replica shards have not been allocated for 5 minutes: the cluster would lose data if a node failed. Check free storage and node count.',
    },
    {
      // AWS: alarm at 25% of the storage of one node; the metric is the minimum over nodes, in MiB.
      id: 'FreeStorageSpace',
      metric: domain.metricFreeStorageSpace({ period: minute }),
      threshold: Math.floor(ctx.volumeSizeGiB * 1024 * (t.freeStoragePercent / 100)),
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
      description: `A data node has ${t.freeStoragePercent}% or less of its storage left; at 20 GiB (or 20%) the domain blocks writes. Delete or move old indexes to UltraWarm, or add storage.`,
    },
    {
      id: 'ClusterIndexWritesBlocked',
      metric: domain.metricClusterIndexWritesBlocked({ period: Duration.minutes(5) }),
      threshold: 1, comparisonOperator: gte,
      description: 'The cluster blocks writes (low storage, high JVM pressure or a block set by hand). Free storage or memory, then remove the block.',
    },
    {
      // Fewer nodes than configured for a whole day: a node was lost and not replaced.
      id: 'Nodes',
      metric: domain.metricNodes({ period: Duration.days(1) }),
      threshold: ctx.nodes,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      description: `The domain had fewer than its ${ctx.nodes} nodes for a day: a node failed and was not replaced. Contact AWS Support.`,
    },
    {
      // The elected master was unreachable from a node for a day (AWS: maximum < 1 for 1 day).
      id: 'MasterReachableFromNode',
      metric: domain.metric('MasterReachableFromNode', { statistic: max, period: Duration.days(1) }),
      threshold: 1, comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      description: 'The master node was not reachable from a node: it is stopped or the network failed. Check master CPU and JVM pressure; contact AWS Support if it lasts.',
    },
    {
      id: 'AutomatedSnapshotFailure',
      metric: domain.metricAutomatedSnapshotFailure({ period: minute }),
      threshold: 1, comparisonOperator: gte,
      description: 'An automated snapshot failed, often because the cluster is red. Fix the cluster health; the next snapshot runs in an hour.',
    },
    {
      id: 'CPUUtilization',
      metric: domain.metricCPUUtilization({ period: Duration.minutes(15), statistic: cloudwatch.Stats.AVERAGE }),
      threshold: t.cpuUtilizationPercent, comparisonOperator: gte, evaluationPeriods: 3,
      description: `Data node CPU has been at ${t.cpuUtilizationPercent}% or more for 45 minutes: scale the data nodes up or out, or reduce the load.`,
    },
    {
      // At 95% the JVM runs out of heap and the circuit breaker rejects requests.
      id: 'JVMMemoryPressure',
      metric: domain.metricJVMMemoryPressure({ period: minute }),
      threshold: t.jvmMemoryPressurePercent, comparisonOperator: gte, evaluationPeriods: 3,
      description: `Data node JVM memory pressure reached ${t.jvmMemoryPressurePercent}% three minutes in a row: requests will be rejected. Scale up, reduce shard count or heavy aggregations.`,
    },
    {
      // Masters do little work; 50% for 45 minutes means they are too small for the cluster state.
      id: 'MasterCPUUtilization',
      metric: domain.metricMasterCPUUtilization({ period: Duration.minutes(15), statistic: cloudwatch.Stats.AVERAGE }),
      threshold: t.masterCpuUtilizationPercent, comparisonOperator: gte, evaluationPeriods: 3,
      description: `Dedicated master CPU has been at ${t.masterCpuUtilizationPercent}% or more for 45 minutes: use a larger master instance type.`,
    },
    {
      id: 'MasterJVMMemoryPressure',
      metric: domain.metricMasterJVMMemoryPressure({ period: minute }),
      threshold: t.masterJvmMemoryPressurePercent, comparisonOperator: gte, evaluationPeriods: 3,
      description: `Dedicated master JVM memory pressure reached ${t.masterJvmMemoryPressurePercent}% three minutes in a row: use a larger master instance type or reduce the shard count.`,
    },
    {
      id: 'ThreadpoolWriteQueue',
      metric: domain.metric('ThreadpoolWriteQueue', { statistic: cloudwatch.Stats.AVERAGE, period: minute }),
      threshold: t.threadpoolWriteQueue, comparisonOperator: gte,
      description: `On average ${t.threadpoolWriteQueue} or more indexing tasks wait in the write thread pool: writes will be rejected (429). Check CPU and ThreadpoolWriteRejected; scale out or slow the producers.`,
    },
    {
      id: 'ThreadpoolWriteRejected',
      metric: rejected('ThreadpoolWriteRejected'),
      threshold: 1, comparisonOperator: gte,
      description: 'The write thread pool rejected indexing tasks in the last minute: clients got 429. Scale out, or reduce bulk concurrency.',
    },
    {
      id: 'ThreadpoolSearchQueue',
      metric: domain.metric('ThreadpoolSearchQueue', { statistic: cloudwatch.Stats.AVERAGE, period: minute }),
      threshold: t.threadpoolSearchQueue, comparisonOperator: gte,
      description: `On average ${t.threadpoolSearchQueue} or more searches wait in the search thread pool: the cluster is at capacity. Scale out or make queries cheaper.`,
    },
    {
      id: 'ThreadpoolSearchQueueMaximum',
      metric: domain.metric('ThreadpoolSearchQueue', { statistic: max, period: minute }),
      threshold: t.threadpoolSearchQueueMaximum, comparisonOperator: gte,
      description: `A node has ${t.threadpoolSearchQueueMaximum} or more searches queued: it is a hot spot. Check shard balance and heavy queries.`,
    },
    {
      id: 'ThreadpoolSearchRejected',
      metric: rejected('ThreadpoolSearchRejected'),
      threshold: 1, comparisonOperator: gte,
      description: 'The search thread pool rejected searches in the last minute: clients got 429. Scale out or make queries cheaper.',
    },
    {
      // AWS: 5xx >= 10% of OpenSearchRequests over 5 minutes.
      id: 'Http5xx',
      metric: new cloudwatch.MathExpression({
        expression: '100 * errors / requests',
        usingMetrics: {
          errors: domain.metric('5xx', { statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
          requests: domain.metric('OpenSearchRequests', { statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
        },
        period: Duration.minutes(5),
        label: '5xx responses (% of requests)',
      }),
      threshold: t.http5xxPercent, comparisonOperator: gte,
      description: `${t.http5xxPercent}% or more of the requests in 5 minutes ended in a 5xx: the cluster is overloaded or unhealthy. Check cluster status, JVM pressure and thread pools.`,
    },
    {
      id: 'ShardsActive',
      metric: domain.metric('Shards.active', { statistic: max, period: minute }),
      threshold: t.shardsActive, comparisonOperator: gte,
      description: `The domain holds ${t.shardsActive} or more shards: cluster operations slow down and upgrades may fail. Shrink or delete indexes, or roll over less often.`,
    },
    {
      id: 'KMSKeyError',
      metric: domain.metricKMSKeyError({ period: minute }),
      threshold: 1, comparisonOperator: gte,
      description: 'The KMS key that encrypts the domain is disabled: re-enable it, or the domain will lose access to its data.',
    },
    {
      id: 'KMSKeyInaccessible',
      metric: domain.metricKMSKeyInaccessible({ period: minute }),
      threshold: 1, comparisonOperator: gte,
      description: 'The KMS key that encrypts the domain was deleted or its grants revoked: the domain cannot recover without it. Restore the key or its grants.',
    },
  ];
  if (ctx.oldGenMetrics) {
    alarms.push(
      {
        id: 'OldGenJVMMemoryPressure',
        metric: domain.metric('OldGenJVMMemoryPressure', { statistic: max, period: minute }),
        threshold: t.oldGenJvmMemoryPressurePercent, comparisonOperator: gte, evaluationPeriods: 3,
        description: `Data node old-generation heap reached ${t.oldGenJvmMemoryPressurePercent}% three minutes in a row: garbage collection cannot free memory. Reduce shards, field data or aggregations, or scale up.`,
      },
      {
        id: 'MasterOldGenJVMMemoryPressure',
        metric: domain.metric('MasterOldGenJVMMemoryPressure', { statistic: max, period: minute }),
        threshold: t.masterOldGenJvmMemoryPressurePercent, comparisonOperator: gte, evaluationPeriods: 3,
        description: `Dedicated master old-generation heap reached ${t.masterOldGenJvmMemoryPressurePercent}% three minutes in a row: use a larger master instance type.`,
      },
    );
  }
  return alarms;
}
