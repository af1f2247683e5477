import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

import { acknowledgeNag } from '../../core/nag';

/** What the lake's Kinesis stream is made of, defaults resolved and reported values replaced. */
export interface SourceStreamOptions {
  readonly streamName?: string;
  /** Undefined for on-demand. */
  readonly shardCount?: number;
  readonly retentionPeriod: Duration;
  readonly encryptionKey: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The Kinesis data stream of a lake with a stream source: encrypted with the lake's customer-managed key, on-demand
 * unless a shard count is given.
 */
export function createSourceStream(lake: Construct, options: SourceStreamOptions): kinesis.Stream {
  const stream = new kinesis.Stream(lake, 'Stream', {
    streamName: options.streamName,
    streamMode: options.shardCount === undefined ? kinesis.StreamMode.ON_DEMAND : kinesis.StreamMode.PROVISIONED,
    shardCount: options.shardCount,
    retentionPeriod: options.retentionPeriod,
    encryption: kinesis.StreamEncryption.KMS,
    encryptionKey: options.encryptionKey,
    removalPolicy: options.removalPolicy,
  });
  acknowledgeNag(stream.node.defaultChild!, {
    id: 'AwsSolutions-KDS3',
    reason: 'The stream is encrypted with a customer-managed key on purpose (key policy under the owner\'s control, ' +
      'automatic rotation, CloudTrail per-key audit) instead of the AWS managed aws/kinesis key.',
  });
  return stream;
}
