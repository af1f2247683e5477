import { Template } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { GlueEtlStack } from '../../examples/glue-etl';
import { TEST_ENV, testApp } from '../util/app';
import { nagAcknowledgments, nagFindings } from '../util/nag';

describe('GlueEtlStack example', () => {
  let stack: GlueEtlStack;
  let template: Template;
  beforeAll(() => {
    stack = new GlueEtlStack(testApp(), 'GlueEtl', { env: TEST_ENV });
    template = Template.fromStack(stack);
  });

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('passes the four cdk-nag packs', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('acknowledges only the wildcards of the Glue roles and the access-log bucket findings (contract list)', () => {
    const bucket = `<${stack.getLogicalId(stack.pipeline.bucket.node.defaultChild as s3.CfnBucket)}.Arn>`;
    const database = `<${stack.getLogicalId(stack.pipeline.node.findChild('Database').node.defaultChild as glue.CfnDatabase)}>`;
    const arn = (service: string, rest: string) => `arn:aws:${service}:us-east-1:111111111111:${rest}`;
    const iam5 = (path: string, findings: string[]) => findings.map(f => `${path}/Role/Policy/Resource AwsSolutions-IAM5[${f}]`);
    const common = (logs: string) => [
      'Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*', 'Action::s3:GetBucket*', 'Action::s3:GetObject*', 'Action::s3:List*',
      'Resource::*',
      `Resource::${arn('ec2', 'network-interface/*')}`,
      `Resource::${arn('glue', `table/${database}/*`)}`,
      `Resource::${arn('logs', `log-group:/aws-glue/${logs}*:*`)}`,
      `Resource::${arn('logs', `log-group:/aws-glue/${logs}*`)}`,
    ];
    const writes = ['Action::s3:Abort*', 'Action::s3:DeleteObject*'];
    const assets = 'Resource::arn:aws:s3:::cdk-hnb659fds-assets-111111111111-us-east-1/*';
    const lake = (prefix: string) => `Resource::${bucket}/${prefix}*`;
    const accessLogs = ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].flatMap(p =>
      [`${p}-S3BucketLoggingEnabled`, `${p}-S3BucketReplicationEnabled`, `${p}-S3DefaultEncryptionKMS`]);
    const expected = [
      ...iam5('CheckPartition', [...common('python-jobs'), ...writes, assets, lake('curated/events/'), lake('glue/temporary/')]),
      ...iam5('CuratedCrawler', [...common('crawlers'), lake('curated/events/')]),
      ...iam5('RawToParquet', [...common('jobs'), ...writes, assets, lake('curated/events/'), lake('glue/spark-ui/'),
        lake('glue/temporary/'), lake('raw/')]),
      'Lake/AccessLogs/Resource AwsSolutions-S1',
      ...accessLogs.map(id => `Lake/AccessLogs/Resource ${id}`),
      ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map(p => `Lake/Bucket/Resource ${p}-S3BucketReplicationEnabled`),
      // Written by aws-cdk-lib's own FlowLog construct.
      'Network/Vpc/FlowLog CloudFormation-Validate::F3002',
      'Network/Vpc/FlowLog CloudFormation-Validate::F3003',
    ];
    expect(nagAcknowledgments(stack.pipeline)).toEqual(expected.sort());
  });

  test('creates the alarms listed here (contract list)', () => {
    expect(stack.pipeline.monitoring.alarms.map(a => a.node.id)).toEqual([
      'RawToParquetFailures', 'RawToParquetTimeouts', 'CheckPartitionFailures', 'CheckPartitionTimeouts',
      'RawToParquetFailedTasks', 'RawToParquetDriverHeap',
    ]);
  });
});
