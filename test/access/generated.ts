/**
 * Paths read from the template itself, so that every alarm, event rule and encrypted log group is covered
 * without a list to keep up to date:
 * - every alarm action: CloudWatch publishes to the topic (topic policy) and, for an encrypted topic, uses
 *   its key (key policy);
 * - every event rule target: EventBridge publishes to a topic (and uses its key), or assumes the target's
 *   role, which then calls the target;
 * - every encrypted log group: CloudWatch Logs uses its key (key policy);
 * - every VPC flow log to CloudWatch Logs: the flow logs service assumes its role, which writes to the log group.
 */
import { logsKms, snsKms, source } from './context';
import { AccessModel, AccessPath } from './model';

/** The KMS key ARN of a topic's `KmsMasterKeyId` (a key ARN, a key of the template, or an alias). */
function topicKeyArn(m: AccessModel, topicArn: string): string | undefined {
  const id = m.resourceIdOf(topicArn);
  const keyRef = id === undefined ? undefined : m.cfn.resource(id).Properties?.KmsMasterKeyId;
  if (keyRef === undefined) return undefined;
  const key = m.cfn.str(keyRef);
  if (key.startsWith('arn:aws:kms:') && key.includes(':key/')) return key;
  if (m.cfn.resources[key]?.Type === 'AWS::KMS::Key') return m.cfn.arn(key);
  throw new Error(`Topic ${id} is encrypted with ${key}: only a customer managed key can let AWS services publish to it`);
}

/** A service publishing to a topic, and using its key when the topic is encrypted. */
function publishPaths(m: AccessModel, service: string, sourceArn: string, topicArn: string, why: string): AccessPath[] {
  const paths: AccessPath[] = [{
    why, principal: m.service(service), action: 'sns:Publish', resource: topicArn, context: source(m, sourceArn), expect: 'allow',
  }];
  const keyArn = topicKeyArn(m, topicArn);
  if (keyArn) {
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      paths.push({ why: `${why}, encrypted: SNS uses the topic key for the publisher`, principal: m.service(service), action,
        resource: keyArn, context: snsKms(m, topicArn, service, sourceArn), expect: 'allow' });
    }
  }
  return paths;
}

/** The `why` of the paths of EventBridge publishing to an alarm topic on behalf of any rule of the account. */
const ANY_RULE_NOTIFIES_ALARM_TOPIC = 'an EventBridge rule of the account notifies the alarm topic';

/**
 * Every alarm action that notifies a topic; and, for every such alarm topic, EventBridge publishing to it (the
 * rules that notify operators, Glue failures or the user's own, deliver to the alarm topic).
 */
export function alarmTopicPaths(m: AccessModel): AccessPath[] {
  const topics = new Set<string>();
  const paths = m.cfn.ofType('AWS::CloudWatch::Alarm').flatMap(alarm => {
    const p = m.cfn.resource(alarm).Properties ?? {};
    const actions = ['AlarmActions', 'OKActions', 'InsufficientDataActions'].flatMap(k => (m.cfn.resolve(p[k]) ?? []) as string[]);
    return [...new Set(actions)].filter(a => a.startsWith('arn:aws:sns:')).flatMap(topic => {
      topics.add(topic);
      return publishPaths(m, 'cloudwatch.amazonaws.com', m.cfn.arn(alarm), topic, `alarm ${alarm} notifies its topic`);
    });
  });
  const anyRule = `arn:aws:events:${m.region}:${m.account}:rule/notify-operators`;
  for (const topic of topics) {
    paths.push(...publishPaths(m, 'events.amazonaws.com', anyRule, topic, ANY_RULE_NOTIFIES_ALARM_TOPIC));
  }
  return paths;
}

/** The action a role-based event target calls with the role EventBridge assumes. */
function roleTargetAction(arn: string): string {
  const service = arn.split(':')[2];
  if (service === 'glue' && arn.includes(':workflow/')) return 'glue:NotifyEvent';
  if (service === 'states') return 'states:StartExecution';
  if (service === 'kinesis') return 'kinesis:PutRecord';
  if (service === 'firehose') return 'firehose:PutRecordBatch';
  throw new Error(`No generated path for an event target on ${arn}: write its path by hand in the example's access test`);
}

/** Every target of every event rule. */
export function eventRuleTargetPaths(m: AccessModel): AccessPath[] {
  return m.cfn.ofType('AWS::Events::Rule').flatMap(rule => {
    const targets = (m.cfn.resolve(m.cfn.resource(rule).Properties?.Targets) ?? []) as Array<{ Arn: string; RoleArn?: string }>;
    const ruleArn = m.cfn.arn(rule);
    return targets.flatMap((t): AccessPath[] => {
      const why = `event rule ${rule} delivers to its target`;
      if (t.RoleArn) {
        const roleId = m.resourceIdOf(t.RoleArn);
        if (!roleId) throw new Error(`Event rule ${rule} targets ${t.Arn} with a role outside the template: ${t.RoleArn}`);
        return [
          { why: `${why} (EventBridge assumes the target role)`, principal: m.service('events.amazonaws.com'), action: 'sts:AssumeRole',
            resource: t.RoleArn, context: source(m, ruleArn), expect: 'allow' },
          { why, principal: { kind: 'role', logicalId: roleId }, action: roleTargetAction(t.Arn), resource: t.Arn, expect: 'allow' },
        ];
      }
      const service = t.Arn.split(':')[2];
      if (service === 'sns') return publishPaths(m, 'events.amazonaws.com', ruleArn, t.Arn, why);
      if (service === 'lambda') {
        return [{ why, principal: m.service('events.amazonaws.com'), action: 'lambda:InvokeFunction', resource: t.Arn,
          context: source(m, ruleArn), expect: 'allow' }];
      }
      if (service === 'sqs') {
        return [{ why, principal: m.service('events.amazonaws.com'), action: 'sqs:SendMessage', resource: t.Arn,
          context: source(m, ruleArn), expect: 'allow' }];
      }
      throw new Error(`No generated path for event rule ${rule} target ${t.Arn}: write its path by hand`);
    });
  });
}

/** Every log group encrypted with a KMS key: CloudWatch Logs encrypts and decrypts its events with the key. */
export function encryptedLogGroupPaths(m: AccessModel): AccessPath[] {
  const logs = m.service(`logs.${m.region}.amazonaws.com`);
  return m.cfn.ofType('AWS::Logs::LogGroup').flatMap(group => {
    const key = m.cfn.resource(group).Properties?.KmsKeyId;
    if (key === undefined) return [];
    const keyArn = m.cfn.str(key);
    return ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'].map((action): AccessPath => ({
      why: `CloudWatch Logs uses the key of log group ${group}`, principal: logs, action, resource: keyArn,
      context: logsKms(m.cfn.arn(group)), expect: 'allow',
    }));
  });
}

/**
 * Every VPC flow log delivered to CloudWatch Logs: the service assumes the delivery role (sending the flow log
 * as `aws:SourceArn`), which creates log streams and puts events in the log group.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
 */
export function flowLogPaths(m: AccessModel): AccessPath[] {
  return m.cfn.ofType('AWS::EC2::FlowLog').flatMap(flowLog => {
    const p = m.cfn.resolve(m.cfn.resource(flowLog).Properties) as Record<string, string>;
    if ((p.LogDestinationType ?? 'cloud-watch-logs') !== 'cloud-watch-logs') return [];
    const roleId = m.resourceIdOf(p.DeliverLogsPermissionArn);
    if (!roleId) throw new Error(`Flow log ${flowLog} delivers with a role outside the template: ${p.DeliverLogsPermissionArn}`);
    const group = `arn:aws:logs:${m.region}:${m.account}:log-group:${p.LogGroupName}`;
    const why = `flow log ${flowLog} delivers to its log group`;
    return [
      { why, principal: m.service('vpc-flow-logs.amazonaws.com'), action: 'sts:AssumeRole', resource: p.DeliverLogsPermissionArn,
        context: source(m, m.cfn.arn(flowLog)), expect: 'allow' },
      { why, principal: { kind: 'role', logicalId: roleId }, action: 'logs:CreateLogStream', resource: `${group}:log-stream:eni-0a1b2c3d-all`,
        expect: 'allow' },
      { why, principal: { kind: 'role', logicalId: roleId }, action: 'logs:PutLogEvents', resource: `${group}:log-stream:eni-0a1b2c3d-all`,
        expect: 'allow' },
    ];
  });
}

/** Paths that make the same request once: the first `why` names them (many alarms share one topic key). */
function unique(paths: AccessPath[]): AccessPath[] {
  const seen = new Set<string>();
  return paths.filter(p => {
    const key = JSON.stringify([p.principal, p.action, p.resource, p.context ?? {}]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** Every generated path of a stack, each request once. */
export function generatedPaths(m: AccessModel): AccessPath[] {
  return unique([...alarmTopicPaths(m), ...eventRuleTargetPaths(m), ...encryptedLogGroupPaths(m), ...flowLogPaths(m)]);
}
