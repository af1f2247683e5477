import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

import { graph } from '../../core/dashboard-widgets';
import { AlarmDefinition, DashboardSection } from '../../core/monitoring';
import type { RedshiftWarehouse } from '../warehouse';
import type { RedshiftWarehouseAlarmThresholds } from '../warehouse-props';

/** The alarms of a warehouse, each on the warehouse's own metrics, with the reason for its threshold. */
export function warehouseAlarms(w: RedshiftWarehouse, t: RedshiftWarehouseAlarmThresholds): AlarmDefinition[] {
  return [
    {
      // Sustained, not momentary: Redshift spikes to 100 % on every big query. 3 × 5 min keeps the noise out.
      id: 'CpuUtilization', metric: w.metricCPUUtilization(), threshold: t.cpuUtilizationPercent ?? 90, evaluationPeriods: 3,
      description: 'CPU has stayed high for 15 minutes: look for runaway queries (STV_RECENTS, QMR logs) or resize the cluster.',
    },
    {
      id: 'DiskSpaceUsed', metric: w.metricPercentageDiskSpaceUsed(), threshold: t.diskSpaceUsedPercent ?? 80,
      description: 'Disk space is running out: queries spill to disk and fail near 100 %. Vacuum, drop unused tables or resize.',
    },
    {
      // HealthStatus is reported every minute; 5 unhealthy minutes in a row is an outage, not a blip.
      // Missing data also alarms: an unreachable cluster stops reporting.
      id: 'HealthStatus', metric: w.metricHealthStatus(), threshold: 1, evaluationPeriods: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      description: 'The cluster fails its health check query: check the events of the cluster and its maintenance state.',
    },
    {
      id: 'QueuedQueries', metric: w.metricWlmQueueLength(), threshold: t.queuedQueries ?? 10, evaluationPeriods: 3,
      description: 'Queries keep waiting in WLM queues: review the WLM queues, enable concurrency scaling or resize.',
    },
  ];
}

/** The dashboard of a warehouse below the alarm row: the cluster, then the workload. */
export function warehouseDashboard(w: RedshiftWarehouse): DashboardSection[] {
  return [
    { title: 'Cluster', widgets: [
      graph('CPU utilization (%)', [w.metricCPUUtilization()]),
      graph('Disk space used (%)', [w.metricPercentageDiskSpaceUsed()]),
      graph('Health and maintenance', [w.metricHealthStatus(), w.metricMaintenanceMode()]),
      graph('Database connections', [w.metricDatabaseConnections()]),
    ] },
    { title: 'Workload', widgets: [
      graph('Queries waiting in WLM queues', [w.metricWlmQueueLength()]),
      graph('Query duration by latency (microseconds)', ['short', 'medium', 'long'].map(l => w.metricQueryDuration(l))),
      graph('Concurrency scaling clusters', [w.metric('ConcurrencyScalingActiveClusters')]),
      graph('Commit queue length', [w.metric('CommitQueueLength')]),
    ] },
  ];
}
