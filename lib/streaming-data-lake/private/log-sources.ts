import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as logsDestinations from 'aws-cdk-lib/aws-logs-destinations';

import { ManagedPolicyRole } from '../../core/managed-policy-role';
import { StreamingDataLakeLogSource } from '../options';
import type { StreamingDataLake } from '../streaming-data-lake';

/**
 * Subscribes each log group to the lake's stream, through a role that CloudWatch Logs of this account and region
 * may assume and that may only put records on this stream (and use its key to encrypt them).
 */
export function subscribeLogSources(lake: StreamingDataLake, stream: kinesis.IStream, logSources: StreamingDataLakeLogSource[]): void {
  const stack = Stack.of(lake);
  logSources.forEach((source, i) => {
    const role = new ManagedPolicyRole(lake, `LogSourceRole${i}`, {
      description: `Lets CloudWatch Logs put ${source.logGroup.node.path} events on the stream of ${lake.node.path}`,
      // CloudWatch Logs of this account and region only, as the subscription-filter guide's trust policy has it.
      // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html#DestinationKinesisExample
      assumedBy: new iam.ServicePrincipal('logs.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME }) },
        },
      }),
    });
    [
      new iam.PolicyStatement({ sid: 'PutRecordsOnStream', actions: ['kinesis:PutRecord'], resources: [stream.streamArn] }),
      new iam.PolicyStatement({ sid: 'EncryptStreamRecords', actions: ['kms:GenerateDataKey'], resources: [lake.encryptionKey.keyArn] }),
      // What aws-cdk-lib's KinesisDestination grants too: CloudWatch Logs passes the role to itself.
      new iam.PolicyStatement({ sid: 'PassRoleToLogs', actions: ['iam:PassRole'], resources: [role.roleArn] }),
    ].forEach(statement => role.addToPrincipalPolicy(statement));
    const filter = new logs.SubscriptionFilter(lake, `LogSource${i}`, {
      logGroup: source.logGroup,
      destination: new logsDestinations.KinesisDestination(stream, { role: role.withoutPolicyUpdates() }),
      filterPattern: source.filterPattern ?? logs.FilterPattern.allEvents(),
    });
    filter.node.addDependency(role.allPolicies);
  });
}
