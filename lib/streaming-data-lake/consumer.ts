import { Duration, Names } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

import { graph } from '../core/dashboard-widgets';
import { ArchitectureMonitoring } from '../core/monitoring';
import { acknowledgeNag } from '../core/nag';
import { StreamingDataLakeConsumerFailureDestination, StreamingDataLakeConsumerOptions } from './consumer-options';
import { consumerAlarms, grantConsumer } from './private/consumer-access';
import { checkConsumerOptions, registerConsumer } from './private/consumer-rules';
import { validateAtSynthAndNow } from './private/rules';
import type { StreamingDataLake } from './streaming-data-lake';

/**
 * Props of `StreamingDataLakeConsumer`.
 */
export interface StreamingDataLakeConsumerProps extends StreamingDataLakeConsumerOptions {
  /** The lake whose stream the consumer reads; it must have a Kinesis stream source. */
  readonly lake: StreamingDataLake;
}

/**
 * A real-time consumer of a `StreamingDataLake`: an enhanced fan-out consumer registered on the lake's stream (its
 * own 2 MiB/s per shard, pushed over HTTP/2, whatever Firehose and the other consumers read) and a Lambda event source
 * mapping that invokes `handler` with batches of its records. Create it with `lake.addConsumer()`.
 *
 * - The function's role may describe and read this stream, subscribe through this consumer only, decrypt with the
 *   stream key through Kinesis only, and send to the failure destination (and use its key through SQS or SNS only).
 * - Failing batches are split (`bisectBatchOnError`) and retried 3 times; what is given up on is described in an
 *   encrypted SQS queue (or the destination you pass).
 * - Alarms on the function's iterator age (the consumer falls behind) and errors, on failure-destination delivery
 *   failures and, for the queue it creates, on messages waiting in it; a row on the lake's dashboard.
 *
 * Cost: each consumer is billed per consumer-shard hour and per GB it reads, on top of the stream; Lambda bills the
 * invocations.
 * @see https://aws.amazon.com/kinesis/data-streams/pricing/
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
 */
export class StreamingDataLakeConsumer extends Construct {
  /** The lake whose stream this consumer reads. */
  public readonly lake: StreamingDataLake;
  /** The enhanced fan-out consumer registered on the stream. */
  public readonly streamConsumer: kinesis.StreamConsumer;
  /** The event source mapping that invokes `handler`. */
  public readonly eventSourceMapping: lambda.EventSourceMapping;
  /** The function that processes the records. */
  public readonly handler: lambda.IFunction;
  /** Where failed batches are described. */
  public readonly failureDestination: StreamingDataLakeConsumerFailureDestination;
  /** The queue this construct created as the failure destination (undefined when `onFailure` was given). */
  public readonly failureQueue?: sqs.Queue;
  /** The consumer's alarms (on the lake's alarm topic) and its row on the lake's dashboard. */
  public readonly monitoring: ArchitectureMonitoring;

  constructor(scope: Construct, id: string, props: StreamingDataLakeConsumerProps) {
    super(scope, id);
    const lake = this.lake = props.lake;
    if (lake.source.isDirectPut) {
      throw new Error(`${this.node.path}: a consumer needs a Kinesis stream source; the lake ${lake.node.path} has ` +
        'StreamingDataLakeSource.directPut() and no stream to consume (read the delivered table instead, or use StreamingDataLakeSource.kinesisStream())');
    }
    const stream = lake.stream;
    this.handler = props.handler;
    const safe = validateAtSynthAndNow(this, v => checkConsumerOptions(v, props, lake._consumerDefaults.retentionPeriod));
    registerConsumer(lake, this);
    const given = <T>(property: string, value: T | undefined): T | undefined => (safe.has(property) ? undefined : value);

    this.streamConsumer = new kinesis.StreamConsumer(this, 'Consumer', {
      streamConsumerName: given('consumerName', props.consumerName)
        ?? Names.uniqueResourceName(this, { maxLength: 128, allowedSpecialCharacters: '_.-' }),
      stream,
    });

    if (props.onFailure) {
      this.failureDestination = props.onFailure;
    } else {
      this.failureQueue = new sqs.Queue(this, 'FailureQueue', {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: lake.encryptionKey,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        removalPolicy: lake._consumerDefaults.removalPolicy,
      });
      acknowledgeNag(this.failureQueue.node.defaultChild!, {
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is itself the on-failure destination (the dead-letter queue) of the consumer\'s event source mapping: ' +
          'it holds descriptions of batches given up on, and a dead-letter queue of its own would only move them again.',
      });
      this.failureDestination = StreamingDataLakeConsumerFailureDestination.sqsQueue(this.failureQueue);
    }
    const destinationArn = this.failureDestination.queue?.queueArn ?? this.failureDestination.topic!.topicArn;

    const grant = grantConsumer(lake, stream, this.streamConsumer, this.failureDestination, props.handler);

    this.eventSourceMapping = new lambda.EventSourceMapping(this, 'Mapping', {
      target: props.handler,
      eventSourceArn: this.streamConsumer.streamConsumerArn,
      startingPosition: given('startingPosition', props.startingPosition) ?? lambda.StartingPosition.LATEST,
      batchSize: given('batchSize', props.batchSize) ?? 100,
      maxBatchingWindow: given('maxBatchingWindow', props.maxBatchingWindow),
      bisectBatchOnError: props.bisectBatchOnError ?? true,
      retryAttempts: given('retryAttempts', props.retryAttempts) ?? 3,
      maxRecordAge: given('maxRecordAge', props.maxRecordAge),
      parallelizationFactor: given('parallelizationFactor', props.parallelizationFactor),
      reportBatchItemFailures: props.reportBatchItemFailures ?? false,
      // The grants above are the role's only ones: the mapping's DLQ helper would add aws-cdk-lib's broader ones.
      onFailure: { bind: () => ({ destination: destinationArn }) },
    });
    // Lambda checks the role's permissions when it creates the mapping.
    grant.applyBefore(this.eventSourceMapping);

    const thresholds = props.alarmThresholds ?? {};
    const iteratorAge = given('alarmThresholds.iteratorAge', thresholds.iteratorAge) ?? Duration.minutes(5);
    const errors = given('alarmThresholds.errors', thresholds.errors) ?? 1;
    this.monitoring = new ArchitectureMonitoring(this, 'Monitoring', {
      ...lake._consumerDefaults.monitoring,
      title: `Consumer ${this.node.path}`,
      // The lake's dashboard gets the consumer's row; one dashboard per consumer would scatter them.
      dashboardEnabled: false,
      alarms: consumerAlarms(this, iteratorAge, errors),
      sections: [],
    });
    lake.monitoring.dashboard?.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `## Consumer ${this.node.id}`, width: 24, height: 1,
        // Written out: aws-cdk-lib 2.273 (the peer floor) renders no background where 2.276 renders 'transparent'.
        background: cloudwatch.TextWidgetBackground.TRANSPARENT,
      }),
      graph('Iterator age (ms)', [this.metricIteratorAge()]),
      graph('Invocations / errors', [props.handler.metricInvocations({ period: Duration.minutes(5) })], [this.metricErrors()]),
    );
  }

  /**
   * Age of the last record of the batches the function received (maximum over 5 minutes): how far behind the stream
   * the consumer is.
   * @see https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
   */
  public metricIteratorAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.handler.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(5), ...props });
  }

  /** Invocations of the function that ended in an error (sum over 5 minutes). */
  public metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.handler.metricErrors({ statistic: 'Sum', period: Duration.minutes(5), ...props });
  }

  /**
   * Times Lambda could not send a failed batch's description to the failure destination (sum over 5 minutes): those
   * batches are lost without trace.
   * @see https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
   */
  public metricDestinationDeliveryFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.handler.metric('DestinationDeliveryFailures', { statistic: 'Sum', period: Duration.minutes(5), ...props });
  }}
