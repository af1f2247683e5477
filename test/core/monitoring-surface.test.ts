/**
 * The public monitoring surface every architecture shares: a `monitoring` property, a validated dashboard name,
 * and aws-cdk-lib's metric casing. No template is synthesized: `node.validate()` and the objects are enough.
 */
import { Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

import { AnalyticsNetwork, ArchitectureMonitoring, RedshiftWarehouse } from '../../lib';
import { testStack } from '../util/app';
import { validationMessages } from '../util/validation-messages';

const metric = new cloudwatch.Metric({ namespace: 'AWS/Kinesis', metricName: 'GetRecords.IteratorAgeMilliseconds' });

function monitoring(stack: Stack, id: string, dashboardName: string | undefined): ArchitectureMonitoring {
  return new ArchitectureMonitoring(stack, id, {
    title: 'x', alarmActionsEnabled: false, dashboardName,
    alarms: [{ id: 'A', metric, threshold: 1, description: 'd' }], sections: [],
  });
}

describe('ArchitectureMonitoring dashboardName', () => {
  const stack = testStack();
  const ok = monitoring(stack, 'Ok', 'Lake_Dashboard-1');
  const token = monitoring(stack, 'Token', Token.asString({ Ref: 'Name' }));
  const tooLong = monitoring(stack, 'TooLong', 'a'.repeat(256));
  const badChars = monitoring(stack, 'BadChars', 'lake dashboard/prod');
  const empty = monitoring(stack, 'Empty', '');

  test('fails names CloudWatch rejects, at synth, naming the property and the allowed characters', () => {
    const rule = 'must be 1 to 255 characters: letters, digits, hyphens (-) and underscores (_)';
    expect([tooLong, badChars, empty].flatMap(validationMessages)).toEqual([
      `Test/TooLong: dashboardName ('${'a'.repeat(256)}') ${rule}`,
      `Test/BadChars: dashboardName ('lake dashboard/prod') ${rule}`,
      `Test/Empty: dashboardName ('') ${rule}`,
    ]);
  });

  test('accepts letters, digits, hyphens and underscores, and skips tokens', () => {
    expect([ok, token].flatMap(validationMessages)).toEqual([]);
    expect(stack.resolve((ok.dashboard!.node.defaultChild as cloudwatch.CfnDashboard).dashboardName)).toBe('Lake_Dashboard-1');
  });

  test('builds the dashboard without a name it rejected, so that aws-cdk-lib does not throw before every problem is reported', () => {
    expect(stack.resolve((badChars.dashboard!.node.defaultChild as cloudwatch.CfnDashboard).dashboardName)).toBeUndefined();
  });
});

describe('every construct with alarms exposes them as monitoring', () => {
  const stack = testStack();
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a', 'us-east-1b'], isolatedSubnetIds: ['subnet-1', 'subnet-2'] });
  const warehouse = new RedshiftWarehouse(stack, 'Wh', { network: AnalyticsNetwork.fromVpc(vpc) });

  test('RedshiftWarehouse: monitoring, with the deprecated alarms and dashboard as aliases', () => {
    expect(warehouse.monitoring).toBeInstanceOf(ArchitectureMonitoring);
    expect(warehouse.monitoring.alarms.map(a => a.node.id)).toEqual(['CpuUtilization', 'DiskSpaceUsed', 'HealthStatus', 'QueuedQueries']);
    expect(warehouse.alarms).toBe(warehouse.monitoring.alarms);
    expect(warehouse.dashboard).toBe(warehouse.monitoring.dashboard);
  });

  test("RedshiftWarehouse: metricCPUUtilization in aws-cdk-lib's casing, the old name an alias", () => {
    expect(warehouse.metricCPUUtilization().metricName).toBe('CPUUtilization');
    expect(stack.resolve(warehouse.metricCpuUtilization().dimensions)).toEqual(stack.resolve(warehouse.metricCPUUtilization().dimensions));
  });
});
