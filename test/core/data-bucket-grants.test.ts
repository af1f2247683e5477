import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';

import { DataBucket, ManagedPolicyRole } from '../../lib';
import { nagResourceId } from '../../lib/core/nag';
import { testStack } from '../util/app';
import { wildcardFindings } from '../util/nag';
import { nagFindings } from '../util/nag';

interface StatementJson {
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** The statements of a role's managed policy, as CloudFormation gets them. */
function statementsOf(stack: Stack, role: ManagedPolicyRole): StatementJson[] {
  const cfn = role.policy.node.defaultChild as iam.CfnManagedPolicy;
  return (stack.resolve(cfn.policyDocument) as { Statement: StatementJson[] }).Statement;
}
const actionsOf = (statements: StatementJson[]) => statements.flatMap(s => ([] as string[]).concat(s.Action)).sort();

describe('DataBucket grants: exact actions, and no finding but the objects\' ARN on a ManagedPolicyRole', () => {
  let stack: Stack;
  let lake: DataBucket;
  let reader: ManagedPolicyRole;
  let writer: ManagedPolicyRole;
  let bucketArn: unknown;
  let keyArn: unknown;
  beforeAll(() => {
    stack = testStack();
    lake = new DataBucket(stack, 'Lake');
    reader = new ManagedPolicyRole(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
    writer = new ManagedPolicyRole(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
    lake.grantRead(reader);
    lake.grantReadWrite(writer, 'curated/*');
    Template.fromStack(stack);
    bucketArn = stack.resolve(lake.bucket.bucketArn);
    keyArn = stack.resolve(lake.encryptionKey.keyArn);
  });

  test('grantRead: s3:GetObject on the objects, s3:ListBucket on the bucket, kms:Decrypt on the key, nothing else', () => {
    const statements = statementsOf(stack, reader);
    expect(actionsOf(statements)).toEqual(['kms:Decrypt', 's3:GetObject', 's3:ListBucket']);
    expect(statements).toEqual(expect.arrayContaining([
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: stack.resolve(lake.bucket.arnForObjects('*')) },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn },
    ]));
  });

  test('grantReadWrite: adds PutObject, DeleteObject, AbortMultipartUpload and kms:GenerateDataKey; ListBucket limited to the prefix', () => {
    const statements = statementsOf(stack, writer);
    expect(actionsOf(statements)).toEqual([
      'kms:Decrypt', 'kms:GenerateDataKey', 's3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject',
    ]);
    expect(statements).toEqual(expect.arrayContaining([
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn, Condition: { StringLike: { 's3:prefix': ['curated/*'] } } },
      {
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:PutObject'],
        Resource: stack.resolve(lake.bucket.arnForObjects('curated/*')),
      },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: keyArn },
    ]));
  });

  test('no wildcard action; the one wildcard left is the objects\' ARN, which S3 names by key', () => {
    expect(wildcardFindings(reader.policy)).toEqual([`Resource::${nagResourceId(stack, lake.bucket.arnForObjects('*'))}`]);
    expect(wildcardFindings(writer.policy)).toEqual([`Resource::${nagResourceId(stack, lake.bucket.arnForObjects('curated/*'))}`]);
  });

  test('the four packs find nothing else: AwsSolutions-IAM5 on each grantee\'s policy, as the README documents', () => {
    const bucket = `<${stack.getLogicalId(lake.bucket.node.defaultChild as s3.CfnBucket)}.Arn>`;
    expect(nagFindings(stack).map(f => f.replace(/: .*$/, ''))).toEqual([
      `AwsSolutions-IAM5[Resource::${bucket}/*] (error) at Test/Reader/Policy/Resource`,
      `AwsSolutions-IAM5[Resource::${bucket}/curated/*] (error) at Test/Writer/Policy/Resource`,
    ]);
  });

  test('a key pattern without wildcard limits ListBucket to that key', () => {
    const s = testStack();
    const bucket = new DataBucket(s, 'Lake');
    const one = new ManagedPolicyRole(s, 'One', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
    bucket.grantRead(one, 'exports/2024/report.csv');
    expect(statementsOf(s, one)).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': ['exports/2024/report.csv*'] } } }),
    ]));
  });
});
