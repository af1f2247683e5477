import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

import { AnalyticsNetwork, DataBucket, EmrCapacity, EmrCluster, EmrDataLocation } from '../../lib';
import { testStack } from '../util/app';
import { gluedb } from '../util/glue-database';

/** The statements of a policy or trust policy in the synthesized template, plain JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Statement = { Sid?: string; Action: string | string[]; Resource?: any; Principal?: any; Condition?: any };
const actions = (s: Statement) => [s.Action].flat();

describe('EmrCluster roles grant only what the cluster is given', () => {
  const GLUE = 'arn:aws:glue:us-east-1:111111111111';
  let stack: Stack;
  let lake: DataBucket;
  let reference: s3.Bucket;
  const c: Record<string, EmrCluster> = {};
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let resources: Record<string, { Type: string; Properties: Record<string, any> }>;
  const instancePolicy = (name: string): Statement[] =>
    resources[stack.getLogicalId(c[name].node.findChild('InstanceRole').node.findChild('Policy').node.defaultChild as import('aws-cdk-lib').CfnResource)]
      .Properties.PolicyDocument.Statement;
  const statement = (name: string, sid: string) => instancePolicy(name).find(s => s.Sid === sid);
  const r = (x: unknown) => JSON.parse(JSON.stringify(stack.resolve(x)));

  beforeAll(() => {
    stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'], natGateways: 1 });
    lake = new DataBucket(stack, 'Lake');
    reference = new s3.Bucket(stack, 'Reference', { encryption: s3.BucketEncryption.KMS, encryptionKey: new kms.Key(stack, 'ReferenceKey') });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    c.plain = new EmrCluster(stack, 'Plain', { network: AnalyticsNetwork.fromVpc(vpc), encryptionKey: key });
    c.lake = new EmrCluster(stack, 'OnLake', {
      network: AnalyticsNetwork.fromVpc(vpc), encryptionKey: key,
      dataLocations: [
        EmrDataLocation.read(reference, 'countries/'),
        EmrDataLocation.read(lake.bucket, 'raw/'),
        EmrDataLocation.readWrite(lake.bucket, 'curated/'),
        EmrDataLocation.readWriteDelete(lake.bucket, 'tmp/'),
      ],
      glueDatabases: [gluedb(stack, 'sales')],
    });
    c.deletes = new EmrCluster(stack, 'Deletes', { network: AnalyticsNetwork.fromVpc(vpc), encryptionKey: key, glueDatabases: [gluedb(stack, 'sales'), gluedb(stack, 'sales')], glueDeletes: true });
    c.scaling = new EmrCluster(stack, 'Scaling', {
      network: AnalyticsNetwork.fromVpc(vpc), encryptionKey: key,
      capacity: EmrCapacity.instanceGroups({
        primary: { instanceType: new ec2.InstanceType('m7g.xlarge') },
        core: { instanceType: new ec2.InstanceType('m7g.xlarge') },
        tasks: [{ instanceType: new ec2.InstanceType('m7g.xlarge'), automaticScaling: { minCapacity: 0, maxCapacity: 4 } }],
      }),
    });
    resources = JSON.parse(JSON.stringify(Template.fromStack(stack).toJSON().Resources));
  });

  // The instance role used to get every Glue database of the account with delete rights by default.
  test('by default, reads only the default Glue database and changes and deletes nothing in the catalog or S3', () => {
    expect(instancePolicy('plain').map(s => s.Sid)).toEqual([
      'ListLogBucket', 'WriteClusterLogs', 'UseClusterKey', 'WriteWithBucketKeys', 'ReadGlueCatalog', 'CreateDefaultDatabase',
    ]);
    expect(statement('plain', 'ReadGlueCatalog')!.Resource).toEqual([
      `${GLUE}:catalog`, `${GLUE}:database/default`, `${GLUE}:table/default/*`, `${GLUE}:userDefinedFunction/default/*`,
    ]);
    expect(actions(statement('plain', 'ReadGlueCatalog')!).every(a => /^glue:(Get|BatchGet)/.test(a))).toBe(true);
    expect(statement('plain', 'CreateDefaultDatabase')!.Resource).toEqual([`${GLUE}:catalog`, `${GLUE}:database/default`]);
    for (const s of instancePolicy('plain')) {
      expect(actions(s).filter(a => /Delete/.test(a))).toEqual([]);
    }
  });

  // s3:DeleteObject used to cover every object of every data bucket.
  test('grants each data location exactly its access, under its prefix only', () => {
    const lakeObjects = (prefix: string) => r(lake.bucket.arnForObjects(`${prefix}*`));
    // aws-cdk-lib orders a statement's resources by their rendered JSON.
    const sorted = (xs: unknown[]) => [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(sorted(statement('lake', 'ListDataBuckets')!.Resource)).toEqual(sorted([r(reference.bucketArn), r(lake.bucket.bucketArn)]));
    expect(statement('lake', 'ReadData')!.Action).toEqual('s3:GetObject');
    expect(sorted(statement('lake', 'ReadData')!.Resource)).toEqual(
      sorted([r(reference.arnForObjects('countries/*')), lakeObjects('raw/'), lakeObjects('curated/'), lakeObjects('tmp/')]));
    expect(statement('lake', 'WriteData')).toMatchObject({
      Action: ['s3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:PutObject'], Resource: [lakeObjects('curated/'), lakeObjects('tmp/')],
    });
    expect(statement('lake', 'DeleteData')).toMatchObject({ Action: 's3:DeleteObject', Resource: lakeObjects('tmp/') });
  });

  test('uses a read-only bucket key to decrypt only, and a written bucket key to encrypt', () => {
    expect(statement('lake', 'ReadWithBucketKeys')).toMatchObject({
      Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: r(reference.encryptionKey!.keyArn),
    });
    expect(statement('lake', 'WriteWithBucketKeys')).toMatchObject({
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'], Resource: r(lake.bucket.encryptionKey!.keyArn),
    });
  });

  test('encrypts what EMRFS writes to a bucket with its own key with that key, so that the bucket\'s readers can read it', () => {
    const configuration = resources[stack.getLogicalId(c.lake.securityConfiguration.resource)].Properties.SecurityConfiguration;
    expect(configuration.EncryptionConfiguration.AtRestEncryptionConfiguration.S3EncryptionConfiguration.Overrides).toEqual([
      { BucketName: r(reference.bucketName), EncryptionMode: 'SSE-KMS', AwsKmsKey: r(reference.encryptionKey!.keyArn) },
      { BucketName: r(lake.bucket.bucketName), EncryptionMode: 'SSE-KMS', AwsKmsKey: r(lake.bucket.encryptionKey!.keyArn) },
    ]);
  });

  test('lets the nodes create and update tables of the given databases only, and delete them only when asked', () => {
    const given = [`${GLUE}:catalog`, `${GLUE}:database/sales`, `${GLUE}:table/sales/*`];
    expect(statement('lake', 'ChangeGlueTables')!.Resource).toEqual(given);
    expect(actions(statement('lake', 'ChangeGlueTables')!).filter(a => /Delete/.test(a))).toEqual([]);
    expect(statement('lake', 'DeleteGlueTables')).toBeUndefined();
    expect(statement('deletes', 'DeleteGlueTables')).toMatchObject({
      Action: ['glue:BatchDeletePartition', 'glue:DeletePartition', 'glue:DeleteTable'], Resource: given,
    });
  });

  // Sprawl: a cluster given a lake bucket used to create a log bucket and its access-log bucket as well.
  test('writes its logs to the first writable data location\'s bucket instead of creating a bucket', () => {
    expect(c.lake.logBucket).toBe(lake.bucket);
    expect(c.lake.node.tryFindChild('Logs')).toBeUndefined();
    expect(resources[stack.getLogicalId(c.lake.cluster)].Properties.LogUri).toEqual(r(lake.bucket.s3UrlForObject('emr-logs/')));
    expect(statement('lake', 'WriteClusterLogs')!.Resource).toEqual(r(lake.bucket.arnForObjects('emr-logs/*')));
  });

  // The automatic scaling role used to trust both services from any account.
  // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-role-automatic-scaling.html
  test('lets only this account\'s Application Auto Scaling targets and EMR clusters assume the automatic scaling role', () => {
    const role = resources[stack.getLogicalId(c.scaling.autoScalingRole!.node.defaultChild as import('aws-cdk-lib').CfnResource)].Properties;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'application-autoscaling.amazonaws.com' }, Condition: {
        StringEquals: { 'aws:SourceAccount': '111111111111' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:application-autoscaling:us-east-1:111111111111:scalable-target/*' },
      } },
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'elasticmapreduce.amazonaws.com' }, Condition: {
        StringEquals: { 'aws:SourceAccount': '111111111111' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:elasticmapreduce:us-east-1:111111111111:*' },
      } },
    ]);
  });
});
