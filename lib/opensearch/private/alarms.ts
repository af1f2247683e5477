import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { AlarmDefinition } from '../../core/monitoring';

/** What the thresholds depend on. */
export interface ClusterAlarmContext {
  /** Every node of the domain: masters, data and UltraWarm nodes. */
  readonly nodes: number;
  /** EBS volume size of one data node. */
  readonly volumeSizeGiB: number;
}

/**
 * The alarms AWS recommends for every OpenSearch Service domain, with its thresholds and periods.
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cloudwatch-alarms.html
 */
export function clusterAlarms(domain: opensearch.Domain, ctx: ClusterAlarmContext): AlarmDefinition[] {
  const minute = Duration.minutes(1);
  const gte = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
  return [
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
      threshold: Math.floor(ctx.volumeSizeGiB * 1024 * 0.25),
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
      description: 'A data node has 25% or less of its storage left; at 20 GiB (or 20%) the domain blocks writes. Delete or move old indexes to UltraWarm, or add storage.',
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
      id: 'AutomatedSnapshotFailure',
      metric: domain.metricAutomatedSnapshotFailure({ period: minute }),
      threshold: 1, comparisonOperator: gte,
      description: 'An automated snapshot failed, often because the cluster is red. Fix the cluster health; the next snapshot runs in an hour.',
    },
    {
      // Sustained: 80% average for 15 minutes, three periods in a row.
      id: 'CPUUtilization',
      metric: domain.metricCPUUtilization({ period: Duration.minutes(15), statistic: cloudwatch.Stats.AVERAGE }),
      threshold: 80, comparisonOperator: gte, evaluationPeriods: 3,
      description: 'Data node CPU has been at 80% or more for 45 minutes: scale the data nodes up or out, or reduce the load.',
    },
    {
      // At 95% the JVM runs out of heap and the circuit breaker rejects requests.
      id: 'JVMMemoryPressure',
      metric: domain.metricJVMMemoryPressure({ period: minute }),
      threshold: 95, comparisonOperator: gte, evaluationPeriods: 3,
      description: 'Data node JVM memory pressure reached 95% three minutes in a row: requests will be rejected. Scale up, reduce shard count or heavy aggregations.',
    },
    {
      // Masters do little work; 50% for 45 minutes means they are too small for the cluster state.
      id: 'MasterCPUUtilization',
      metric: domain.metricMasterCPUUtilization({ period: Duration.minutes(15), statistic: cloudwatch.Stats.AVERAGE }),
      threshold: 50, comparisonOperator: gte, evaluationPeriods: 3,
      description: 'Dedicated master CPU has been at 50% or more for 45 minutes: use a larger master instance type.',
    },
    {
      id: 'MasterJVMMemoryPressure',
      metric: domain.metricMasterJVMMemoryPressure({ period: minute }),
      threshold: 95, comparisonOperator: gte, evaluationPeriods: 3,
      description: 'Dedicated master JVM memory pressure reached 95% three minutes in a row: use a larger master instance type or reduce the shard count.',
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
}
