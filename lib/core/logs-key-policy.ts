import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

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

/**
 * Lets CloudWatch Logs of this region use `key` for log groups of this account (or only `logGroupArns`), as
 * every encrypted log group needs (VPC flow logs, Glue job logs, Firehose errors, domain and audit logs):
 * the key-policy statement of the CloudWatch Logs guide, with its `kms:EncryptionContext:aws:logs:arn` condition.
 * On an imported key this does nothing (aws-cdk-lib cannot change its policy); document it for that key.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function allowLogsToUseKey(key: kms.IKey, options: LogsKeyPolicyOptions = {}): void {
  const stack = Stack.of(key);
  const logGroupArns = options.logGroupArns
    ?? stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: options.sid ?? 'AllowCloudWatchLogsOfThisAccount',
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'], // in a key policy, '*' is this key
    conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroupArns } },
  }));
}
