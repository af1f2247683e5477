import * as sns from 'aws-cdk-lib/aws-sns';

/**
 * Redshift event notifications of a `RedshiftWarehouse`: Amazon Redshift event subscriptions that publish
 * to an SNS topic.
 *
 * Failed snapshots and failed cross-region copies have no CloudWatch metric, and provisioned clusters send
 * their events to SNS only (EventBridge receives Redshift's zero-ETL integration events, not cluster events),
 * so subscriptions are the way to hear about them.
 * @see https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-event-notifications.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-redshift.html
 */
export interface RedshiftEventNotifications {
  /**
   * The standard (not FIFO) topic the events are published to. When the topic has a topic policy, the warehouse
   * adds `sns:Publish` for `redshift.amazonaws.com` to it (a topic without one keeps SNS's default policy, which
   * admits the account's services); when the topic is encrypted with a key of this app, the key lets Redshift use
   * it for SNS topics of this account.
   * @default - the warehouse's `alarmTopic`, else the stack's `AlarmTopic`; no subscription when
   * `alarmActionsEnabled` is false
   */
  readonly topic?: sns.ITopic;
  /**
   * Every ERROR event of this cluster, in every category: among them a cross-region snapshot copy that
   * stopped (REDSHIFT-EVENT-3509), audit logs that cannot be delivered (3504–3506), a failed resize or restore,
   * and subnets, security groups or HSM the cluster cannot use.
   * @default true
   */
  readonly clusterErrors?: boolean;
  /**
   * Failed snapshots: a failed final snapshot (REDSHIFT-EVENT-3502) or a failed snapshot (3503). Snapshot
   * events carry the snapshot's identifier, not the cluster's, so this subscription covers the snapshots of
   * every cluster of the account in this region: turn it off in all but one warehouse of an account.
   * @default true
   */
  readonly snapshotFailures?: boolean;
}
