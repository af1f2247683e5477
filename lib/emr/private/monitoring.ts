import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

import { graph } from '../../core/dashboard-widgets';
import { ArchitectureMonitoring } from '../../core/monitoring';
import type { EmrCluster } from '../cluster';
import type { EmrClusterProps } from '../cluster-props';

/** The alarms (each on the cluster's own metrics) and the dashboard of an `EmrCluster`. */
export function createClusterMonitoring(cluster: EmrCluster, props: EmrClusterProps): ArchitectureMonitoring {
  const t = props.alarmThresholds ?? {};
  const idleFor = t.idleFor ?? Duration.minutes(30);
  // 5-minute periods; CloudWatch evaluates at most one day (288 periods). Out-of-range values are reported at
  // synth (rules.ts), and clamped here only so that the alarm can be built until then.
  const idlePeriods = idleFor.isUnresolved() ? 6 : Math.min(288, Math.max(1, Math.ceil(idleFor.toMinutes({ integral: false }) / 5)));
  return new ArchitectureMonitoring(cluster, 'Monitoring', {
    alarmsEnabled: props.alarmsEnabled,
    alarmTopic: props.alarmTopic,
    alarmActionsEnabled: props.alarmActionsEnabled,
    dashboardEnabled: props.dashboardEnabled,
    // Checked by ArchitectureMonitoring, which builds with the generated name until an invalid one is fixed.
    dashboardName: props.dashboardName,
    title: `EMR cluster ${cluster.node.path}`,
    alarms: [
      {
        id: 'Idle',
        metric: cluster.metricIsIdle(),
        threshold: 1,
        evaluationPeriods: idlePeriods,
        // Idle time is money spent on nothing; the alarm fires before auto-termination so a long-running
        // cluster nobody uses gets noticed.
        description: `The cluster has been idle for ${idlePeriods * 5} minutes. Terminate it or check the job scheduler.`,
      },
      {
        id: 'UnhealthyNodes',
        metric: cluster.metricUnhealthyNodes(),
        threshold: t.unhealthyNodes ?? 1,
        evaluationPeriods: 3,
        // A node unhealthy for 15 minutes is not a blip: usually a full local disk or a lost Spot node.
        description: 'YARN reports unhealthy nodes for 15 minutes. Check disk usage and the node logs in S3.',
      },
      {
        id: 'HdfsUtilization',
        metric: cluster.metricHdfsUtilization(),
        threshold: t.hdfsUtilizationPercent ?? 80,
        evaluationPeriods: 3,
        // HDFS writes start failing as the disks fill; 80% leaves room to add core capacity.
        description: 'HDFS is filling up. Add core capacity or move data to S3.',
      },
      {
        id: 'YarnMemoryAvailable',
        metric: cluster.metricYarnMemoryAvailablePercentage(),
        threshold: t.yarnMemoryAvailablePercent ?? 15,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 3,
        // 15% is the usual scale-out point: below it new containers wait for memory.
        description: 'Little YARN memory is available for 15 minutes. Raise the scaling limits or add task nodes.',
      },
      {
        id: 'AppsPending',
        metric: cluster.metricAppsPending(),
        threshold: t.appsPending ?? 5,
        evaluationPeriods: 3,
        // Applications queueing for 15 minutes mean the cluster is too small for its workload.
        description: 'YARN applications have been waiting for resources for 15 minutes. Add capacity or spread the schedule.',
      },
    ],
    sections: [
      {
        title: 'Capacity',
        widgets: [
          graph('Nodes', [cluster.metricCoreNodesRunning(), cluster.metricTaskNodesRunning()], [cluster.metricUnhealthyNodes()]),
          graph('YARN memory available (%) and HDFS used (%)', [cluster.metricYarnMemoryAvailablePercentage(), cluster.metricHdfsUtilization()]),
        ],
      },
      {
        title: 'Workload',
        widgets: [
          graph('YARN applications', [cluster.metricAppsRunning(), cluster.metricAppsPending()]),
          graph('Idle', [cluster.metricIsIdle()]),
        ],
      },
    ],
  });
}
