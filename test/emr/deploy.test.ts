import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

import { AnalyticsNetwork, EmrCluster, EmrStep, EmrStepActionOnFailure } from '../../lib';
import { testStack } from '../util/app';

/**
 * What CloudFormation and EMR need for the first deploy to provision and for later deploys to change the
 * cluster without losing it. One stack, one cluster per scenario, synthesized once.
 */
describe('EmrCluster deploys, redeploys and changes cleanly', () => {
  const TAG = { Key: 'for-use-with-amazon-emr-managed-policies', Value: 'true' };
  let stack: Stack;
  let template: Template;
  let userVpc: ec2.Vpc;
  const c: Record<string, EmrCluster> = {};
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let resources: Record<string, { Type: string; Properties: Record<string, any>; DependsOn?: string[] }>;
  const props = (name: string) => resources[stack.getLogicalId(c[name].cluster)].Properties;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

  beforeAll(() => {
    stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const logs = new s3.Bucket(stack, 'Logs');
    userVpc = new ec2.Vpc(stack, 'UserVpc', { availabilityZones: ['us-east-1a', 'us-east-1b'], natGateways: 1 });
    c.default = new EmrCluster(stack, 'Plain', { network: AnalyticsNetwork.newVpc({ availabilityZones: ['us-east-1a', 'us-east-1b'] }) });
    c.userVpc = new EmrCluster(stack, 'OnUserVpc', { network: AnalyticsNetwork.fromVpc(userVpc), encryptionKey: key, logBucket: logs });
    c.imported = new EmrCluster(stack, 'OnImportedVpc', {
      network: AnalyticsNetwork.fromVpc(ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
        vpcId: 'vpc-1', availabilityZones: ['us-east-1a', 'us-east-1b'], privateSubnetIds: ['subnet-aaa', 'subnet-bbb'],
      })),
      encryptionKey: key, logBucket: logs,
    });
    c.steps = new EmrCluster(stack, 'LongRunning', {
      network: AnalyticsNetwork.fromVpc(userVpc), encryptionKey: key, logBucket: logs,
      steps: [
        EmrStep.hiveScript({ name: 'Load', script: 's3://bucket/load.q' }),
        EmrStep.sparkSubmit({ name: 'Aggregate', entryPoint: 's3://bucket/agg.py', actionOnFailure: EmrStepActionOnFailure.CANCEL_AND_WAIT }),
      ],
    });
    c.transient = new EmrCluster(stack, 'Transient', {
      network: AnalyticsNetwork.fromVpc(userVpc), encryptionKey: key, logBucket: logs, keepAliveWhenNoSteps: false,
      steps: [EmrStep.sparkSubmit({ name: 'Once', entryPoint: 's3://bucket/once.py', actionOnFailure: EmrStepActionOnFailure.TERMINATE_CLUSTER })],
    });
    template = Template.fromStack(stack);
    resources = JSON.parse(JSON.stringify(template.toJSON().Resources));
  });

  // AmazonEMRServicePolicy_v2 (statement CreateEMRTaggedInstancesAndVolumes) lets ec2:RunInstances and
  // ec2:CreateFleet create instances and volumes only with aws:RequestTag/for-use-with-amazon-emr-managed-policies
  // = true, which EMR propagates from the cluster's tags.
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEMRServicePolicy_v2.html
  test('tags every cluster for-use-with-amazon-emr-managed-policies=true, so EMR may launch its instances', () => {
    for (const name of Object.keys(c)) {
      expect(props(name).Tags).toEqual(expect.arrayContaining([TAG]));
    }
  });

  // Statement CreateInTaggedNetwork: RunInstances, CreateFleet and CreateNetworkInterface on subnet/* and
  // security-group/* only with aws:ResourceTag/for-use-with-amazon-emr-managed-policies = true.
  test('tags the subnets it launches into when the VPC is defined in the app', () => {
    const subnetId = stack.resolve(userVpc.privateSubnets[0].subnetId).Ref;
    expect(resources[subnetId].Properties.Tags).toEqual(expect.arrayContaining([TAG]));
  });

  test('warns, naming the subnets, when it cannot see the tags of imported subnets', () => {
    Annotations.fromStack(stack).hasWarning('/Test/OnImportedVpc',
      Match.stringLikeRegexp('imported subnets subnet-aaa, subnet-bbb, .*tagged for-use-with-amazon-emr-managed-policies=true'));
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('whose tags cannot be seen'));
    expect(warnings.map(w => w.id)).toEqual(['/Test/OnImportedVpc']);
    // Subnets defined in the app get the tag and no warning.
    expect(Annotations.fromStack(stack).findWarning('/Test/OnUserVpc', Match.stringLikeRegexp('for-use-with-amazon-emr-managed-policies'))).toEqual([]);
  });

  // A named security configuration cannot be replaced (the new one would need the same name first), and both
  // its name and content need replacement, so an edit failed the update.
  test('lets CloudFormation name the security configuration, so an edit replaces it cleanly', () => {
    const configurations = ofType('AWS::EMR::SecurityConfiguration');
    expect(configurations.length).toBe(Object.keys(c).length);
    for (const [, r] of configurations) expect(r.Properties.Name).toBeUndefined();
  });

  test('gives nothing a physical name that a retry after a failed first deploy would collide with', () => {
    const named: Array<[string, string]> = [
      ['AWS::EMR::SecurityConfiguration', 'Name'], ['AWS::S3::Bucket', 'BucketName'], ['AWS::Logs::LogGroup', 'LogGroupName'],
      ['AWS::IAM::Role', 'RoleName'], ['AWS::IAM::ManagedPolicy', 'ManagedPolicyName'], ['AWS::IAM::InstanceProfile', 'InstanceProfileName'],
      ['AWS::KMS::Alias', 'AliasName'], ['AWS::EC2::SecurityGroup', 'GroupName'],
    ];
    for (const [type, property] of named) {
      for (const [id, r] of ofType(type)) expect([id, r.Properties?.[property]]).toEqual([id, undefined]);
    }
  });

  // The service access group of private subnets needs only 8443 out to the primary and core/task groups.
  // A group created without SecurityGroupEgress gets EC2's default allow-all egress rule, so an empty inline
  // list is not "no egress".
  // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-man-sec-groups.html
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html
  test('restricts the service access group egress to 8443 towards the cluster groups (no default allow-all rule)', () => {
    const sa = c.default.serviceAccessSecurityGroup;
    const group = resources[stack.getLogicalId(sa.node.defaultChild as ec2.CfnSecurityGroup)].Properties;
    expect(group.SecurityGroupEgress).toEqual([
      { CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', IpProtocol: 'icmp', FromPort: 252, ToPort: 86 },
    ]);
    const egress = ofType('AWS::EC2::SecurityGroupEgress').map(([, r]) => r.Properties)
      .filter(p => JSON.stringify(p.GroupId) === JSON.stringify(stack.resolve(sa.securityGroupId)));
    expect(egress.map(p => [p.IpProtocol, p.FromPort, p.ToPort, p.DestinationSecurityGroupId])).toEqual([
      ['tcp', 8443, 8443, stack.resolve(c.default.primarySecurityGroup.securityGroupId)],
      ['tcp', 8443, 8443, stack.resolve(c.default.coreTaskSecurityGroup.securityGroupId)],
    ]);
  });

  // The security configuration's InstanceMetadataServiceConfiguration (EMR 5.32.0 / 6.2.0 and later) makes
  // the nodes IMDSv2-only; EMR on EC2 takes no launch template.
  // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-create-security-configuration.html
  test('makes every node IMDSv2-only with a hop limit of 1', () => {
    for (const [, r] of ofType('AWS::EMR::SecurityConfiguration')) {
      expect(r.Properties.SecurityConfiguration.InstanceMetadataServiceConfiguration)
        .toEqual({ MinimumInstanceMetadataServiceVersion: 2, HttpPutResponseHopLimit: 1 });
    }
  });

  // Steps of AWS::EMR::Cluster need replacement: adding a step to a running cluster terminated it and launched
  // another. AWS::EMR::Step resources are submitted to the running cluster instead.
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-emr-step.html
  test('submits the steps of a long-running cluster as AWS::EMR::Step resources, one after the other', () => {
    expect(props('steps').Steps).toBeUndefined();
    const steps = ofType('AWS::EMR::Step');
    expect(steps.map(([, r]) => r.Properties)).toEqual([
      { Name: 'Load', ActionOnFailure: 'CONTINUE', JobFlowId: stack.resolve(c.steps.clusterId),
        HadoopJarStep: { Jar: 'command-runner.jar', Args: ['hive-script', '--run-hive-script', '--args', '-f', 's3://bucket/load.q'] } },
      { Name: 'Aggregate', ActionOnFailure: 'CANCEL_AND_WAIT', JobFlowId: stack.resolve(c.steps.clusterId),
        HadoopJarStep: { Jar: 'command-runner.jar', Args: ['spark-submit', '--deploy-mode', 'cluster', 's3://bucket/agg.py'] } },
    ]);
    // Submitted in the order given.
    expect(steps[1][1].DependsOn).toEqual(expect.arrayContaining([steps[0][0]]));
    expect(c.steps.steps.map(s => stack.getLogicalId(s))).toEqual(steps.map(([id]) => id));
  });

  test('keeps the steps of a transient cluster in the cluster, which runs them and terminates', () => {
    expect(props('transient').Steps).toEqual([{ Name: 'Once', ActionOnFailure: 'TERMINATE_CLUSTER',
      HadoopJarStep: { Jar: 'command-runner.jar', Args: ['spark-submit', '--deploy-mode', 'cluster', 's3://bucket/once.py'] } }]);
    expect(c.transient.steps).toEqual([]);
  });
});
