import { Template } from 'aws-cdk-lib/assertions';

import { RedshiftWarehouseDrStack, RedshiftWarehouseStack } from '../../examples/redshift-warehouse';
import { missingContext, TEST_ENV, testApp } from '../util/app';
import { nagAcknowledgments, nagFindings } from '../util/nag';

describe('redshift-warehouse example', () => {
  const app = testApp();
  const dr = new RedshiftWarehouseDrStack(app, 'RedshiftWarehouseDr', { env: { ...TEST_ENV, region: 'us-west-2' } });
  const source = new RedshiftWarehouseStack(app, 'RedshiftWarehouse', { env: TEST_ENV, copyGrant: dr.copyGrant });
  let sourceTemplate: Template;
  let drTemplate: Template;
  beforeAll(() => {
    sourceTemplate = Template.fromStack(source);
    drTemplate = Template.fromStack(dr);
  });

  test('synthesizes with no context lookup (no AWS call, no credentials needed)', () => {
    expect(missingContext(source)).toEqual([]);
    expect(missingContext(dr)).toEqual([]);
  });

  test('the warehouse copies its snapshots to the DR region with the DR stack\'s grant', () => {
    sourceTemplate.hasResourceProperties('AWS::Redshift::Cluster', {
      DestinationRegion: 'us-west-2', SnapshotCopyGrantName: 'analytics-warehouse-dr', SnapshotCopyRetentionPeriod: 7,
    });
    drTemplate.hasResourceProperties('AWS::Redshift::SnapshotCopyGrant', { SnapshotCopyGrantName: 'analytics-warehouse-dr' });
  });

  test('the warehouse stack deploys after the DR stack, so the grant exists when the cluster enables the copy', () => {
    expect(source.dependencies).toEqual([dr]);
    const artifact = app.synth().getStackArtifact(source.artifactId);
    expect(artifact.dependencies.map(d => d.id)).toContain(dr.artifactId);
  });

  test('source stack matches the snapshot', () => {
    expect(sourceTemplate.toJSON()).toMatchSnapshot();
  });

  test('DR stack matches the snapshot', () => {
    expect(drTemplate.toJSON()).toMatchSnapshot();
  });

  test('both stacks pass the four cdk-nag packs', () => {
    expect(nagFindings(source)).toEqual([]);
    expect(nagFindings(dr)).toEqual([]);
  });

  test('the alarms are exactly these and notify the alarm topic', () => {
    expect(source.warehouse.monitoring.alarms.map(a => a.node.path)).toEqual([
      'RedshiftWarehouse/Warehouse/Monitoring/CpuUtilization',
      'RedshiftWarehouse/Warehouse/Monitoring/DiskSpaceUsed',
      'RedshiftWarehouse/Warehouse/Monitoring/HealthStatus',
      'RedshiftWarehouse/Warehouse/Monitoring/QueuedQueries',
    ]);
    sourceTemplate.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [source.resolve(source.alarmTopic.topicArn)] });
  });

  test('the acknowledged nag findings are exactly these', () => {
    expect(nagAcknowledgments(source.warehouse)).toEqual([
      // The Data API function of the WLM groups: a custom-resource handler outside any VPC (see lib/redshift/private/data-api-function.ts).
      ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].flatMap(pack => ['LambdaConcurrency', 'LambdaDLQ', 'LambdaInsideVPC']
        .map(rule => `DataApiFunction/Function/Resource ${pack}-${rule}`)),
      'DataApiFunction/Role/Policy/Resource AwsSolutions-IAM5[Resource::*]',
      'Network/Vpc/Resource CloudFormation-Validate::W3011',
      'Network/Vpc/warehouseSubnet1/Subnet CloudFormation-Validate::W3010',
      'Network/Vpc/warehouseSubnet1/Subnet CloudFormation-Validate::W3011',
      'Network/Vpc/warehouseSubnet2/Subnet CloudFormation-Validate::W3010',
      'Network/Vpc/warehouseSubnet2/Subnet CloudFormation-Validate::W3011',
      'ParameterGroup CloudFormation-Validate::W3011',
      'SecurityGroup/Resource CloudFormation-Validate::W3011',
      'SpectrumRole/Policy/Resource AwsSolutions-IAM5[Resource::<LakeBucketB1D32E10.Arn>/*]',
      'SpectrumRole/Policy/Resource AwsSolutions-IAM5[Resource::arn:aws:glue:us-east-1:111111111111:table/lake/*]',
      'SpectrumRole/Policy/Resource CloudFormation-Validate::W3011',
      'SpectrumRole/Resource CloudFormation-Validate::W3011',
      'SubnetGroup CloudFormation-Validate::W3011',
    ]);
    expect(nagAcknowledgments(dr.copyGrant)).toEqual([]);
  });
});
