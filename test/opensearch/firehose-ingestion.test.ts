import { Duration, Size, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';

import { AnalyticsNetwork, OpenSearchCluster, OpenSearchFirehoseIngestion, OpenSearchFirehoseIngestionProps, OpenSearchIndexRotation } from '../../lib';
import { testStack } from '../util/app';
import { validationMessages } from '../util/validation-messages';

const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

describe('OpenSearchFirehoseIngestion with default props', () => {
  let stack: Stack;
  let template: Template;
  let cluster: OpenSearchCluster;
  let ingestion: OpenSearchFirehoseIngestion;
  beforeAll(() => {
    stack = testStack();
    cluster = new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }) });
    ingestion = new OpenSearchFirehoseIngestion(stack, 'Ingest', { cluster, indexName: 'logs' });
    template = Template.fromStack(stack);
  });

  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);

  test('delivers Direct PUT records into daily indexes, encrypted with the cluster key, backing up failed documents', () => {
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: { 'Fn::GetAtt': [id(cluster.encryptionKey as never), 'Arn'] } },
      AmazonopensearchserviceDestinationConfiguration: Match.objectLike({
        DomainARN: { 'Fn::GetAtt': [id(cluster.domain), 'Arn'] },
        IndexName: 'logs',
        IndexRotationPeriod: 'OneDay',
        BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 5 },
        RetryOptions: { DurationInSeconds: 300 },
        S3BackupMode: 'FailedDocumentsOnly',
        S3Configuration: Match.objectLike({
          BucketARN: { 'Fn::GetAtt': [id(ingestion.backupBucket as s3.Bucket), 'Arn'] },
          CompressionFormat: 'GZIP', Prefix: 'failed/logs/',
        }),
        CloudWatchLoggingOptions: Match.objectLike({ Enabled: true }),
        VpcConfiguration: Match.objectLike({ SubnetIds: Match.anyValue() }),
      }),
    });
  });

  test('reaches the domain through a security group the domain accepts on 443', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 443, ToPort: 443,
      GroupId: { 'Fn::GetAtt': [id(cluster.securityGroup as ec2.SecurityGroup), 'GroupId'] },
      Description: 'Firehose delivery',
    });
  });

  test('maps its role to an OpenSearch role that may only write logs*', () => {
    template.hasResourceProperties('Custom::OpenSearchRoleMapping', {
      SecurityRole: 'firehose_logs',
      BackendRoles: [{ 'Fn::GetAtt': [id(ingestion.role), 'Arn'] }],
      RoleArn: { 'Fn::GetAtt': [id(cluster.masterUserRole as iam.Role), 'Arn'] },
      Role: Match.serializedJson({
        cluster_permissions: ['cluster_composite_ops', 'cluster_monitor'],
        index_permissions: [{ index_patterns: ['logs*'], allowed_actions: ['create_index', 'manage', 'crud'] }],
      }),
    });
    const stream = Object.values(template.findResources('AWS::KinesisFirehose::DeliveryStream'))[0];
    expect(stream.DependsOn).toEqual(expect.arrayContaining([stack.getLogicalId(cluster.node.findChild('FirehoseRole-Ingest').node.defaultChild as never)]));
  });

  test('alarms on data freshness and delivery success', () => {
    expect(ingestion.monitoring.alarms.map(a => a.node.id)).toEqual(['DataFreshness', 'DeliverySuccess', 'BackupDeliverySuccess']);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DeliveryToS3.Success', Threshold: 1, ComparisonOperator: 'LessThanThreshold', Statistic: 'Average',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DeliveryToAmazonOpenSearchService.DataFreshness', Threshold: 900, Namespace: 'AWS/Firehose',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: { Ref: stack.getLogicalId(ingestion.deliveryStream) } }],
    });
  });
});

/** The S3 actions of every Allow statement of the stream role's policy, with their resources as JSON. */
function s3Statements(stack: Stack, ingestion: OpenSearchFirehoseIngestion): Array<{ actions: string[]; resources: string }> {
  const doc = stack.resolve((ingestion.role.policy.node.defaultChild as iam.CfnManagedPolicy).policyDocument);
  return (doc.Statement as Array<{ Action: string | string[]; Resource: unknown }>)
    .map(s => ({ actions: ([] as string[]).concat(s.Action), resources: JSON.stringify(s.Resource) }))
    .filter(s => s.actions.some(a => a.startsWith('s3:')));
}

describe('OpenSearchFirehoseIngestion backup bucket', () => {
  test('the stream role may only write its two prefixes of the backup bucket, never read or list it', () => {
    const stack = testStack();
    const cluster = new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }) });
    const ingestion = new OpenSearchFirehoseIngestion(stack, 'Ingest', { cluster, indexName: 'logs' });
    const statements = s3Statements(stack, ingestion);
    expect(statements.map(s => s.actions)).toEqual([['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], ['s3:AbortMultipartUpload', 's3:PutObject']]);
    expect(statements[1].resources).toContain('/failed/logs/*');
    expect(statements[1].resources).toContain('/errors/logs/*');
    expect(statements[1].resources).not.toMatch(/Arn"\]\},"\/\*"/);
    expect(JSON.stringify(statements)).not.toMatch(/s3:GetObject|s3:ListBucket"|s3:DeleteObject/);
  });

  test('shares a bucket the user passes (a lake bucket) under a prefix of its own, creating none', () => {
    const stack = testStack();
    const lake = new s3.Bucket(stack, 'Lake');
    const cluster = new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }) });
    const ingestion = new OpenSearchFirehoseIngestion(stack, 'Ingest', { cluster, indexName: 'logs', backupBucket: lake, backupPrefix: 'opensearch-backup/' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      AmazonopensearchserviceDestinationConfiguration: Match.objectLike({
        S3Configuration: Match.objectLike({
          BucketARN: { 'Fn::GetAtt': [stack.getLogicalId(lake.node.defaultChild as s3.CfnBucket), 'Arn'] },
          Prefix: 'opensearch-backup/failed/logs/',
          ErrorOutputPrefix: 'opensearch-backup/errors/logs/!{firehose:error-output-type}/',
        }),
      }),
    });
    const writes = s3Statements(stack, ingestion)[1];
    expect(writes.resources).toContain('/opensearch-backup/failed/logs/*');
    expect(writes.resources).toContain('/opensearch-backup/errors/logs/*');
  });

  test.each([['/abs/'], ['no-slash'], ['bad prefix/']])('fails a backup prefix %p', prefix => {
    const stack = testStack();
    const cluster = new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }) });
    new OpenSearchFirehoseIngestion(stack, 'Ingest', { cluster, indexName: 'logs', backupPrefix: prefix });
    expect(stack.node.findAll().flatMap(validationMessages)).toEqual([
      `Test/Ingest: backupPrefix ('${prefix}') must be empty, or up to 400 characters of letters, digits and ! _ . * ' ( ) - / ending with / (not starting with /)`,
    ]);
  });
});

describe('OpenSearchFirehoseIngestion options and validation', () => {
  function build(props: Partial<OpenSearchFirehoseIngestionProps>, network = AnalyticsNetwork.newVpc({ availabilityZones: AZS })) {
    const stack = testStack();
    const cluster = new OpenSearchCluster(stack, 'Search', { network });
    const ingestion = new OpenSearchFirehoseIngestion(stack, 'Ingest', { cluster, indexName: 'logs', ...props });
    return { stack, ingestion, errors: () => stack.node.findAll().flatMap(validationMessages) };
  }

  test('uses the given bucket, rotation, buffering and retry, and no VPC for a public domain', () => {
    const stack = testStack();
    const bucket = new s3.Bucket(stack, 'Mine');
    const cluster = new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.publicEndpoint(['203.0.113.0/24']) });
    new OpenSearchFirehoseIngestion(stack, 'Ingest', {
      cluster, indexName: 'app', backupBucket: bucket, indexRotation: OpenSearchIndexRotation.ONE_HOUR,
      bufferingInterval: Duration.seconds(300), bufferingSize: Size.mebibytes(50), retryDuration: Duration.hours(1),
      alarmsEnabled: false, dashboardEnabled: false,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    const stream = Object.values(template.findResources('AWS::KinesisFirehose::DeliveryStream'))[0];
    const dest = stream.Properties.AmazonopensearchserviceDestinationConfiguration;
    expect(dest).toMatchObject({
      IndexRotationPeriod: 'OneHour', BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 50 }, RetryOptions: { DurationInSeconds: 3600 },
    });
    expect(dest.VpcConfiguration).toBeUndefined();
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Firehose' }, 0);
  });

  test('accepts tokens', () => {
    expect(build({ indexName: Token.asString({ Ref: 'Index' }), bufferingInterval: Duration.seconds(Token.asNumber({ Ref: 'S' })) }).errors()).toEqual([]);
  });

  test.each<[string, Partial<OpenSearchFirehoseIngestionProps>, string]>([
    ['an index name with capitals', { indexName: 'Logs' },
      "indexName ('Logs') must be lowercase, 1 to 80 characters, not starting with _, - or +, without spaces or \\ / * ? \" < > | , # :"],
    ['an index name starting with _', { indexName: '_logs' },
      "indexName ('_logs') must be lowercase, 1 to 80 characters, not starting with _, - or +, without spaces or \\ / * ? \" < > | , # :"],
    ['a buffering interval over 900 seconds', { bufferingInterval: Duration.minutes(20) }, 'bufferingInterval (1200 seconds) must be between 0 and 900 seconds'],
    ['a buffering size over 100 MiB', { bufferingSize: Size.mebibytes(128) }, 'bufferingSize (128 MiB) must be between 1 and 100 MiB'],
    ['a retry duration over 2 hours', { retryDuration: Duration.hours(3) }, 'retryDuration (10800 seconds) must be between 0 and 7200 seconds'],
  ])('fails %s', (_name, props, message) => {
    expect(build(props).errors()).toEqual([`Test/Ingest: ${message}`]);
  });
});
