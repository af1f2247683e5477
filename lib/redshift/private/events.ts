import { Annotations, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as redshift from 'aws-cdk-lib/aws-redshift';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

import { AlarmTopic } from '../../core/alarm-topic';
import { PropsValidator, validateAtSynth } from '../../core/validation';
import { RedshiftEventNotifications } from '../event-notifications';
import type { RedshiftWarehouseProps } from '../warehouse-props';

const REDSHIFT_SERVICE = 'redshift.amazonaws.com';

/**
 * The event subscriptions of a warehouse. Events go where alarms go: `eventNotifications.topic`, else `alarmTopic`,
 * else the stack's `AlarmTopic`, unless alarm actions are off (then none).
 */
export function warehouseEventSubscriptions(scope: Construct, cluster: redshift.CfnCluster, clusterIdentifier: string,
  props: RedshiftWarehouseProps): redshift.CfnEventSubscription[] {
  const topic = props.eventNotifications?.topic ?? props.alarmTopic
    ?? (props.alarmActionsEnabled === false ? undefined : AlarmTopic.ofStack(scope).topic);
  if (!topic) return [];
  const subscriptions = subscribeToEvents(scope, cluster, clusterIdentifier, topic, props.eventNotifications ?? {});
  validateAtSynth(scope, v => checkEventTopic(v, topic));
  return subscriptions;
}

/**
 * Subscribes `topic` to the ERROR events of the cluster and to failed snapshots, and lets Redshift publish to
 * the topic and use its key.
 *
 * Event IDs and categories: https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-event-notifications.html
 * (cluster: 3509 cross-region copy not enabled, 3504–3506 audit logging; cluster-snapshot: 3502 final snapshot
 * failed, 3503 snapshot failed, both Monitoring/ERROR). The subscription names follow CreateEventSubscription:
 * 1–255 letters, digits or hyphens, starting with a letter, like the cluster identifier they start with.
 * https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateEventSubscription.html
 */
export function subscribeToEvents(scope: Construct, cluster: redshift.CfnCluster, clusterIdentifier: string, topic: sns.ITopic,
  options: RedshiftEventNotifications): redshift.CfnEventSubscription[] {
  const subscriptions: redshift.CfnEventSubscription[] = [];
  if (options.clusterErrors ?? true) {
    subscriptions.push(new redshift.CfnEventSubscription(scope, 'ClusterErrorEvents', {
      subscriptionName: `${clusterIdentifier}-errors`,
      snsTopicArn: topic.topicArn,
      sourceType: 'cluster',
      // Ref: the cluster must exist first (an unknown source ID fails with SourceNotFound).
      sourceIds: [cluster.ref],
      severity: 'ERROR',
      enabled: true,
    }));
  }
  if (options.snapshotFailures ?? true) {
    subscriptions.push(new redshift.CfnEventSubscription(scope, 'SnapshotFailureEvents', {
      subscriptionName: `${clusterIdentifier}-snapshot-failures`,
      snsTopicArn: topic.topicArn,
      sourceType: 'cluster-snapshot',
      eventCategories: ['monitoring'],
      severity: 'ERROR',
      enabled: true,
    }));
  }
  if (subscriptions.length === 0) return subscriptions;

  // The service publishes with its own principal. A topic without a topic policy keeps SNS's default policy, which
  // admits the account's principals and services (AWS:SourceOwner); a topic policy replaces it, so one needs the
  // statement. No aws:SourceAccount or aws:SourceArn condition: Redshift does not document sending them for event
  // notifications, and a condition the request does not carry would drop every notification silently.
  // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
  const imported = !(topic instanceof sns.Topic);
  if (!imported && topic.node.tryFindChild('Policy')) {
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowRedshiftEventNotifications',
      principals: [new iam.ServicePrincipal(REDSHIFT_SERVICE)],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
    }));
  }
  // An encrypted topic: the publisher needs kms:GenerateDataKey and kms:Decrypt on its key, here for SNS topics of
  // this account and region (the topic refers to the key, so the key cannot name the topic without a cycle).
  const keyPolicy = topic.masterKey?.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowRedshiftEventNotificationsToUseTheKeyForSns',
    principals: [new iam.ServicePrincipal(REDSHIFT_SERVICE)],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: ['*'], // in a key policy, '*' is this key
    conditions: {
      StringLike: { 'kms:EncryptionContext:aws:sns:topicArn': Stack.of(scope).formatArn({ service: 'sns', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME }) },
    },
  }));
  if (imported || (keyPolicy && !keyPolicy.statementAdded)) {
    const what = imported ? `the topic ${describeTopic(topic)} is imported` : `the key of the topic ${describeTopic(topic)} is imported`;
    Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:redshiftEventTopicPolicy',
      `eventNotifications: ${what}, so its policy cannot be changed here: allow the service principal ${REDSHIFT_SERVICE} to ` +
      'sns:Publish to it (and, if it is encrypted, kms:GenerateDataKey and kms:Decrypt on its key), or no event notification arrives');
  }
  // Create the subscriptions once Redshift may publish (the topic's policy is a child of the topic).
  for (const s of subscriptions) s.node.addDependency(topic);
  return subscriptions;
}

/** A standard topic: Redshift event subscriptions cannot publish to FIFO topics. */
export function checkEventTopic(v: PropsValidator, topic: sns.ITopic): void {
  // https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-event-notifications.html (standard topics only)
  v.check(!topic.fifo, 'eventNotifications.topic', undefined,
    `(${topic.node.path}) must be a standard topic: Redshift event subscriptions cannot publish to FIFO topics`);
}

function describeTopic(topic: sns.ITopic): string {
  return Token.isUnresolved(topic.topicArn) ? topic.node.path : topic.topicArn;
}
