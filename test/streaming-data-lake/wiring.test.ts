/**
 * What a StreamingDataLake does to the things it is wired to: the lake bucket's lifecycle (created or passed),
 * the database it exposes for other constructs, the grants it gives producers and readers, and the template of
 * an env-agnostic stack.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

import { DataBucket, ManagedPolicyRole, StreamingDataLake, StreamingDataLakeSchema } from '../../lib';
import { testApp, testStack } from '../util/app';
import { nagFindings } from '../util/nag';
import { validationMessages } from '../util/validation-messages';

const SCHEMA = StreamingDataLakeSchema.fromColumns([
  { name: 'user_id', type: glue.Schema.STRING },
  { name: 'amount', type: glue.Schema.DOUBLE },
]);

/** A CloudFormation JSON fragment. */
type Cfn = ReturnType<Template['toJSON']>;

/** The lifecycle rules of `bucket` in `template`. */
function lifecycleRules(template: Template, stack: Stack, bucket: s3.IBucket): Cfn[] {
  const id = stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
  return template.toJSON().Resources[id].Properties.LifecycleConfiguration.Rules;
}

/** Every validation message under `stack`, without synthesizing. */
function errorsIn(stack: Stack): string[] {
  return stack.node.findAll().flatMap(validationMessages);
}

/** The statements of a ManagedPolicyRole's one policy. */
function policyStatements(template: Template, stack: Stack, role: ManagedPolicyRole): Cfn[] {
  return template.toJSON().Resources[stack.getLogicalId(role.policy.node.defaultChild as iam.CfnManagedPolicy)].Properties.PolicyDocument.Statement;
}

describe('StreamingDataLake lifecycle of the lake bucket', () => {
  const lifecycle = { infrequentAccessAfter: Duration.days(90), glacierAfter: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) };

  test('gives the bucket it creates the lifecycle it is given', () => {
    const stack = testStack();
    const lake = new StreamingDataLake(stack, 'Lake', { schema: SCHEMA, lifecycle });
    const rules = lifecycleRules(Template.fromStack(stack), stack, lake.bucket);
    expect(rules).toEqual([
      { Id: 'expire-noncurrent-and-abort-incomplete', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
      { Id: 'transition-current', Status: 'Enabled', Transitions: [
        { StorageClass: 'STANDARD_IA', TransitionInDays: 90 }, { StorageClass: 'GLACIER', TransitionInDays: 365 }] },
    ]);
  });

  test('adds the lifecycle to a bucket of this app as rules limited to the data and error prefixes, leaving its own rules', () => {
    const stack = testStack();
    const shared = new DataBucket(stack, 'Shared');
    new StreamingDataLake(stack, 'Lake', { schema: SCHEMA, bucket: shared.bucket, dataPrefix: 'clicks/', errorPrefix: 'errors/clicks/', lifecycle });
    const rules = lifecycleRules(Template.fromStack(stack), stack, shared.bucket);
    expect(rules[0].Id).toEqual('expire-noncurrent-and-abort-incomplete');
    const transitions = [{ StorageClass: 'STANDARD_IA', TransitionInDays: 90 }, { StorageClass: 'GLACIER', TransitionInDays: 365 }];
    expect(rules.slice(1)).toEqual([
      { Id: expect.stringMatching(/-data$/), Prefix: 'clicks/', Status: 'Enabled', Transitions: transitions, NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
      { Id: expect.stringMatching(/-errors$/), Prefix: 'errors/clicks/', Status: 'Enabled', Transitions: transitions,
        NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
    ]);
    expect(errorsIn(stack)).toEqual([]);
  });

  test('fails synth naming lifecycle and the bucket when the bucket is imported, since its rules cannot be changed from here', () => {
    const stack = testStack();
    new StreamingDataLake(stack, 'Lake', { schema: SCHEMA, bucket: s3.Bucket.fromBucketName(stack, 'Imported', 'my-lake'), lifecycle });
    expect(errorsIn(stack)).toEqual([
      "Test/Lake: lifecycle cannot be applied to the imported bucket 'my-lake': an imported bucket takes no lifecycle rules from this app; " +
      'pass a bucket defined in this app (an s3.Bucket, or DataBucket.bucket) or set the rules where the bucket is defined',
    ]);
  });

  test('checks the lifecycle of a passed bucket with the rules of S3 that DataBucket checks', () => {
    const stack = testStack();
    new StreamingDataLake(stack, 'Lake', {
      schema: SCHEMA, bucket: new s3.Bucket(stack, 'Mine'),
      lifecycle: { infrequentAccessAfter: Duration.days(10), glacierAfter: Duration.days(20), noncurrentVersionExpiration: Duration.hours(1) },
    });
    expect(errorsIn(stack)).toEqual([
      'Test/Lake: lifecycle.infrequentAccessAfter (10 days) must be at least 30 days (S3 Standard-IA minimum)',
      'Test/Lake: lifecycle.noncurrentVersionExpiration (1 hour) must be a whole number of days (S3 counts lifecycle rules in days)',
      'Test/Lake: lifecycle.glacierAfter (20 days) must be at least 30 days after lifecycle.infrequentAccessAfter (10 days)',
    ]);
  });

  test('leaves a passed bucket without a lifecycle prop untouched', () => {
    const stack = testStack();
    const mine = new s3.Bucket(stack, 'Mine');
    new StreamingDataLake(stack, 'Lake', { schema: SCHEMA, bucket: mine });
    const id = stack.getLogicalId(mine.node.defaultChild as s3.CfnBucket);
    expect(Template.fromStack(stack).toJSON().Resources[id].Properties?.LifecycleConfiguration).toBeUndefined();
  });
});

describe('StreamingDataLake database', () => {
  test('exposes the database of an existing table, so that passing lake.database on creates no second database', () => {
    const stack = testStack();
    const existing = new StreamingDataLake(stack, 'Existing', {
      schema: StreamingDataLakeSchema.fromTable({ database: glue.Database.fromDatabaseArn(stack, 'Shared', 'arn:aws:glue:us-east-1:111111111111:database/shared'), tableName: 'events' }),
    });
    // `database` is not optional: this line type-checks only because it is always defined.
    const database: glue.IDatabase = existing.database;
    expect(database.databaseName).toEqual('shared');
    expect(stack.resolve(database.databaseArn)).toEqual('arn:aws:glue:us-east-1:111111111111:database/shared');
    new StreamingDataLake(stack, 'Second', { schema: StreamingDataLakeSchema.fromColumns(SCHEMA.columns!, { database }) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Glue::Database', 0);
    template.hasResourceProperties('AWS::Glue::Table', { DatabaseName: 'shared' });
  });
});

describe('StreamingDataLake grants', () => {
  let stack: Stack;
  let template: Template;
  let lake: StreamingDataLake;
  let producer: ManagedPolicyRole;
  let analyst: ManagedPolicyRole;
  beforeAll(() => {
    stack = testStack();
    lake = new StreamingDataLake(stack, 'Lake', { schema: SCHEMA });
    producer = new ManagedPolicyRole(stack, 'Producer', { assumedBy: new iam.AccountRootPrincipal() });
    analyst = new ManagedPolicyRole(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
    lake.grantWrite(producer);
    lake.grantReadData(analyst);
    template = Template.fromStack(stack);
  });

  test('grantWrite lists exact actions: put records on this stream, and a data key of its key through Kinesis only', () => {
    expect(policyStatements(template, stack, producer)).toEqual([
      { Effect: 'Allow', Action: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:ListShards', 'kinesis:PutRecord',
        'kinesis:PutRecords'], Resource: stack.resolve(lake.stream.streamArn) },
      { Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: stack.resolve(lake.encryptionKey.keyArn),
        Condition: { StringEquals: { 'kms:ViaService': 'kinesis.us-east-1.amazonaws.com' } } },
    ]);
  });

  test('grantReadData lists exact actions: the table, the objects and listing under the data prefix only, decrypt through S3 only', () => {
    const bucketArn = stack.resolve(lake.bucket.bucketArn);
    expect(policyStatements(template, stack, analyst)).toEqual([
      { Effect: 'Allow', Action: ['glue:BatchGetPartition', 'glue:GetDatabase', 'glue:GetPartition', 'glue:GetPartitions', 'glue:GetTable',
        'glue:GetTableVersion', 'glue:GetTableVersions'], Resource: [
        'arn:aws:glue:us-east-1:111111111111:catalog',
        { 'Fn::Join': ['', ['arn:aws:glue:us-east-1:111111111111:database/', stack.resolve(lake.databaseName)]] },
        { 'Fn::Join': ['', ['arn:aws:glue:us-east-1:111111111111:table/', stack.resolve(lake.databaseName), '/', stack.resolve(lake.tableName)]] },
      ] },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [bucketArn, '/data/*']] } },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn, Condition: { StringLike: { 's3:prefix': ['data/', 'data/*'] } } },
      { Effect: 'Allow', Action: 's3:GetBucketLocation', Resource: bucketArn },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: stack.resolve(lake.dataBucket!.encryptionKey.keyArn),
        Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } },
    ]);
  });

  test('leaves a ManagedPolicyRole grantee with no nag finding but the documented object wildcard of grantReadData', () => {
    expect(nagFindings(producer)).toEqual([]);
    const bucket = `<${stack.getLogicalId(lake.bucket.node.defaultChild as s3.CfnBucket)}.Arn>`;
    const findings = nagFindings(analyst);
    expect(findings).toHaveLength(1);
    expect(findings[0].startsWith(`AwsSolutions-IAM5[Resource::${bucket}/data/*] (error) at Test/Analyst/Policy/Resource: `)).toBe(true);
  });
});

describe('StreamingDataLake in a stack without env', () => {
  // aws-cdk-lib's template validation warns (W7001) at the stack about a mapping nothing references, where no
  // acknowledgment can be scoped to the lake; the template must not have it.
  test('renders no Firehose CIDR mapping that nothing references (aws-cdk-lib template validation W7001)', () => {
    const stack = new Stack(testApp({ builtinCloudFormationValidation: false }), 'NoEnv');
    new StreamingDataLake(stack, 'Lake', { schema: SCHEMA });
    expect(Template.fromStack(stack).toJSON().Mappings).toBeUndefined();
  });

  test('keeps the mapping when another delivery stream of the stack created it first', () => {
    const stack = new Stack(new App(), 'NoEnv');
    new firehose.DeliveryStream(stack, 'Other', { destination: new firehose.S3Bucket(new s3.Bucket(stack, 'Other bucket')) });
    new StreamingDataLake(stack, 'Lake', { schema: SCHEMA });
    expect(stack.node.tryFindChild('@aws-cdk/aws-kinesisfirehose.CidrBlocks')).toBeDefined();
  });
});

describe('StreamingDataLake with a key the user brings for the stream and the error log group', () => {
  const warningsOf = (stack: Stack) => stack.node.findAll().flatMap(c => c.node.metadata.filter(m => m.type === 'aws:cdk:warning')
    .map(m => String(m.data)));

  test('adds the CloudWatch Logs statement to a key of this app, so the error log group can be created', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    new StreamingDataLake(stack, 'Lake', { schema: SCHEMA, encryptionKey: key });
    const statements = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(key.node.defaultChild as kms.CfnKey)]
      .Properties.KeyPolicy.Statement;
    expect(statements).toContainEqual(expect.objectContaining({
      Principal: { Service: 'logs.us-east-1.amazonaws.com' },
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:111111111111:log-group:*' } },
    }));
    expect(warningsOf(stack).filter(w => w.includes('logsKeyPolicyNotVerified'))).toEqual([]);
  });

  test('warns, naming the key and the statement it needs, when the key is imported', () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'Theirs', 'arn:aws:kms:us-east-1:111111111111:key/0123abcd-0000-0000-0000-000000000000');
    new StreamingDataLake(stack, 'Lake', { schema: SCHEMA, encryptionKey: key });
    const warnings = warningsOf(stack).filter(w => w.includes('logsKeyPolicyNotVerified'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('arn:aws:kms:us-east-1:111111111111:key/0123abcd-0000-0000-0000-000000000000');
    expect(warnings[0]).toContain('logs.us-east-1.amazonaws.com');
  });
});
