import { Template } from 'aws-cdk-lib/assertions';

import { FlinkAnalyticsStack } from '../../examples/flink-analytics';
import { missingContext, TEST_ENV, testApp } from '../util/app';
import { nagAcknowledgments, nagFindings } from '../util/nag';

describe('examples/flink-analytics', () => {
  let stack: FlinkAnalyticsStack;
  let template: Template;
  beforeAll(() => {
    stack = new FlinkAnalyticsStack(testApp(), 'FlinkAnalytics', { env: TEST_ENV });
    template = Template.fromStack(stack);
  });

  test('synthesizes with no context lookup (no AWS call, no credentials needed)', () => {
    expect(missingContext(stack)).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('runs the JAR of the conventional artifact bucket unless told otherwise, and says so at synth', () => {
    template.hasResourceProperties('AWS::KinesisAnalyticsV2::Application', {
      ApplicationConfiguration: {
        ApplicationCodeConfiguration: {
          CodeContent: { S3ContentLocation: {
            BucketARN: 'arn:aws:s3:::flink-artifacts-111111111111-us-east-1', FileKey: 'clickstream-aggregation.jar',
          } },
        },
      },
    });
    expect(stack.node.metadata.filter(m => m.type === 'aws:cdk:info').map(m => m.data)).toEqual([
      'The Flink application runs s3://flink-artifacts-111111111111-us-east-1/clickstream-aggregation.jar: upload your JAR there ' +
      'before deploying, or set the context flink-analytics:codeBucket and flink-analytics:codeKey',
    ]);
  });

  test('passes AwsSolutions, HIPAA Security, NIST 800-53 R5 and PCI DSS 3.2.1 with no unacknowledged finding', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('acknowledges exactly these findings on the Flink application, each on its one resource', () => {
    expect(nagAcknowledgments(stack.aggregation)).toEqual([
      'Role/Policy/Resource AwsSolutions-IAM5[Resource::*]',
      'Role/Policy/Resource AwsSolutions-IAM5[Resource::arn:aws:logs:us-east-1:111111111111:log-group:<AggregationLogGroup731FA0C4>:log-stream:*]',
    ]);
  });

  test('raises the four Flink alarms besides the two lakes\', all to the one topic', () => {
    expect(stack.aggregation.monitoring.alarms.map(a => a.node.id)).toEqual(['Downtime', 'CheckpointFailures', 'Restarts', 'FallingBehind']);
    template.resourceCountIs('AWS::SNS::Topic', 1);
  });
});
