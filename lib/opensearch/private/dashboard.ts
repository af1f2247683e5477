import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';

import { graph } from '../../core/dashboard-widgets';
import { DashboardSection } from '../../core/monitoring';

/** The dashboard rows of an OpenSearch domain, below the alarm status row. */
export function clusterDashboard(domain: opensearch.Domain): DashboardSection[] {
  const minute = Duration.minutes(1);
  const avg = (metricName: string) => domain.metric(metricName, { statistic: cloudwatch.Stats.AVERAGE, period: minute });
  return [
    { title: 'Cluster health', widgets: [
      graph('Cluster status', [domain.metricClusterStatusRed(), domain.metricClusterStatusYellow()]),
      graph('Nodes and writes blocked', [domain.metricNodes({ period: Duration.minutes(5) })], [domain.metricClusterIndexWritesBlocked()]),
    ] },
    { title: 'Storage', widgets: [
      graph('Free storage per node (MiB, minimum)', [domain.metricFreeStorageSpace()]),
      graph('Searchable documents', [domain.metricSearchableDocuments()]),
    ] },
    { title: 'Data and master nodes', widgets: [
      graph('Data node CPU and JVM memory pressure (%)', [domain.metricCPUUtilization(), domain.metricJVMMemoryPressure()]),
      graph('Master node CPU and JVM memory pressure (%)', [domain.metricMasterCPUUtilization(), domain.metricMasterJVMMemoryPressure()]),
    ] },
    { title: 'Thread pools and errors', widgets: [
      graph('Write and search queues (average)', [avg('ThreadpoolWriteQueue'), avg('ThreadpoolSearchQueue')]),
      graph('5xx responses and requests', [domain.metric('5xx', { statistic: cloudwatch.Stats.SUM })], [domain.metric('OpenSearchRequests', { statistic: cloudwatch.Stats.SUM })]),
    ] },
    { title: 'Latency', widgets: [
      graph('Search latency p99 (ms)', [domain.metricSearchLatency()]),
      graph('Indexing latency p99 (ms)', [domain.metricIndexingLatency()]),
    ] },
  ];
}
