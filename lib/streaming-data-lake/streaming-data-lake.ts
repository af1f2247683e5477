import { Annotations, ArnFormat, Duration, RemovalPolicy, Size, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

import { DataBucket } from '../core/data-bucket';
import { createEncryptionKey } from '../core/encryption-key';
import { ensureLogsCanUseKey } from '../core/logs-key-policy';
import { ArchitectureMonitoring } from '../core/monitoring';
import { MonitoringOptions } from '../core/monitoring';
import { acknowledgeNag } from '../core/nag';
import { resolveRemovalPolicy, retainExceptOnCreate } from '../core/removal-policy';
import { validateAtSynthAndNow } from '../core/validation';
import { StreamingDataLakeConsumer } from './consumer';
import { StreamingDataLakeConsumerOptions } from './consumer-options';
import { StreamingDataLakeCapacity, StreamingDataLakeFileFormat, StreamingDataLakeTimePartitioning } from './options';
import { dataFreshnessThreshold, lakeAlarms, lakeDashboard } from './private/alarms';
import { convertWithExistingTable, deliveryProcessors } from './private/delivery';
import { createDeliveryRole, scopeDeliveryPolicy } from './private/delivery-policy';
import { grantDirectPutProducer } from './private/direct-put';
import { buildOutputFormat, warnOnUnknownCompression } from './private/file-format';
import { withoutUnusedCidrMapping } from './private/firehose-mapping';
import { grantProducer, grantReader } from './private/grants';
import { addPrefixLifecycle, safeLifecycle } from './private/lifecycle';
import { subscribeLogSources } from './private/log-sources';
import { partitionColumns, partitionPath, partitionProjection, usablePartitionKeys } from './private/partitions';
import { addRawBackupLifecycle, checkRawBackup, DEFAULT_RAW_PREFIX, rawBackupDestination } from './private/raw-backup';
import { checkLakeProps, checkSourceProps, ResolvedLakeProps } from './private/rules';
import { createSchemaTable } from './private/schema-table';
import { createSourceStream } from './private/source-stream';
import { StreamingDataLakeSource } from './source';
import { StreamingDataLakeProps } from './streaming-data-lake-props';

/**
 * Default stream retention: the top of Kinesis' extended-retention tier (see `retentionPeriod`).
 */
const DEFAULT_RETENTION = Duration.days(7);

/**
 * A streaming data lake: producers put JSON records on a Kinesis data stream; a Firehose stream reads
 * it, converts each record to Parquet (or ORC) with the schema of a Glue table, and writes Hive-style
 * partitions into an S3 lake bucket, where Athena (with partition projection, no crawler), Glue, EMR
 * and Redshift Spectrum read them.
 *
 * Secure by default: the stream and logs are encrypted with a rotating customer-managed key, the lake
 * is a `DataBucket`, and Firehose's role may read only this stream, this table, and write only under
 * the data and error prefixes. Alarms and a dashboard are on by default. Real-time consumers read the stream beside
 * Firehose (`addConsumer`); `rawBackup` keeps every record unconverted; `StreamingDataLakeSource.directPut()` drops the stream.
 *
 * @example
 * const lake = new StreamingDataLake(this, 'Clicks', {
 *   schema: StreamingDataLakeSchema.fromColumns([
 *     { name: 'user_id', type: glue.Schema.STRING },
 *     { name: 'page', type: glue.Schema.STRING },
 *     { name: 'ts', type: glue.Schema.TIMESTAMP },
 *   ]),
 * });
 * lake.grantWrite(producerRole);
 */
export class StreamingDataLake extends Construct {
  /** Where producers write: a Kinesis stream, or the Firehose stream itself (Direct PUT). */
  public readonly source: StreamingDataLakeSource;
  /** The key that encrypts the stream (or, with Direct PUT, the Firehose stream's buffer) and the error log group. */
  public readonly encryptionKey: kms.IKey;
  /** The Firehose stream that delivers the stream to the lake. */
  public readonly deliveryStream: firehose.DeliveryStream;
  /** The role Firehose assumes. */
  public readonly deliveryRole: iam.Role;
  /** The one policy of `deliveryRole`, scoped to this stream, table, prefixes and keys. */
  public readonly deliveryPolicy: iam.ManagedPolicy;
  /** The lake bucket. */
  public readonly bucket: s3.IBucket;
  /** The `DataBucket` created when no bucket was passed. */
  public readonly dataBucket?: DataBucket;
  /**
   * The Glue database of the schema table: the one this construct created or was given, or, with
   * `StreamingDataLakeSchema.fromTable`, the existing table's database (imported by name). Always defined, so that
   * passing it on (`schema: StreamingDataLakeSchema.fromColumns(columns, { database: lake.database })`, a Glue
   * pipeline's `database`) never silently creates a second database.
   */
  public readonly database: glue.IDatabase;
  /** The Glue table this construct created (undefined with `StreamingDataLakeSchema.fromTable`). */
  public readonly table?: glue.S3Table;
  /** Name of the Glue database holding the schema table. */
  public readonly databaseName: string;
  /** Name of the schema table. */
  public readonly tableName: string;
  /** Account of the Data Catalog that holds the schema table. */
  public readonly catalogId: string;
  /** The log group that receives Firehose delivery and conversion errors. */
  public readonly errorLogGroup: logs.LogGroup;
  /** Static prefix of the data files (the table location under the bucket). */
  public readonly dataPrefix: string;
  /** Full data prefix Firehose writes to, with its partition expressions. */
  public readonly dataOutputPrefix: string;
  /** Full error prefix Firehose writes failed records to. */
  public readonly errorOutputPrefix: string;
  /** Static prefix of the raw backup copies (undefined without `rawBackup`). */
  public readonly rawBackupPrefix?: string;
  /** Full prefix Firehose writes raw backup copies to, with its time partitions (undefined without `rawBackup`). */
  public readonly rawBackupOutputPrefix?: string;
  /** The alarms and dashboard. */
  public readonly monitoring: ArchitectureMonitoring;

  /**
   * What `addConsumer` passes on to each consumer: the lake's monitoring switches and the removal policy of what it
   * creates.
   * @internal
   */
  public readonly _consumerDefaults: {
    readonly monitoring: MonitoringOptions; readonly removalPolicy: RemovalPolicy; readonly retentionPeriod: Duration;
  };

  private readonly sourceStream?: kinesis.Stream;

  constructor(scope: Construct, id: string, props: StreamingDataLakeProps) {
    super(scope, id);

    const removalPolicy = resolveRemovalPolicy(this, props.removalPolicy);
    // What the lake creates itself (key, stream, database, table, log group) is deleted again if the deploy that
    // created it rolls back, so that the retry does not collide with it; see retainExceptOnCreate.
    const stateful = retainExceptOnCreate(removalPolicy);
    const source = this.source = props.source ?? StreamingDataLakeSource.kinesisStream();
    const capacity = props.capacity ?? StreamingDataLakeCapacity.onDemand();
    const retentionPeriod = props.retentionPeriod ?? DEFAULT_RETENTION;
    const dataPrefix = props.dataPrefix ?? 'data/';
    const errorPrefix = props.errorPrefix ?? 'errors/';
    const timePartitioning = props.timePartitioning ?? StreamingDataLakeTimePartitioning.HOUR;
    const partitionKeys = props.partitionKeys ?? [];
    const bufferingInterval = props.bufferingInterval ?? Duration.seconds(300);
    const bufferingSize = props.bufferingSize ?? Size.mebibytes(128);
    const fileFormat = props.fileFormat ?? StreamingDataLakeFileFormat.parquet();
    const inputFormat = props.inputFormat ?? new firehose.OpenXJsonInputFormat();
    // A Direct PUT lake has no stream to subscribe log groups to: reported below (checkSourceProps), none subscribed.
    const logSources = source.isDirectPut ? [] : props.logSources ?? [];
    const thresholds = props.alarmThresholds ?? {};
    const iteratorAgeThreshold = thresholds.iteratorAge ?? Duration.hours(1);
    const columns = props.schema.columns;
    const tableOptions = props.schema.tableOptions ?? {};
    const projectionFirstYear = tableOptions.projectionFirstYear ?? 2025;

    // Each rule below is a limit AWS enforces at deploy or run time. aws-cdk-lib throws on some of them
    // as soon as a resource is constructed, which would hide every other problem; so a value that
    // breaks a rule is reported here (at synth, all together) and the resources get a safe stand-in.
    const resolved: ResolvedLakeProps = {
      schema: props.schema, columns, tableOptions, projectionFirstYear, capacity, retentionPeriod,
      streamName: props.streamName, deliveryStreamName: props.deliveryStreamName, bufferingInterval, bufferingSize,
      dataPrefix, errorPrefix, timePartitioning, partitionKeys, transform: props.transform, iteratorAgeThreshold,
      lifecycle: props.lifecycle, bucket: props.bucket, fileFormat, dataFreshnessThreshold: thresholds.dataFreshness,
    };
    const safe = validateAtSynthAndNow(this, v => {
      checkLakeProps(v, resolved);
      checkSourceProps(v, source, props);
      checkRawBackup(v, props.rawBackup, dataPrefix, errorPrefix, props.bucket);
    });

    // --- Safe stand-ins for values already reported above.
    const shardCount = capacity.shardCount !== undefined && safe.has('capacity.shardCount') ? 1 : capacity.shardCount;
    const safeRetention = safe.has('retentionPeriod') ? DEFAULT_RETENTION : retentionPeriod;
    const safeInterval = safe.has('bufferingInterval') ? Duration.seconds(300) : bufferingInterval;
    const safeSize = safe.has('bufferingSize') ? Size.mebibytes(128) : bufferingSize;
    const safeKeys = usablePartitionKeys(partitionKeys, columns);
    const safePrefix = (p: string, fallback: string) =>
      (!Token.isUnresolved(p) && (p.includes('!{') || !p.endsWith('/')) ? fallback : p);
    const safeDataPrefix = safePrefix(dataPrefix, 'data/');
    const safeErrorPrefix = safePrefix(errorPrefix, 'errors/');
    const safeRawPrefix = props.rawBackup ? safePrefix(props.rawBackup.prefix ?? DEFAULT_RAW_PREFIX, DEFAULT_RAW_PREFIX) : undefined;
    const dynamicPartitioning = safeKeys.length > 0;

    // Allowed but costly to read: every delivery is one S3 object per partition, and Athena's cost and
    // latency grow with the number of small Parquet files it opens.
    // https://docs.aws.amazon.com/athena/latest/ug/performance-tuning-data-optimization-techniques.html
    if (!safeInterval.isUnresolved() && safeInterval.toSeconds() < 60) {
      Annotations.of(this).addWarningV2('cdk-analytics-blueprints:streamingDataLakeSmallFiles',
        `bufferingInterval (${safeInterval.toHumanString()}) is under 60 seconds: Firehose will write many small files, ` +
        'which slow down and raise the cost of Athena queries; use it for debugging only');
    }

    // --- Stream (none with Direct PUT: Firehose encrypts its buffer with the same key).
    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'Key',
      `Encrypts the ${source.isDirectPut ? 'Firehose' : 'Kinesis'} stream and logs of ${this.node.path}`, stateful);
    if (!source.isDirectPut) {
      this.sourceStream = createSourceStream(this, {
        streamName: props.streamName, shardCount, retentionPeriod: safeRetention, encryptionKey: this.encryptionKey, removalPolicy: stateful,
      });
    }
    this._consumerDefaults = {
      removalPolicy: stateful, retentionPeriod: safeRetention,
      monitoring: { alarmsEnabled: props.alarmsEnabled, alarmTopic: props.alarmTopic, alarmActionsEnabled: props.alarmActionsEnabled },
    };

    // --- Lake bucket.
    if (props.bucket) {
      this.bucket = props.bucket;
      if (props.lifecycle && props.bucket instanceof s3.Bucket) {
        addPrefixLifecycle(this, props.bucket, safeLifecycle(props.lifecycle, safe)!, [['data', safeDataPrefix], ['errors', safeErrorPrefix]]);
      }
    } else {
      this.dataBucket = new DataBucket(this, 'Lake', { removalPolicy, lifecycle: safeLifecycle(props.lifecycle, safe) });
      this.bucket = this.dataBucket.bucket;
    }
    const bucketKey = this.bucket.encryptionKey;
    if (props.rawBackup && safeRawPrefix) {
      addRawBackupLifecycle(this, this.bucket, safeRawPrefix, props.rawBackup, safe);
    }

    // --- Schema table.
    const schemaTable = createSchemaTable(this, {
      schema: props.schema, partitions: partitionColumns(timePartitioning, safeKeys),
      projection: partitionProjection(timePartitioning, safeKeys, projectionFirstYear), fileFormat, bucket: this.bucket,
      dataPrefix: safeDataPrefix, removalPolicy: stateful,
    });
    this.database = schemaTable.database;
    this.table = schemaTable.table;
    this.databaseName = schemaTable.databaseName;
    this.tableName = schemaTable.tableName;
    // The catalog of a database is its account: the stack's for a database of this app, the ARN's for an imported one.
    const catalogId = this.catalogId = props.schema.existingTable
      ? Stack.of(this).splitArn(this.database.databaseArn, ArnFormat.SLASH_RESOURCE_NAME).account ?? Stack.of(this).account
      : Stack.of(this).account;

    // --- Firehose.
    this.dataPrefix = safeDataPrefix;
    this.dataOutputPrefix = safeDataPrefix + partitionPath(timePartitioning, safeKeys);
    this.errorOutputPrefix = `${safeErrorPrefix}!{firehose:error-output-type}/` + partitionPath(StreamingDataLakeTimePartitioning.DAY, []);
    this.rawBackupPrefix = safeRawPrefix;
    this.rawBackupOutputPrefix = safeRawPrefix && safeRawPrefix + partitionPath(timePartitioning, []);

    this.errorLogGroup = new logs.LogGroup(this, 'ErrorLogs', {
      encryptionKey: this.encryptionKey,
      retention: props.errorLogRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: stateful,
    });
    // CloudWatch Logs creates the error log group only if the key lets it: the key policy of a key of this app gets
    // the statement (log groups of this account only); an imported key's cannot be changed, so synth warns.
    ensureLogsCanUseKey(this, this.encryptionKey, this.errorLogGroup);

    const deliveryRole = createDeliveryRole(this, props.deliveryStreamName !== undefined && !safe.has('deliveryStreamName') ? props.deliveryStreamName : undefined);
    this.deliveryRole = deliveryRole;
    this.deliveryPolicy = deliveryRole.policy;
    // aws-cdk-lib's Firehose S3 destination always grants read/write on the whole bucket (and the
    // source, schema, logs and processor grants are as broad). The L2 resources get a view of the role
    // that accepts those grants without attaching them (aws-cdk-lib's own `withoutPolicyUpdates`); the
    // scoped `deliveryPolicy` is the role's only policy, and the delivery stream depends on it.
    const firehoseRole = this.deliveryRole.withoutPolicyUpdates();

    const processors = deliveryProcessors(logSources.length > 0, safeKeys, props.transform, safe);

    warnOnUnknownCompression(this, fileFormat);
    const outputFormat = buildOutputFormat(fileFormat, safe);
    const destination = new firehose.S3Bucket(this.bucket, {
      role: firehoseRole,
      dataOutputPrefix: this.dataOutputPrefix,
      errorOutputPrefix: this.errorOutputPrefix,
      bufferingInterval: safeInterval,
      bufferingSize: safeSize,
      encryptionKey: bucketKey,
      loggingConfig: new firehose.EnableLogging(this.errorLogGroup),
      processors,
      dynamicPartitioning: dynamicPartitioning ? { enabled: true } : undefined,
      dataFormatConversion: this.table ? {
        schemaConfiguration: firehose.SchemaConfiguration.fromCfnTable(this.table.node.defaultChild as glue.CfnTable),
        inputFormat,
        outputFormat,
      } : undefined,
      s3Backup: props.rawBackup && this.rawBackupOutputPrefix ? rawBackupDestination(props.rawBackup, this.bucket, bucketKey,
        this.rawBackupOutputPrefix, this.errorOutputPrefix, this.errorLogGroup, safe) : undefined,
    });

    this.deliveryStream = withoutUnusedCidrMapping(this, () => new firehose.DeliveryStream(this, 'Delivery', {
      deliveryStreamName: props.deliveryStreamName,
      source: this.sourceStream ? new firehose.KinesisStreamSource(this.stream) : undefined,
      // Direct PUT: Firehose encrypts what it buffers with the lake's key (through a grant it creates itself).
      encryption: this.sourceStream ? undefined : firehose.StreamEncryption.customerManagedKey(this.encryptionKey),
      destination,
      role: firehoseRole,
    }));
    this.deliveryStream.node.addDependency(deliveryRole.allPolicies);

    const cfnDelivery = this.deliveryStream.node.defaultChild as firehose.CfnDeliveryStream;
    if (!this.table) {
      convertWithExistingTable(this, inputFormat, outputFormat);
    }

    scopeDeliveryPolicy(this, deliveryRole, safeDataPrefix, safeErrorPrefix, catalogId, bucketKey, props.transform, safeRawPrefix);

    if (this.sourceStream) {
      acknowledgeNag(cfnDelivery, {
        id: 'AwsSolutions-KDF1',
        reason: 'The source is a Kinesis data stream encrypted with a customer-managed key; Firehose rejects its own ' +
          'server-side encryption for a Kinesis source (it does not store the records) and S3 objects are SSE-KMS.',
      });
    }

    // --- Producers through CloudWatch Logs.
    if (this.sourceStream) subscribeLogSources(this, this.stream, logSources);

    // --- Alarms and dashboard.
    const freshness = dataFreshnessThreshold(this, safe.has('alarmThresholds.dataFreshness') ? undefined : thresholds.dataFreshness, safeInterval);
    const alarms = lakeAlarms(this, {
      iteratorAge: this.sourceStream ? iteratorAgeThreshold : undefined, retentionPeriod: safeRetention, dataFreshness: freshness,
      fileFormatName: fileFormat.name, errorPrefix: safeErrorPrefix, transform: props.transform !== undefined, dynamicPartitioning,
      rawBackup: safeRawPrefix !== undefined,
    });
    this.monitoring = new ArchitectureMonitoring(this, 'Monitoring', {
      title: `Streaming data lake ${this.node.path}`,
      alarmsEnabled: props.alarmsEnabled,
      alarmTopic: props.alarmTopic,
      alarmActionsEnabled: props.alarmActionsEnabled,
      dashboardEnabled: props.dashboardEnabled,
      dashboardName: props.dashboardName,
      alarms,
      sections: lakeDashboard(this),
    });
  }

  /**
   * The Kinesis data stream producers write to. A lake with `StreamingDataLakeSource.directPut()` has none, and throws:
   * check `source.isDirectPut` first when the lake may be either.
   */
  public get stream(): kinesis.Stream {
    if (!this.sourceStream) {
      throw new Error(`${this.node.path}: a lake with StreamingDataLakeSource.directPut() has no Kinesis stream; producers write to deliveryStream`);
    }
    return this.sourceStream;
  }

  /**
   * Lets `grantee` put records into the lake. With a Kinesis stream source: `kinesis:PutRecord`, `kinesis:PutRecords`,
   * `kinesis:ListShards`, `kinesis:DescribeStream` and `kinesis:DescribeStreamSummary` on this stream, and
   * `kms:GenerateDataKey` on its key through Kinesis only. With Direct PUT: `firehose:PutRecord` and
   * `firehose:PutRecordBatch` on the Firehose stream, and nothing on the key (Firehose encrypts with a grant of its
   * own). Exact actions and resources: a `ManagedPolicyRole` grantee has no cdk-nag finding from it.
   */
  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    return this.sourceStream ? grantProducer(this, this.stream, grantee) : grantDirectPutProducer(this, grantee);
  }

  /**
   * Registers an enhanced fan-out consumer on the lake's stream and invokes `options.handler` with its records, with
   * alarms on the function's iterator age and errors. Up to 20 consumers per stream; a Direct PUT lake has no stream
   * to consume and throws.
   * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RegisterStreamConsumer.html
   */
  public addConsumer(id: string, options: StreamingDataLakeConsumerOptions): StreamingDataLakeConsumer {
    return new StreamingDataLakeConsumer(this, id, { ...options, lake: this });
  }

  /**
   * Lets `grantee` read what an Athena, Spark or Trino reader of the table needs, and nothing else: the table's
   * database, definition and partitions in the Data Catalog; `s3:GetObject` on the objects under `dataPrefix`;
   * `s3:ListBucket` limited to that prefix and `s3:GetBucketLocation`; `kms:Decrypt` on the bucket key through S3
   * only. The error prefix stays unreadable. Every action is exact; on a `ManagedPolicyRole` grantee the one cdk-nag
   * finding left is `AwsSolutions-IAM5` on `<bucket>/<dataPrefix>*`, the object names Firehose generates, which the
   * grantee's owner acknowledges on their role.
   */
  public grantReadData(grantee: iam.IGrantable): iam.Grant {
    return grantReader(this, grantee);
  }

  /** Age of the oldest record not yet read from the stream (maximum over 5 minutes); a Direct PUT lake throws. */
  public metricIteratorAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    if (!this.sourceStream) throw new Error(`${this.node.path}: a Direct PUT lake has no stream, so no iterator age`);
    return this.stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum', period: Duration.minutes(5), ...props });
  }

  /**
   * Records rejected because the lake was throttled (sum over 5 minutes). With a stream: `PutRecord` and `PutRecords`
   * calls alike (`PutRecords.ThrottledRecords` would miss producers that put one record at a time: the Kinesis Agent,
   * CloudWatch Logs subscriptions, most SDK examples). With Direct PUT: Firehose's `ThrottledRecords`.
   * @see https://docs.aws.amazon.com/streams/latest/dev/monitoring-with-cloudwatch.html (WriteProvisionedThroughputExceeded)
   * @see https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html (ThrottledRecords)
   */
  public metricWriteThrottled(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    const options = { statistic: 'Sum', period: Duration.minutes(5), ...props };
    return this.sourceStream ? this.stream.metricWriteProvisionedThroughputExceeded(options) : this.deliveryStream.metric('ThrottledRecords', options);
  }

  /** Age in seconds of the oldest record not yet delivered to S3 (maximum over 5 minutes). */
  public metricDataFreshness(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deliveryStream.metric('DeliveryToS3.DataFreshness', { statistic: 'Maximum', period: Duration.minutes(5), ...props });
  }

  /** Ratio of successful S3 writes (minimum over 5 minutes). */
  public metricDeliverySuccess(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deliveryStream.metric('DeliveryToS3.Success', { statistic: 'Minimum', period: Duration.minutes(5), ...props });
  }

  /** Records that failed format conversion (sum over 5 minutes). */
  public metricFailedConversionRecords(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deliveryStream.metric('FailedConversion.Records', { statistic: 'Sum', period: Duration.minutes(5), ...props });
  }
}

