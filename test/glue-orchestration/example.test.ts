import { Template } from 'aws-cdk-lib/assertions';

import { GlueOrchestrationStack } from '../../examples/glue-orchestration';
import { missingContext, TEST_ENV, testApp } from '../util/app';
import { nagAcknowledgments, nagFindings } from '../util/nag';

describe('GlueOrchestrationStack example', () => {
  let stack: GlueOrchestrationStack;
  let template: Template;
  beforeAll(() => {
    stack = new GlueOrchestrationStack(testApp(), 'GlueOrchestration', { env: TEST_ENV });
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

  test('acknowledges exactly these findings on the state machine, each on its one resource', () => {
    // The logs-delivery and X-Ray statements aws-cdk-lib adds name no resource: those actions support none.
    expect(nagAcknowledgments(stack.orchestration)).toEqual(['Role/Policy/Resource AwsSolutions-IAM5[Resource::*]']);
  });

  test('runs the job then the crawler, nightly, and raises these alarms to the one topic', () => {
    expect(stack.orchestration.monitoring.alarms.map(a => a.node.id)).toEqual(['ExecutionsFailed', 'ExecutionsTimedOut']);
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 2 * * ? *)' });
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::Glue::Workflow', 0);
  });
});
