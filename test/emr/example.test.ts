import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

import { EmrSpotStack } from '../../examples/emr-spot';
import { EmrFleetsStack } from '../../examples/emr-spot/fleets';
import { missingContext, TEST_ENV, testApp } from '../util/app';
import { nagAcknowledgments, nagFindings } from '../util/nag';

describe('examples/emr-spot', () => {
  let groups: EmrSpotStack;
  let fleets: EmrFleetsStack;
  const templates = new Map<Stack, Template>();
  beforeAll(() => {
    const app = testApp();
    groups = new EmrSpotStack(app, 'EmrSpot', { env: TEST_ENV });
    fleets = new EmrFleetsStack(app, 'EmrFleets', { env: TEST_ENV });
    templates.set(groups, Template.fromStack(groups));
    templates.set(fleets, Template.fromStack(fleets));
  });

  test('synthesizes with no context lookup (no AWS call, no credentials needed)', () => {
    expect(missingContext(groups)).toEqual([]);
    expect(missingContext(fleets)).toEqual([]);
  });

  test('instance groups example matches the snapshot', () => {
    expect(templates.get(groups)!.toJSON()).toMatchSnapshot();
  });

  test('instance fleets example matches the snapshot', () => {
    expect(templates.get(fleets)!.toJSON()).toMatchSnapshot();
  });

  test('both examples pass the four cdk-nag packs', () => {
    expect(nagFindings(groups)).toEqual([]);
    expect(nagFindings(fleets)).toEqual([]);
  });

  test('acknowledges only the listed findings (contract list)', () => {
    // Acknowledged in both examples.
    const common = [
      'Resource AwsSolutions-EMR4',
      'Resource AwsSolutions-EMR5',
      'Resource AwsSolutions-EMR6',
      'Resource HIPAA.Security-EMRKerberosEnabled',
      'Resource PCI.DSS.321-EMRKerberosEnabled',
      'ServiceRole/Resource AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2]',
      // The logs share the lake bucket (no log bucket of its own, so no access-log bucket acknowledgments).
      'InstanceRole/Policy/Resource AwsSolutions-IAM5[Resource::<LakeBucketB1D32E10.Arn>/emr-logs/*]',
      'InstanceRole/Policy/Resource AwsSolutions-IAM5[Resource::<LakeBucketB1D32E10.Arn>/raw/*]',
      'InstanceRole/Policy/Resource AwsSolutions-IAM5[Resource::<LakeBucketB1D32E10.Arn>/analytics/*]',
      // Read-only access to the default database; changes only in `analytics`.
      'InstanceRole/Policy/Resource AwsSolutions-IAM5[Resource::arn:aws:glue:us-east-1:111111111111:table/analytics/*]',
      'InstanceRole/Policy/Resource AwsSolutions-IAM5[Resource::arn:aws:glue:us-east-1:111111111111:table/default/*]',
      'InstanceRole/Policy/Resource AwsSolutions-IAM5[Resource::arn:aws:glue:us-east-1:111111111111:userDefinedFunction/analytics/*]',
      'InstanceRole/Policy/Resource AwsSolutions-IAM5[Resource::arn:aws:glue:us-east-1:111111111111:userDefinedFunction/default/*]',
      // Not nag findings: the AZ names of the created VPC are literal by design (lib/core/secure-vpc.ts).
      'Network/Vpc/ClusterSubnet1/Subnet CloudFormation-Validate::W3010',
      'Network/Vpc/ClusterSubnet2/Subnet CloudFormation-Validate::W3010',
      'Network/Vpc/NatSubnet1/Subnet CloudFormation-Validate::W3010',
      'Network/Vpc/NatSubnet2/Subnet CloudFormation-Validate::W3010',
      'Network/Vpc/NatSubnet1/DefaultRoute HIPAA.Security-VPCNoUnrestrictedRouteToIGW',
      'Network/Vpc/NatSubnet1/DefaultRoute NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
      'Network/Vpc/NatSubnet1/DefaultRoute PCI.DSS.321-VPCNoUnrestrictedRouteToIGW',
      'Network/Vpc/NatSubnet2/DefaultRoute HIPAA.Security-VPCNoUnrestrictedRouteToIGW',
      'Network/Vpc/NatSubnet2/DefaultRoute NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
      'Network/Vpc/NatSubnet2/DefaultRoute PCI.DSS.321-VPCNoUnrestrictedRouteToIGW',
    ];
    // Only with automatic scaling of a task group, and a prefix the nodes read only (groups example).
    expect(nagAcknowledgments(groups.cluster)).toEqual([
      ...common,
      'AutoScalingRole/Policy/Resource AwsSolutions-IAM5[Resource::arn:aws:cloudwatch:us-east-1:111111111111:alarm:*]',
      'AutoScalingRole/Policy/Resource AwsSolutions-IAM5[Resource::arn:aws:elasticmapreduce:us-east-1:111111111111:cluster/*]',
      'InstanceRole/Policy/Resource AwsSolutions-IAM5[Resource::<LakeBucketB1D32E10.Arn>/jobs/*]',
      'Resource CloudFormation-Validate::E1029',
    ].sort());
    expect(nagAcknowledgments(fleets.cluster)).toEqual(common.sort());
  });
});
