import { Annotations, ArnFormat, CfnResource, Names, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';

import { flattenCfnReference } from './nag';

/** Options of `allowLogsToUseKey`. */
export interface LogsKeyPolicyOptions {
  /**
   * Statement id in the key policy.
   * @default 'AllowCloudWatchLogsOfThisAccount'
   */
  readonly sid?: string;
  /**
   * ARNs (patterns allowed) of the log groups that may use the key.
   * @default - every log group of this account and region
   */
  readonly logGroupArns?: string[];
}

/** The actions of the CloudWatch Logs guide's key-policy statement. */
const LOGS_KEY_ACTIONS = ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'];
const DEFAULT_SID = 'AllowCloudWatchLogsOfThisAccount';

/**
 * Lets CloudWatch Logs of this region use `key` for log groups of this account (or only `logGroupArns`), as
 * every encrypted log group needs (VPC flow logs, Glue job logs, Firehose errors, domain and audit logs):
 * the key-policy statement of the CloudWatch Logs guide, with its `kms:EncryptionContext:aws:logs:arn` condition.
 * On an imported key this does nothing (aws-cdk-lib cannot change its policy) and returns false: use
 * `ensureLogsCanUseKey`, which then warns at synth.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function allowLogsToUseKey(key: kms.IKey, options: LogsKeyPolicyOptions = {}): boolean {
  return key.addToResourcePolicy(logsKeyStatement(Stack.of(key), options)).statementAdded;
}

/**
 * Makes sure CloudWatch Logs can encrypt `logGroup` with `key`, which the log group's creation needs
 * (without it CloudFormation fails with "The specified KMS key does not exist or is not allowed to be
 * used"). Call it wherever a log group is encrypted with a key the construct did not create itself.
 *
 * - A key of this app (`kms.Key`, in this stack or another): the key policy gets the CloudWatch Logs
 *   statement, scoped to the log group's name when the log group has one, else to the log groups of this
 *   account and region (its generated name is not known before deployment, and its ARN would make the key
 *   depend on the log group that depends on the key). The unnamed form is the very statement
 *   `allowLogsToUseKey` adds by default, so a construct that already added it gets no second one.
 * - An imported key: its policy cannot be changed from here, so synth warns
 *   (`cdk-analytics-blueprints:logsKeyPolicyNotVerified`), naming the key and the statement it must carry.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function ensureLogsCanUseKey(scope: IConstruct, key: kms.IKey, logGroup: logs.ILogGroup): void {
  const stack = Stack.of(logGroup);
  const name = configuredLogGroupName(logGroup);
  if (keyPolicyAdmitsLogGroup(key, stack, name)) return;
  const options: LogsKeyPolicyOptions = name === undefined ? {} : {
    sid: `AllowCloudWatchLogsFor${Names.uniqueId(logGroup).replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 128),
    logGroupArns: [logGroupArn(stack, name)],
  };
  if (key.addToResourcePolicy(logsKeyStatement(stack, options)).statementAdded) return;
  const keyName = Token.isUnresolved(key.keyArn) ? key.node.path : key.keyArn;
  const groupName = name === undefined || Token.isUnresolved(name) ? logGroup.node.path : name;
  Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:logsKeyPolicyNotVerified',
    `The log group ${groupName} is encrypted with the key ${keyName}, which this app did not create, so its key policy cannot be ` +
    'checked or changed here. CloudWatch Logs can create the log group only if that key policy has this statement: ' +
    logsKeyStatementText(stack, name));
}

/**
 * True when `key` is a key of this app whose policy already has a CloudWatch Logs statement of this region
 * whose `kms:EncryptionContext:aws:logs:arn` patterns cover the log group (named `name`, or any group of
 * the account when unnamed): a construct that scoped its key to the log group needs no second statement.
 */
function keyPolicyAdmitsLogGroup(key: kms.IKey, stack: Stack, name: string | undefined): boolean {
  const policy = (key as { policy?: iam.PolicyDocument }).policy;
  if (!(policy instanceof iam.PolicyDocument)) return false;
  // Compared as cdk-nag prints values: intrinsics flattened (`arn:<AWS::Partition>:logs:…`), so that
  // patterns built with formatArn match as strings.
  const flat = (x: unknown) => flattenCfnReference(stack.resolve(x));
  const wanted = flat(logGroupArn(stack, name ?? '*'));
  const principal = flat(`logs.${stack.region}.amazonaws.com`);
  const document = stack.resolve(policy.toJSON()) as { Statement?: KeyPolicyStatementJson[] };
  return (document.Statement ?? []).some(st => {
    if (st.Effect !== 'Allow' || flattenCfnReference(st.Principal?.Service) !== principal) return false;
    const actions = ([] as unknown[]).concat(st.Action ?? []);
    if (!LOGS_KEY_ACTIONS.every(a => actions.includes(a))) return false;
    const patterns = ([] as unknown[]).concat(st.Condition?.ArnLike?.['kms:EncryptionContext:aws:logs:arn'] ?? []);
    return patterns.map(flattenCfnReference).some(p => p === wanted || (name !== undefined && globMatches(p, wanted)));
  });
}

interface KeyPolicyStatementJson {
  readonly Effect?: string;
  readonly Principal?: { readonly Service?: unknown };
  readonly Action?: unknown;
  readonly Condition?: { readonly ArnLike?: Record<string, unknown> };
}

/** Whether an IAM `ArnLike` pattern (`*` and `?` wildcards) matches `value`. */
function globMatches(pattern: string, value: string): boolean {
  const regex = pattern.split('').map(c => c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('');
  return new RegExp(`^${regex}$`).test(value);
}

function logsKeyStatement(stack: Stack, options: LogsKeyPolicyOptions): iam.PolicyStatement {
  const logGroupArns = options.logGroupArns ?? logGroupArn(stack, '*');
  return new iam.PolicyStatement({
    sid: options.sid ?? DEFAULT_SID,
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: LOGS_KEY_ACTIONS,
    resources: ['*'], // in a key policy, '*' is this key
    conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroupArns } },
  });
}

function logGroupArn(stack: Stack, name: string): string {
  return stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/**
 * The name the log group is given in the template, without referring to the log group itself: the
 * `LogGroupName` of its `AWS::Logs::LogGroup` (undefined when CloudFormation names it), or the name of an
 * imported log group.
 */
function configuredLogGroupName(logGroup: logs.ILogGroup): string | undefined {
  const cfn = logGroup.node.defaultChild;
  if (cfn && CfnResource.isCfnResource(cfn) && cfn.cfnResourceType === 'AWS::Logs::LogGroup') {
    const name = (cfn as logs.CfnLogGroup).logGroupName;
    // The L2 passes its physical name, a token that resolves to nothing when CloudFormation names the group.
    return name === undefined || Stack.of(cfn).resolve(name) === undefined ? undefined : name;
  }
  return Token.isUnresolved(logGroup.logGroupName) ? undefined : logGroup.logGroupName;
}

/** The statement as a user pastes it into the key policy, with `<account>`/`<region>` where the stack has tokens. */
function logsKeyStatementText(stack: Stack, name: string | undefined): string {
  const region = Token.isUnresolved(stack.region) ? '<region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<account>' : stack.account;
  const partition = Token.isUnresolved(stack.partition) ? 'aws' : stack.partition;
  const group = name === undefined || Token.isUnresolved(name) ? '*' : name;
  return JSON.stringify({
    Effect: 'Allow',
    Principal: { Service: `logs.${region}.amazonaws.com` },
    Action: LOGS_KEY_ACTIONS,
    Resource: '*',
    Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:${group}` } },
  });
}
