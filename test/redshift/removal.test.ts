import { CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';

import { AnalyticsNetwork, RedshiftSnapshotCopyGrant, RedshiftWarehouse } from '../../lib';
import { REMOVE_DATA_ON_DESTROY_CONTEXT } from '../../lib/core/removal-policy';
import { SecureVpc } from '../../lib/core/secure-vpc';
import { testStack } from '../util/app';
import { gluedb } from '../util/glue-database';

/**
 * What `cdk destroy` and a rolled-back first deploy do to a warehouse: whatever the cluster's removal
 * policy, everything the cluster still uses while it is kept must be kept too (CloudFormation cannot
 * delete a subnet, subnet group, parameter group or security group a live cluster uses: the stack
 * deletion fails), and what holds or decrypts its data (key, audit logs, flow logs) must outlive it.
 */
type Kind = 'cluster' | 'key' | 'auditLogs' | 'flowLogs' | 'subnetGroup' | 'parameterGroup' | 'securityGroup' | 'vpc' | 'subnets'
  | 'spectrumRole' | 'spectrumPolicy';

function cfn(c: IConstruct): CfnResource {
  return (CfnResource.isCfnResource(c) ? c : c.node.defaultChild) as CfnResource;
}

/** The DeletionPolicy of every resource kind of `w`, as the template has it (one value per kind, or the list when they differ). */
function deletionPolicies(template: Template, stack: Stack, w: RedshiftWarehouse): Record<Kind, unknown> {
  const resources = template.toJSON().Resources;
  const policy = (c: IConstruct) => resources[stack.getLogicalId(cfn(c))].DeletionPolicy ?? 'Delete';
  const one = (cs: IConstruct[]) => {
    const values = [...new Set(cs.map(policy))];
    return values.length === 1 ? values[0] : values;
  };
  const network = w.node.tryFindChild('Network') as SecureVpc;
  return {
    cluster: policy(w.cluster),
    key: policy(w.encryptionKey),
    auditLogs: one(w.auditLogGroups),
    flowLogs: policy(network.flowLogGroup),
    subnetGroup: policy(w.subnetGroup),
    parameterGroup: policy(w.parameterGroup),
    securityGroup: policy(w.securityGroup),
    vpc: policy(w.vpc as ec2.Vpc),
    subnets: one(w.vpc.isolatedSubnets),
    spectrumRole: policy(w.spectrumRole!),
    spectrumPolicy: policy(w.spectrumRole!.policy),
  };
}

function all(value: string): Record<Kind, string> {
  return {
    cluster: value, key: value, auditLogs: value, flowLogs: value, subnetGroup: value, parameterGroup: value, securityGroup: value,
    vpc: value, subnets: value, spectrumRole: value, spectrumPolicy: value,
  };
}

function build(stack: Stack, id: string, removalPolicy?: RemovalPolicy): RedshiftWarehouse {
  const lake = s3.Bucket.fromBucketName(stack, `${id}Lake`, 'lake');
  return new RedshiftWarehouse(stack, id, { removalPolicy, spectrum: { lakeBuckets: [lake], glueDatabases: [gluedb(stack, 'lake')] } });
}

describe('RedshiftWarehouse removal policies', () => {
  let plain: Stack;
  let flagged: Stack;
  let plainTemplate: Template;
  let flaggedTemplate: Template;
  const wh: Record<string, RedshiftWarehouse> = {};
  beforeAll(() => {
    plain = testStack('Plain', { env: undefined });
    wh.default = build(plain, 'Default');
    wh.retain = build(plain, 'Retain', RemovalPolicy.RETAIN);
    wh.snapshotWithoutFlag = build(plain, 'SnapshotWithoutFlag', RemovalPolicy.SNAPSHOT);
    plainTemplate = Template.fromStack(plain);
    flagged = testStack('Flagged', { env: undefined }, { context: { [REMOVE_DATA_ON_DESTROY_CONTEXT]: true } });
    wh.retainExceptOnCreate = build(flagged, 'RetainExceptOnCreate', RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    wh.snapshot = build(flagged, 'Snapshot', RemovalPolicy.SNAPSHOT);
    wh.destroy = build(flagged, 'Destroy', RemovalPolicy.DESTROY);
    flaggedTemplate = Template.fromStack(flagged);
  });

  test('by default keeps the cluster and everything it uses or that holds its data, with one policy', () => {
    expect(deletionPolicies(plainTemplate, plain, wh.default)).toEqual(all('RetainExceptOnCreate'));
  });

  test('RETAIN keeps the subnet, parameter and security groups, the VPC and the Spectrum role with the cluster', () => {
    expect(deletionPolicies(plainTemplate, plain, wh.retain)).toEqual(all('Retain'));
  });

  test('RETAIN_ON_UPDATE_OR_DELETE keeps all of them on delete, and deletes all of them when the create rolls back', () => {
    expect(deletionPolicies(flaggedTemplate, flagged, wh.retainExceptOnCreate)).toEqual(all('RetainExceptOnCreate'));
  });

  test('SNAPSHOT takes a final snapshot of the cluster, keeps the key that decrypts it and the audit logs, and deletes the rest', () => {
    expect(deletionPolicies(flaggedTemplate, flagged, wh.snapshot)).toEqual({
      ...all('Delete'), cluster: 'Snapshot', key: 'RetainExceptOnCreate', auditLogs: 'RetainExceptOnCreate', flowLogs: 'RetainExceptOnCreate',
    });
  });

  test('SNAPSHOT needs no destroy flag: it keeps the data', () => {
    expect(deletionPolicies(plainTemplate, plain, wh.snapshotWithoutFlag)).toEqual(
      deletionPolicies(flaggedTemplate, flagged, wh.snapshot));
    expect(wh.snapshotWithoutFlag.node.metadata.filter(m => m.type === 'aws:cdk:warning')).toEqual([]);
  });

  test('DESTROY with the context flag deletes everything', () => {
    expect(deletionPolicies(flaggedTemplate, flagged, wh.destroy)).toEqual(all('Delete'));
  });

  test('a replaced subnet, parameter or security group is deleted after the cluster moved to the new one (no orphan)', () => {
    const resources = plainTemplate.toJSON().Resources;
    for (const c of [wh.retain.subnetGroup, wh.retain.parameterGroup, wh.retain.securityGroup, wh.retain.spectrumRole!]) {
      expect(resources[plain.getLogicalId(cfn(c))].UpdateReplacePolicy).toBeUndefined();
    }
    expect(resources[plain.getLogicalId(cfn(wh.retain.cluster))].UpdateReplacePolicy).toBe('Retain');
  });

  test('leaves a VPC and a key the user passed as they are', () => {
    const stack = testStack('Own');
    const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'], natGateways: 0,
      subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
    new RedshiftWarehouse(stack, 'Wh', { network: AnalyticsNetwork.fromVpc(vpc), encryptionKey: key, removalPolicy: RemovalPolicy.RETAIN });
    const resources = Template.fromStack(stack).toJSON().Resources;
    expect(resources[stack.getLogicalId(vpc.node.defaultChild as CfnResource)].DeletionPolicy).toBeUndefined();
    expect(resources[stack.getLogicalId(key.node.defaultChild as CfnResource)].DeletionPolicy).toBe('Delete');
  });

  test('a snapshot copy grant asked for SNAPSHOT keeps its key (the copied snapshots need it) and keeps the grant deletable', () => {
    const stack = testStack('Dr', {}, { context: { [REMOVE_DATA_ON_DESTROY_CONTEXT]: true } });
    const grant = new RedshiftSnapshotCopyGrant(stack, 'Grant', { removalPolicy: RemovalPolicy.SNAPSHOT });
    const resources = Template.fromStack(stack).toJSON().Resources;
    expect(resources[stack.getLogicalId(cfn(grant.encryptionKey))].DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(resources[stack.getLogicalId(grant.grant)].DeletionPolicy).toBeUndefined();
  });
});

describe('RedshiftWarehouse in a VPC of the same stack', () => {
  const warnings = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('redshiftNetworkDeletedUnderCluster'))
    .map(w => `${w.id}: ${w.entry.data}`);

  function inOwnVpc(removalPolicy?: RemovalPolicy, subnetPolicy?: RemovalPolicy): Stack {
    const stack = testStack('Own', {}, { context: { [REMOVE_DATA_ON_DESTROY_CONTEXT]: true } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'], natGateways: 0,
      subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    new RedshiftWarehouse(stack, 'Wh', { network: AnalyticsNetwork.fromVpc(vpc), removalPolicy });
    // Set after the warehouse: the check runs at synth.
    if (subnetPolicy) vpc.isolatedSubnets.forEach(sn => cfn(sn).applyRemovalPolicy(subnetPolicy));
    return stack;
  }

  test('warns, naming the subnets, when a kept cluster sits in subnets that cdk destroy deletes', () => {
    expect(warnings(inOwnVpc())).toEqual([
      '/Own/Wh: the cluster is kept when the stack is deleted, but its subnets Own/Vpc/dbSubnet1, Own/Vpc/dbSubnet2 are deleted: ' +
      'CloudFormation cannot delete a subnet that a kept cluster uses, so cdk destroy fails there. Give these subnets the ' +
      "cluster's removal policy (applyRemovalPolicy on their CfnSubnet), or use a VPC of another stack " +
      '[ack: cdk-analytics-blueprints:redshiftNetworkDeletedUnderCluster]',
    ]);
  });

  test('does not warn when the subnets are kept too, when the cluster is deleted, or for an imported VPC', () => {
    expect(warnings(inOwnVpc(undefined, RemovalPolicy.RETAIN))).toEqual([]);
    expect(warnings(inOwnVpc(RemovalPolicy.DESTROY))).toEqual([]);
    expect(warnings(inOwnVpc(RemovalPolicy.SNAPSHOT))).toEqual([]);
    const stack = testStack();
    new RedshiftWarehouse(stack, 'Wh', {
      network: AnalyticsNetwork.fromVpc(ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-1'] })),
    });
    expect(warnings(stack)).toEqual([]);
  });
});
