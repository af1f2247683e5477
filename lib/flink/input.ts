import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';

import type { StreamingDataLake } from '../streaming-data-lake/streaming-data-lake';

/** Options of a `FlinkInput`. */
export interface FlinkInputOptions {
  /**
   * The key that encrypts the stream: the role gets `kms:Decrypt` on it, through Kinesis only.
   * @default - the stream's own `encryptionKey` (a stream of this app); none for an unencrypted or imported stream
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Whether the application's Kinesis source reads with enhanced fan-out (its own 2 MB/s per shard, pushed with
   * `SubscribeToShard`) instead of polling with `GetRecords`. The role then may register, describe and deregister
   * stream consumers and subscribe to shards through them. Set it to what the application code configures.
   * @see https://docs.aws.amazon.com/streams/latest/dev/building-enhanced-consumers-api.html
   * @default false
   */
  readonly enhancedFanOut?: boolean;
  /**
   * The `Id` dimension under which the application's Kinesis source publishes `millisBehindLatest`: the stream name,
   * as in the AWS samples' Managed Service for Apache Flink dashboard. Set it when your source names its metric group
   * otherwise.
   * @default - the stream's name
   */
  readonly metricId?: string;
}

/**
 * The Kinesis data stream a `FlinkApplication` reads. The application's role gets exactly what a Flink Kinesis source
 * calls on it (and nothing on any other stream), and the falling-behind alarm watches this source.
 *
 * - `fromStream(stream, options)`: any stream, with its key when it is encrypted with a customer-managed key that
 *   the stream itself does not carry (an imported stream).
 * - `fromStreamingDataLake(lake, options)`: the stream of a `StreamingDataLake`, with the lake's key. The Flink
 *   application then reads the same records as the lake's Firehose, independently (each reader has its own position).
 */
export class FlinkInput {
  /** A Kinesis data stream. */
  public static fromStream(stream: kinesis.IStream, options: FlinkInputOptions = {}): FlinkInput {
    return new FlinkInput(stream, options.encryptionKey ?? stream.encryptionKey, options);
  }

  /**
   * The stream of a `StreamingDataLake`, decrypted with the lake's key. A lake whose producers write to Firehose
   * directly has no stream to read: that throws, naming the lake.
   */
  public static fromStreamingDataLake(lake: StreamingDataLake, options: FlinkInputOptions = {}): FlinkInput {
    const stream: kinesis.IStream | undefined = lake.stream;
    if (!stream) {
      throw new Error(`${lake.node.path}: FlinkInput.fromStreamingDataLake needs a lake with a Kinesis stream; this one has none ` +
        '(its producers write to Firehose directly), so there is nothing for a Flink application to read');
    }
    return new FlinkInput(stream, options.encryptionKey ?? lake.encryptionKey, options);
  }

  /** The stream. */
  public readonly stream: kinesis.IStream;
  /** The key of the stream, when it is encrypted with a customer-managed key. */
  public readonly encryptionKey?: kms.IKey;
  /** Whether the source reads with enhanced fan-out. */
  public readonly enhancedFanOut: boolean;
  private readonly options: FlinkInputOptions;

  private constructor(stream: kinesis.IStream, encryptionKey: kms.IKey | undefined, options: FlinkInputOptions) {
    this.stream = stream;
    this.encryptionKey = encryptionKey;
    this.options = options;
    this.enhancedFanOut = options.enhancedFanOut ?? false;
  }

  /** The `Id` dimension of the source's `millisBehindLatest` metric. */
  public get metricId(): string {
    return this.options.metricId ?? this.stream.streamName;
  }
}
