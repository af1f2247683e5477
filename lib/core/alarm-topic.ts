import { Annotations, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';

import { createEncryptionKey } from './encryption-key';
import {
  ALARM_SERVICES, alarmKeyStatement, alarmPublishStatement, eventBridgeKeyStatement, eventBridgePublishStatement, renderStatements,
} from './private/alarm-topic-statements';
import { resolveRemovalPolicy } from './removal-policy';

/**
 * Props of `AlarmTopic`.
 */
export interface AlarmTopicProps {
  /**
   * Key that encrypts the topic. When it is a `kms.Key` of this app, its policy gets the statements that let
   * CloudWatch alarms and EventBridge rules of this account use it; an imported key gets a synth warning
   * (`cdk-analytics-blueprints:alarmTopicKeyPolicyUnknown`) naming the statements it must carry.
   * @default - a new customer-managed key with rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Display name of the topic (the sender name of email notifications).
   * @default 'Alarms of <stack name>'
   */
  readonly displayName?: string;
  /**
   * What happens to the key this construct creates when the stack is deleted. The topic itself holds no data
   * and is always deleted with the stack. `DESTROY` takes effect only with the context flag
   * `cdk-analytics-blueprints:removeDataOnDestroy`.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An encrypted SNS topic that CloudWatch alarms and EventBridge rules of this account can really publish to.
 *
 * - Encrypted with a customer-managed key (yours or a new rotating one) and TLS-only (`enforceSSL`).
 * - The topic policy admits `cloudwatch.amazonaws.com` and `events.amazonaws.com` to `sns:Publish`, each only
 *   for its alarms or rules of this account (`aws:SourceAccount`, `aws:SourceArn`). A topic policy replaces
 *   SNS's default policy, so without these statements no alarm could notify.
 * - The key policy lets both services `kms:GenerateDataKey*` and `kms:Decrypt`, limited to SNS topics of this
 *   account and region (`kms:EncryptionContext:aws:sns:topicArn`); CloudWatch's statement also carries
 *   `aws:SourceAccount` and `aws:SourceArn`. EventBridge's carries neither: SNS documents that these keys are
 *   not supported in a key policy for EventBridge-to-encrypted topics, and a condition the service does not
 *   send would drop every notification silently.
 *
 * Every architecture's alarms notify `AlarmTopic.ofStack(this)` unless given a topic, so a stack of several
 * architectures has one topic and one key. Subscribe your endpoints to `topic`.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html
 */
export class AlarmTopic extends Construct {
  /** Construct id of the stack's shared topic, a direct child of the stack. */
  public static readonly STACK_DEFAULT_ID = 'CdkAnalyticsBlueprintsAlarmTopic';

  /**
   * The stack's shared alarm topic, created at first use: the default of every architecture's `alarmTopic`.
   */
  public static ofStack(scope: IConstruct): AlarmTopic {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(AlarmTopic.STACK_DEFAULT_ID);
    if (existing) {
      if (!AlarmTopic.isAlarmTopic(existing)) {
        throw new Error(`${stack.node.path}: the construct id ${AlarmTopic.STACK_DEFAULT_ID} is taken by something that is not an AlarmTopic`);
      }
      return existing;
    }
    return new AlarmTopic(stack, AlarmTopic.STACK_DEFAULT_ID);
  }

  /** Whether `x` is an `AlarmTopic` (also across copies of the library). */
  public static isAlarmTopic(x: any): x is AlarmTopic { // eslint-disable-line @typescript-eslint/no-explicit-any -- jsii's form of a type guard
    return typeof x === 'object' && x !== null && ALARM_TOPIC_SYMBOL in x;
  }

  /** Whether `topic` is the topic of an `AlarmTopic`, whose policies are known to admit alarms and rules. */
  public static isAlarmTopicTopic(topic: sns.ITopic): boolean {
    return ALARM_TOPIC_TOPIC_SYMBOL in topic;
  }

  /** The topic: pass it as `alarmTopic`, subscribe to it. */
  public readonly topic: sns.ITopic;
  /** The key that encrypts the topic. */
  public readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    Object.defineProperty(this, ALARM_TOPIC_SYMBOL, { value: true });
    const stack = Stack.of(this);
    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'Key',
      `Encrypts the alarm topic ${this.node.path}`, resolveRemovalPolicy(this, props.removalPolicy));
    const topic = new AdmittingTopic(this, 'Topic', {
      displayName: props.displayName ?? (Token.isUnresolved(stack.stackName) ? 'Alarms' : `Alarms of ${stack.stackName}`),
      masterKey: this.encryptionKey,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(alarmPublishStatement(topic));
    topic.addToResourcePolicy(eventBridgePublishStatement(topic));
    this.topic = topic;

    const keyStatements = [alarmKeyStatement(this), eventBridgeKeyStatement(this)];
    const added = keyStatements.map(s => this.encryptionKey.addToResourcePolicy(s).statementAdded);
    if (added.some(a => !a)) {
      Annotations.of(this).addWarningV2('cdk-analytics-blueprints:alarmTopicKeyPolicyUnknown',
        `the key ${keyName(this.encryptionKey)} of this alarm topic is imported: its policy cannot be seen or changed here, and ` +
        `alarms and rules cannot notify unless it carries these statements: ${renderStatements(this, keyStatements)}`);
    }
  }
}

/**
 * Makes `topic`, given to `scope` as its alarm topic, admit CloudWatch alarms of this account, or says at synth
 * what cannot be checked. An `AlarmTopic`'s topic needs nothing. A `sns.Topic` of this app with a topic policy
 * gets the CloudWatch statement (without a topic policy, SNS's default policy admits the account's alarms), and
 * its key, when it is a `kms.Key` of this app, the CloudWatch key statement. An imported topic or key gets a
 * warning naming the statements it must carry.
 */
export function admitAlarmsTo(scope: IConstruct, topic: sns.ITopic): void {
  if (AlarmTopic.isAlarmTopicTopic(topic) || ADMITTED.has(topic)) return;
  ADMITTED.add(topic);
  const publish = alarmPublishStatement(topic);
  if (!(topic instanceof sns.Topic)) {
    const key = [alarmKeyStatement(scope)];
    Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:alarmTopicPolicyUnknown',
      `the alarm topic ${topicName(topic)} is imported: its policies cannot be seen or changed here, and alarms cannot ` +
      `notify unless its topic policy carries ${renderStatements(scope, [publish])} (or has no topic policy at all) and, ` +
      `when it is encrypted with a customer-managed key, its key policy carries ${renderStatements(scope, key)}`);
    return;
  }
  if (topic.node.tryFindChild('Policy')) topic.addToResourcePolicy(publish);
  if (topic.masterKey && !topic.masterKey.addToResourcePolicy(alarmKeyStatement(scope)).statementAdded) {
    Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:alarmTopicKeyPolicyUnknown',
      `the key ${keyName(topic.masterKey)} of the alarm topic ${topicName(topic)} is imported (or AWS managed, which ` +
      `CloudWatch cannot use): alarms cannot notify unless its key policy carries ${renderStatements(scope, [alarmKeyStatement(scope)])}`);
  }
}

const ALARM_TOPIC_SYMBOL = Symbol.for('cdk-analytics-blueprints.AlarmTopic');
const ALARM_TOPIC_TOPIC_SYMBOL = Symbol.for('cdk-analytics-blueprints.AlarmTopic.topic');
const ADMITTED = new WeakSet<sns.ITopic>();

/**
 * The topic of an `AlarmTopic`. Its policy already admits CloudWatch and EventBridge of this account, with
 * conditions, so a `grantPublish` to either service principal (aws-cdk-lib's EventBridge `SnsTopic` target does
 * one) adds nothing: it would add an unconditioned copy to the topic and key policies.
 */
class AdmittingTopic extends sns.Topic {
  constructor(scope: Construct, id: string, props: sns.TopicProps) {
    super(scope, id, props);
    Object.defineProperty(this, ALARM_TOPIC_TOPIC_SYMBOL, { value: true });
  }

  public override grantPublish(grantee: iam.IGrantable): iam.Grant {
    const principal = grantee.grantPrincipal;
    if (principal instanceof iam.ServicePrincipal && ALARM_SERVICES.includes(principal.service)) {
      return iam.Grant.drop(grantee, 'sns:Publish (already in the topic policy, conditioned to this account)');
    }
    return super.grantPublish(grantee);
  }
}

function topicName(topic: sns.ITopic): string {
  return Token.isUnresolved(topic.topicArn) ? topic.node.path : topic.topicArn;
}

function keyName(key: kms.IKey): string {
  return Token.isUnresolved(key.keyArn) ? key.node.path : key.keyArn;
}
