import { Template } from 'aws-cdk-lib/assertions';

import { AthenaWorkgroupStack } from '../../examples/athena-workgroup';
import { missingContext, TEST_ENV, testApp } from '../util/app';
import { nagAcknowledgments, nagFindings } from '../util/nag';

describe('AthenaWorkgroupStack example', () => {
  let stack: AthenaWorkgroupStack;
  let template: Template;
  beforeAll(() => {
    stack = new AthenaWorkgroupStack(testApp(), 'AthenaWorkgroup', { env: TEST_ENV });
    template = Template.fromStack(stack);
  });

  test('synthesizes with no context lookup (no AWS call, no credentials needed)', () => {
    expect(missingContext(stack)).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('passes AwsSolutions, HIPAA Security, NIST 800-53 R5 and PCI DSS 3.2.1 with no unacknowledged finding', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('acknowledges exactly these findings, each on its one resource', () => {
    // The results bucket is a DataBucket: these are its own, with its reasons (see the README's DataBucket section).
    expect(nagAcknowledgments(stack.queries)).toEqual([
      'Results/AccessLogs/Resource AwsSolutions-S1',
      'Results/AccessLogs/Resource HIPAA.Security-S3BucketLoggingEnabled',
      'Results/AccessLogs/Resource HIPAA.Security-S3BucketReplicationEnabled',
      'Results/AccessLogs/Resource HIPAA.Security-S3DefaultEncryptionKMS',
      'Results/AccessLogs/Resource NIST.800.53.R5-S3BucketLoggingEnabled',
      'Results/AccessLogs/Resource NIST.800.53.R5-S3BucketReplicationEnabled',
      'Results/AccessLogs/Resource NIST.800.53.R5-S3DefaultEncryptionKMS',
      'Results/AccessLogs/Resource PCI.DSS.321-S3BucketLoggingEnabled',
      'Results/AccessLogs/Resource PCI.DSS.321-S3BucketReplicationEnabled',
      'Results/AccessLogs/Resource PCI.DSS.321-S3DefaultEncryptionKMS',
      'Results/Bucket/Resource HIPAA.Security-S3BucketReplicationEnabled',
      'Results/Bucket/Resource NIST.800.53.R5-S3BucketReplicationEnabled',
      'Results/Bucket/Resource PCI.DSS.321-S3BucketReplicationEnabled',
    ]);
    // What grantQuery leaves on the grantee, acknowledged by the example on its own role: the two object patterns.
    expect(nagAcknowledgments(stack.analyst)).toEqual([
      'Policy/Resource AwsSolutions-IAM5[Resource::<ClickstreamLakeBucketCAC7DC22.Arn>/clicks/*]',
      'Policy/Resource AwsSolutions-IAM5[Resource::<QueriesResultsBucketB2C5D90C.Arn>/athena-results/*]',
    ]);
  });

  test('raises these alarms, all to the one topic, and sends each failed query to it', () => {
    expect(stack.queries.monitoring.alarms.map(a => a.node.id)).toEqual(['FailedQueries', 'ProcessedBytes']);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::Athena::NamedQuery', 1);
    template.hasResourceProperties('AWS::Athena::WorkGroup', { Name: 'clickstream-analysts' });
  });
});
