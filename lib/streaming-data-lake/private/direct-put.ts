import * as iam from 'aws-cdk-lib/aws-iam';

import type { StreamingDataLake } from '../streaming-data-lake';

/**
 * What a Direct PUT producer calls: `PutRecord` and `PutRecordBatch` (the Kinesis Agent in Firehose mode, Fluent Bit,
 * the SDKs batch with the latter).
 * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#access-to-firehose
 */
export const DIRECT_PUT_PRODUCER_ACTIONS = ['firehose:PutRecord', 'firehose:PutRecordBatch'];

/**
 * The two put calls on this Firehose stream, and nothing on the key: with server-side encryption by a customer-managed
 * key, Firehose creates a grant on the key for itself when the stream is created and encrypts with it, so producers
 * need no KMS permission.
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeliveryStreamEncryptionConfigurationInput.html
 * @see https://docs.aws.amazon.com/firehose/latest/dev/encryption.html
 */
export function grantDirectPutProducer(lake: StreamingDataLake, grantee: iam.IGrantable): iam.Grant {
  return iam.Grant.addToPrincipal({ grantee, actions: DIRECT_PUT_PRODUCER_ACTIONS, resourceArns: [lake.deliveryStream.deliveryStreamArn] });
}
