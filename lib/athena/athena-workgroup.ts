import { Annotations, Duration, Names, RemovalPolicy, Size, SizeRoundingBehavior, Stack, Token } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

import { AlarmTopic } from '../core/alarm-topic';
import { graph } from '../core/dashboard-widgets';
import { DataBucket } from '../core/data-bucket';
import { ArchitectureMonitoring, MonitoringOptions } from '../core/monitoring';
import { validateAtSynthAndNow } from '../streaming-data-lake/private/rules';
import { grantQuery } from './private/grants';
import { QUERY_STATES, QUERY_TYPES, workgroupMetric } from './private/metrics';
import { checkWorkgroupProps, MIN_BYTES_SCANNED_CUTOFF } from './private/rules';
import { sampleQuery } from './private/sample-query';
import { AthenaQueryTable } from './query-table';

/** The engine every workgroup of this construct runs: Trino-based, the current Athena engine. */
const ENGINE_VERSION = 'Athena engine version 3';

/**
 * Thresholds of the workgroup's alarms.
 */
export interface AthenaAlarmThresholds {
  /**
   * Failed queries in 15 minutes at which the workgroup alarms, a whole number of at least 1. Analysts mistype
   * queries; a burst of failures means something broke for everyone (a table, a permission, a key).
   * @default 5
   */
  readonly failedQueries?: number;
  /**
   * Bytes scanned by the workgroup's queries in one hour at which it alarms: the cost signal ($5 per TB scanned in
   * us-east-1 at the time of writing).
   * @default Size.tebibytes(1)
   */
  readonly processedBytesPerHour?: Size;
}

/**
 * Props of `AthenaWorkgroup`.
 */
export interface AthenaWorkgroupProps extends MonitoringOptions {
  /**
   * Name of the workgroup: 1 to 128 letters, digits, `.`, `_` or `-`.
   * @default - generated from the construct path
   */
  readonly workGroupName?: string;
  /**
   * Description of the workgroup, at most 1024 characters.
   * @default - names the construct
   */
  readonly description?: string;
  /**
   * The most a single query may scan: Athena cancels a query that reaches it (and bills what it scanned). At least
   * 10,000,000 bytes (10 MB), Athena's minimum, in whole bytes.
   * @see https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html
   * @default Size.gibibytes(100)
   */
  readonly bytesScannedCutoffPerQuery?: Size;
  /**
   * Bucket of the query results. Results are written under `resultsPrefix`, SSE-KMS with `resultsEncryptionKey`. On a
   * bucket of this app, the workgroup adds a lifecycle rule that expires them; an imported bucket gets none.
   * @default - a new `DataBucket` (SSE-KMS with a new rotating key, TLS-only, access-logged)
   */
  readonly resultsBucket?: s3.IBucket;
  /**
   * Key that encrypts the query results (SSE-KMS).
   * @default - the key of `resultsBucket`
   */
  readonly resultsEncryptionKey?: kms.IKey;
  /**
   * Key prefix of the query results in the bucket, ending with `/`.
   * @default 'athena-results/'
   */
  readonly resultsPrefix?: string;
  /**
   * How long query results are kept: a whole number of days, at least 1. Results are a copy of what was queried; the
   * console's query history links to them.
   * @default Duration.days(30)
   */
  readonly resultsExpiration?: Duration;
  /**
   * Lake tables the workgroup queries: each gets a sample named query with a predicate on every partition key, and
   * `grantQuery` covers them. More can be added with `addTable`.
   * @default - none
   */
  readonly tables?: AthenaQueryTable[];
  /**
   * Notify the alarm topic of every failed query of the workgroup, through an EventBridge rule on Athena's
   * `Athena Query State Change` events (delivered on a best-effort basis).
   * @see https://docs.aws.amazon.com/athena/latest/ug/athena-cloudwatch-events.html
   * @default false
   */
  readonly failedQueryNotifications?: boolean;
  /**
   * Thresholds of the alarms.
   * @default - see `AthenaAlarmThresholds`
   */
  readonly alarmThresholds?: AthenaAlarmThresholds;
  /**
   * What happens to the results bucket and its key when the stack is deleted. The workgroup holds no data and is
   * deleted with the stack (its query history goes with it). `DESTROY` takes effect only with the context flag
   * `cdk-analytics-blueprints:removeDataOnDestroy`.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An Athena workgroup over the lake, with its settings enforced: Athena engine version 3, query results SSE-KMS in a
 * bucket of their own that expires them, a per-query bytes-scanned cutoff, CloudWatch query metrics; a sample named
 * query per lake table that reads one partition; `grantQuery` with exact actions; alarms and a dashboard.
 *
 * @example
 * const queries = new AthenaWorkgroup(this, 'Queries', {
 *   tables: [AthenaQueryTable.fromStreamingDataLake(lake)],
 *   bytesScannedCutoffPerQuery: Size.gibibytes(10),
 * });
 * queries.grantQuery(analystRole);
 */
export class AthenaWorkgroup extends Construct {
  /** The workgroup. */
  public readonly workGroup: athena.CfnWorkGroup;
  /** Name of the workgroup. */
  public readonly workGroupName: string;
  /** ARN of the workgroup. */
  public readonly workGroupArn: string;
  /** The bucket of the query results. */
  public readonly resultsBucket: s3.IBucket;
  /** The `DataBucket` created when no results bucket was passed. */
  public readonly resultsDataBucket?: DataBucket;
  /** The key that encrypts the query results. */
  public readonly resultsEncryptionKey: kms.IKey;
  /** Key prefix of the query results. */
  public readonly resultsPrefix: string;
  /** The sample named queries, one per table, in the order the tables were given. */
  public readonly namedQueries: athena.CfnNamedQuery[] = [];
  /** The rule that notifies failed queries, when `failedQueryNotifications` is on. */
  public readonly failedQueryRule?: events.Rule;
  /** The alarms and dashboard. */
  public readonly monitoring: ArchitectureMonitoring;
  private readonly tables: AthenaQueryTable[];

  constructor(scope: Construct, id: string, props: AthenaWorkgroupProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const cutoff = props.bytesScannedCutoffPerQuery ?? Size.gibibytes(100);
    const resultsPrefix = props.resultsPrefix ?? 'athena-results/';
    const resultsExpiration = props.resultsExpiration ?? Duration.days(30);
    const thresholds = props.alarmThresholds ?? {};
    const failedQueries = thresholds.failedQueries ?? 5;
    const processedBytes = thresholds.processedBytesPerHour ?? Size.tebibytes(1);
    this.tables = [...props.tables ?? []];

    const safe = validateAtSynthAndNow(this, v => checkWorkgroupProps(v, {
      workGroupName: props.workGroupName, description: props.description, bytesScannedCutoffPerQuery: cutoff,
      resultsBucket: props.resultsBucket, resultsEncryptionKey: props.resultsEncryptionKey, resultsPrefix, resultsExpiration,
      tables: this.tables, failedQueriesThreshold: failedQueries, processedBytesThreshold: processedBytes,
    }));
    this.resultsPrefix = safe.has('resultsPrefix') ? 'athena-results/' : resultsPrefix;

    if (props.resultsBucket) {
      this.resultsBucket = props.resultsBucket;
    } else {
      this.resultsDataBucket = new DataBucket(this, 'Results', { removalPolicy: props.removalPolicy });
      this.resultsBucket = this.resultsDataBucket.bucket;
    }
    if (!(this.resultsBucket instanceof s3.Bucket)) {
      Annotations.of(this).addWarningV2('cdk-analytics-blueprints:athenaResultsNotExpired',
        `resultsBucket is imported, so the workgroup cannot expire the query results under '${this.resultsPrefix}' after ` +
        `${resultsExpiration.toHumanString()}: add that lifecycle rule where the bucket is defined`);
    } else if (!safe.has('resultsExpiration')) {
      this.resultsBucket.addLifecycleRule({ id: `expire-${Names.uniqueId(this)}`.slice(0, 255), prefix: this.resultsPrefix,
        expiration: resultsExpiration });
    }
    // Validation reports a bucket without a key; the stand-in keeps building so that every problem is reported.
    this.resultsEncryptionKey = props.resultsEncryptionKey ?? this.resultsBucket.encryptionKey
      ?? kms.Key.fromKeyArn(this, 'MissingResultsKey', stack.formatArn({ service: 'kms', resource: 'key', resourceName: 'missing' }));

    this.workGroupName = props.workGroupName !== undefined && !safe.has('workGroupName') ? props.workGroupName
      : Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    const cutoffBytes = safe.has('bytesScannedCutoffPerQuery') || cutoff.isUnresolved()
      ? Size.gibibytes(100).toBytes() : cutoff.toBytes({ rounding: SizeRoundingBehavior.NONE });

    this.workGroup = new athena.CfnWorkGroup(this, 'Resource', {
      name: this.workGroupName,
      description: props.description ?? `Queries of the lake, ${this.node.path}`,
      state: 'ENABLED',
      // Saved queries users add in the console are not deleted with the stack: deleting the workgroup then fails,
      // rather than deleting what someone wrote.
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        engineVersion: { selectedEngineVersion: ENGINE_VERSION },
        // Clients cannot override the results location, its encryption or the cutoff.
        // https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html
        enforceWorkGroupConfiguration: true,
        bytesScannedCutoffPerQuery: Math.max(cutoffBytes, MIN_BYTES_SCANNED_CUTOFF),
        publishCloudWatchMetricsEnabled: true,
        requesterPaysEnabled: false,
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/${this.resultsPrefix}`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: this.resultsEncryptionKey.keyArn },
          // Athena refuses to write results to a bucket of another owner (a bucket name taken over after deletion).
          expectedBucketOwner: stack.account,
        },
      },
    });
    this.workGroupArn = stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workGroupName });
    this.workGroup.applyRemovalPolicy(RemovalPolicy.DESTROY);

    this.tables.forEach((t, i) => this.addSampleQuery(t, i));

    if (props.failedQueryNotifications ?? false) {
      const topic: sns.ITopic = props.alarmTopic ?? AlarmTopic.ofStack(this).topic;
      // "Athena Query State Change", currentState FAILED, for this workgroup only.
      // https://docs.aws.amazon.com/athena/latest/ug/athena-cloudwatch-events.html
      this.failedQueryRule = new events.Rule(this, 'FailedQueryRule', {
        description: `Failed queries of the Athena workgroup ${this.node.path}`,
        eventPattern: {
          source: ['aws.athena'],
          detailType: ['Athena Query State Change'],
          detail: { currentState: ['FAILED'], workgroupName: [this.workGroupName] },
        },
        targets: [new targets.SnsTopic(topic)],
      });
    }

    this.monitoring = new ArchitectureMonitoring(this, 'Monitoring', {
      title: `Athena workgroup ${this.node.path}`,
      alarmsEnabled: props.alarmsEnabled,
      alarmTopic: props.alarmTopic,
      alarmActionsEnabled: props.alarmActionsEnabled,
      dashboardEnabled: props.dashboardEnabled,
      dashboardName: props.dashboardName,
      alarms: [
        {
          id: 'FailedQueries',
          metric: this.metricFailedQueries({ period: Duration.minutes(15) }),
          threshold: safe.has('alarmThresholds.failedQueries') ? 5 : failedQueries,
          description: `${failedQueries} or more queries of the workgroup ${this.workGroupName} failed in 15 minutes: look at the ` +
            'query history for the error (a missing table or partition, a permission, the bytes-scanned cutoff).',
        },
        {
          id: 'ProcessedBytes',
          metric: this.metricProcessedBytes({ period: Duration.hours(1) }),
          threshold: safe.has('alarmThresholds.processedBytesPerHour') ? Size.tebibytes(1).toBytes() : processedBytes.toBytes(),
          description: `Queries of the workgroup ${this.workGroupName} scanned more than ${processedBytes.isUnresolved() ? 'the threshold' : `${processedBytes.toGibibytes({ rounding: SizeRoundingBehavior.NONE })} GiB`} in an ` +
            'hour: find the queries in the history; filter on partition columns, select fewer columns.',
        },
      ],
      sections: [{
        title: 'Queries',
        widgets: [
          graph('Queries', QUERY_STATES.map(s => this.metricQueries(s, { label: s.toLowerCase() }))),
          graph('Processed bytes', [this.metricProcessedBytes()], [this.metricTotalExecutionTime({ label: 'execution time p90 (ms)' })]),
        ],
      }],
    });
  }

  /** Adds a lake table: its sample named query, and the reads of `grantQuery` for grants made after this call. */
  public addTable(table: AthenaQueryTable): void {
    this.tables.push(table);
    this.addSampleQuery(table, this.tables.length - 1);
  }

  /**
   * Lets `grantee` run queries in this workgroup over its tables, and nothing else: the workgroup actions (start,
   * stop, get and list query executions and results, runtime statistics, the workgroup and its named queries) on this
   * workgroup; `glue:GetDatabase`/`GetTable`/`GetTableVersion(s)`/`GetPartition(s)`/`BatchGetPartition` on the
   * catalog, database and table of each table; `s3:GetObject` under each table's prefix with `s3:ListBucket` limited
   * to it and `s3:GetBucketLocation`, `kms:Decrypt` through S3; on the results prefix `s3:PutObject`, `GetObject`,
   * `AbortMultipartUpload`, `ListMultipartUploadParts`, listing limited to it, and `kms:GenerateDataKey`/`kms:Decrypt`
   * on the results key through S3. Tables added after the call are not covered. On a `ManagedPolicyRole`, the cdk-nag
   * findings left are `AwsSolutions-IAM5` on the object patterns (`<bucket>/<prefix>*`), for the grantee's owner to
   * acknowledge.
   */
  public grantQuery(grantee: iam.IGrantable): iam.Grant {
    return grantQuery({
      stack: Stack.of(this), workGroupArn: this.workGroupArn, resultsBucket: this.resultsBucket, resultsPrefix: this.resultsPrefix,
      resultsKey: this.resultsEncryptionKey, tables: this.tables,
    }, grantee);
  }

  /** Queries of the workgroup that failed, all query types (count, sum over 5 minutes). */
  public metricFailedQueries(props?: cloudwatch.MathExpressionOptions): cloudwatch.IMetric {
    return this.metricQueries('FAILED', { label: 'Failed queries', ...props });
  }

  /** Queries of the workgroup that ended in `state` (`SUCCEEDED`, `FAILED` or `CANCELED`), all query types. */
  public metricQueries(state: string, props?: cloudwatch.MathExpressionOptions): cloudwatch.IMetric {
    // Every query publishes one TotalExecutionTime data point: its sample count is the number of queries.
    return workgroupMetric(this.workGroupName, 'TotalExecutionTime', 'SampleCount', [state], QUERY_TYPES, `${state} queries`, props);
  }

  /** Bytes scanned by the workgroup's DML queries, whatever their outcome (sum over 5 minutes). */
  public metricProcessedBytes(props?: cloudwatch.MathExpressionOptions): cloudwatch.IMetric {
    return workgroupMetric(this.workGroupName, 'ProcessedBytes', 'Sum', QUERY_STATES, ['DML'], 'Processed bytes', props);
  }

  /** 90th percentile of the total execution time of successful DML queries, in milliseconds (over 5 minutes). */
  public metricTotalExecutionTime(props?: cloudwatch.MathExpressionOptions): cloudwatch.IMetric {
    return workgroupMetric(this.workGroupName, 'TotalExecutionTime', 'p90', ['SUCCEEDED'], ['DML'], 'Total execution time', props);
  }

  private addSampleQuery(table: AthenaQueryTable, index: number): void {
    const tableName = table.tableName;
    const name = `Sample: one partition of ${tableName}`;
    const query = new athena.CfnNamedQuery(this, `SampleQuery${index}`, {
      workGroup: this.workGroup.ref,
      database: table.databaseName,
      // NamedQuery Name: at most 128 characters; a generated table name is resolved only at deploy time.
      name: Token.isUnresolved(name) ? name : name.slice(0, 128),
      description: table.partitionKeys.length > 0
        ? `Reads one partition of ${tableName}: the console asks for a value of each partition key (${table.partitionKeys.join(', ')})`
        : `Reads ${tableName}, which has no partition keys: up to the workgroup's bytes-scanned cutoff`,
      queryString: sampleQuery(table),
    });
    this.namedQueries.push(query);
  }
}
