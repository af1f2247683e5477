/**
 * The run-time paths of a `GlueEtlStateMachine`: Step Functions assumes the role for this state machine; the role
 * starts and reads each crawler, starts and follows each job run, publishes a failure to the topic (SNS uses the
 * topic key for it), and delivers logs and traces.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-glue.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html
 */
import { GlueEtlStateMachine } from 'cdk-analytics-blueprints';
import { IConstruct } from 'constructs';

import { source, viaService } from '../context';
import { AccessModel, AccessPath } from '../model';

/** The crawlers and jobs the state machine runs, as constructs of the template, with the roles Glue runs them with. */
export interface OrchestratedGlue {
  readonly crawlers: IConstruct[];
  readonly jobs: IConstruct[];
  /** Roles of the jobs and crawlers: the state machine never passes them (StartJobRun and StartCrawler take no role). */
  readonly roles: IConstruct[];
}

/** The paths of one state machine. */
export function glueOrchestrationPaths(m: AccessModel, machine: GlueEtlStateMachine, glue: OrchestratedGlue): AccessPath[] {
  const role = m.role(machine.role);
  const arn = m.arnOf(machine.stateMachine);
  const topic = m.value(machine.notificationTopic.topicArn);
  const topicKey = m.value(machine.notificationTopic.masterKey!.keyArn);
  const why = (s: string) => `${machine.node.path}: ${s}`;
  const other = (kind: string) => `arn:aws:glue:${m.region}:${m.account}:${kind}/not-this-one`;
  return [
    { why: why('Step Functions assumes the role for this state machine'), principal: m.service('states.amazonaws.com'), action: 'sts:AssumeRole',
      resource: m.arnOf(machine.role), context: source(m, arn), expect: 'allow' },
    { why: why('Step Functions acting for a state machine of another account cannot assume the role'), principal: m.service('states.amazonaws.com'),
      action: 'sts:AssumeRole', resource: m.arnOf(machine.role),
      context: { 'aws:SourceAccount': '999999999999', 'aws:SourceArn': `arn:aws:states:${m.region}:999999999999:stateMachine:x` }, expect: 'deny' },
    ...glue.crawlers.flatMap(c => ['glue:StartCrawler', 'glue:GetCrawler'].map((action): AccessPath => ({
      why: why('starts the crawler and polls it until it is READY'), principal: role, action, resource: m.arnOf(c), expect: 'allow' }))),
    ...glue.jobs.flatMap(j => ['glue:StartJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun'].map((action): AccessPath => ({
      why: why('runs the job and follows the run to its end (startJobRun.sync)'), principal: role, action, resource: m.arnOf(j), expect: 'allow' }))),
    { why: why('starts no other crawler'), principal: role, action: 'glue:StartCrawler', resource: other('crawler'), expect: 'deny' },
    { why: why('runs no other job'), principal: role, action: 'glue:StartJobRun', resource: other('job'), expect: 'deny' },
    ...glue.roles.map((r): AccessPath => ({ why: why('passes no role: StartJobRun and StartCrawler use the role the job or crawler was created with'),
      principal: role, action: 'iam:PassRole', resource: m.arnOf(r), context: { 'iam:PassedToService': 'glue.amazonaws.com' }, expect: 'deny' })),
    { why: why('publishes a failed run to the topic'), principal: role, action: 'sns:Publish', resource: topic, expect: 'allow' },
    ...['kms:GenerateDataKey', 'kms:Decrypt'].map((action): AccessPath => ({
      why: why('SNS encrypts the message with the topic key for the state machine'), principal: role, action, resource: topicKey,
      context: { ...viaService(m, 'sns'), 'kms:EncryptionContext:aws:sns:topicArn': topic }, expect: 'allow' })),
    { why: why('uses the topic key only through SNS'), principal: role, action: 'kms:Decrypt', resource: topicKey, expect: 'deny' },
    ...['logs:CreateLogDelivery', 'logs:PutResourcePolicy', 'logs:DescribeLogGroups'].map((action): AccessPath => ({
      why: why('sets up the delivery of its execution logs'), principal: role, action, resource: '*', expect: 'allow' })),
    { why: why('sends X-Ray trace segments'), principal: role, action: 'xray:PutTraceSegments', resource: '*', expect: 'allow' },
  ];
}
