/**
 * Where producers send the records of a `StreamingDataLake`: a Kinesis data stream that Firehose reads, or Firehose
 * itself (Direct PUT).
 *
 * - `kinesisStream()` (the default) keeps the records in a stream encrypted with the lake's key for the retention
 *   period, so that real-time consumers (`addConsumer`) read them beside Firehose, and a delivery outage is replayed
 *   from the stream. Producers call Kinesis (`PutRecord`/`PutRecords`: the KPL, the Kinesis Agent, the SDKs).
 * - `directPut()` has no stream: producers call Firehose (`PutRecord`/`PutRecordBatch`: the Kinesis Agent in
 *   Firehose mode, Fluentd and Fluent Bit, the SDKs, AWS IoT rules), and Firehose encrypts the records it buffers with
 *   the lake's customer-managed key (server-side encryption). Cheaper (no shard-hours or stream GB), but records are
 *   buffered for at most 24 hours if delivery fails, there is no replay and no real-time consumer, and each Firehose
 *   stream has a throughput quota (by default 2,000 requests/s and 5 MiB/s in us-east-1, us-west-2 and eu-west-1,
 *   less in other regions; it can be raised), past which producers are throttled.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/basic-write.html
 * @see https://docs.aws.amazon.com/firehose/latest/dev/limits.html
 */
export class StreamingDataLakeSource {
  /** A Kinesis data stream, encrypted with the lake's key; Firehose reads it. */
  public static kinesisStream(): StreamingDataLakeSource {
    return new StreamingDataLakeSource('KINESIS_STREAM');
  }

  /**
   * Firehose Direct PUT: producers write to the Firehose stream, which encrypts what it buffers with the lake's key.
   * `capacity`, `retentionPeriod`, `streamName`, `logSources`, `alarmThresholds.iteratorAge` and consumers need a
   * stream and are rejected at synth with this source.
   */
  public static directPut(): StreamingDataLakeSource {
    return new StreamingDataLakeSource('DIRECT_PUT');
  }

  /** `KINESIS_STREAM` or `DIRECT_PUT`. */
  public readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }

  /** Whether producers write to Firehose directly (no Kinesis data stream). */
  public get isDirectPut(): boolean {
    return this.name === 'DIRECT_PUT';
  }
}
