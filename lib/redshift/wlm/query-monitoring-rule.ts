/**
 * The query priorities of automatic WLM, from most to least important.
 * @see https://docs.aws.amazon.com/redshift/latest/dg/query-priority.html
 */
export enum WlmQueuePriority {
  /** Runs ahead of every other priority. */
  HIGHEST = 'highest',
  /** High priority. */
  HIGH = 'high',
  /** The default priority. */
  NORMAL = 'normal',
  /** Low priority. */
  LOW = 'low',
  /** Runs after every other priority. */
  LOWEST = 'lowest',
}

/**
 * A metric a query monitoring rule can test, with the largest value Redshift accepts for it.
 *
 * The names and ranges are those of the "Query monitoring metrics for Amazon Redshift provisioned" table.
 * @see https://docs.aws.amazon.com/redshift/latest/dg/cm-c-wlm-query-monitoring-rules.html#cm-c-wlm-query-monitoring-metrics
 */
export class QmrMetric {
  /** CPU time used by the query, in seconds (0–999,999). */
  public static readonly QUERY_CPU_TIME = new QmrMetric('query_cpu_time', 999_999);
  /** Number of 1 MB data blocks read by the query (0–1,048,575). */
  public static readonly QUERY_BLOCKS_READ = new QmrMetric('query_blocks_read', 1_048_575);
  /** Rows emitted by scan steps before filtering (0–999,999,999,999,999). */
  public static readonly SCAN_ROW_COUNT = new QmrMetric('scan_row_count', 999_999_999_999_999);
  /** Elapsed execution time, in seconds, not counting time in a queue (0–86,399). */
  public static readonly QUERY_EXECUTION_TIME = new QmrMetric('query_execution_time', 86_399);
  /** Time spent waiting in a queue, in seconds (0–86,399). */
  public static readonly QUERY_QUEUE_TIME = new QmrMetric('query_queue_time', 86_399);
  /** Percent of CPU capacity used by the query (0–6,399). */
  public static readonly QUERY_CPU_USAGE_PERCENT = new QmrMetric('query_cpu_usage_percent', 6_399);
  /** Disk space used to write intermediate results, in 1 MB blocks (0–319,815,679). */
  public static readonly QUERY_TEMP_BLOCKS_TO_DISK = new QmrMetric('query_temp_blocks_to_disk', 319_815_679);
  /** Elapsed execution time of a single segment, in seconds (0–86,388). */
  public static readonly SEGMENT_EXECUTION_TIME = new QmrMetric('segment_execution_time', 86_388);
  /** Ratio of the maximum CPU usage of any slice to the average over all slices (0–99). */
  public static readonly CPU_SKEW = new QmrMetric('cpu_skew', 99);
  /** Ratio of the maximum blocks read by any slice to the average over all slices (0–99). */
  public static readonly IO_SKEW = new QmrMetric('io_skew', 99);
  /** Rows processed in join steps (0–999,999,999,999,999). */
  public static readonly JOIN_ROW_COUNT = new QmrMetric('join_row_count', 999_999_999_999_999);
  /** Rows in nested loop joins (0–999,999,999,999,999). */
  public static readonly NESTED_LOOP_JOIN_ROW_COUNT = new QmrMetric('nested_loop_join_row_count', 999_999_999_999_999);
  /** Rows returned by the query (0–999,999,999,999,999). */
  public static readonly RETURN_ROW_COUNT = new QmrMetric('return_row_count', 999_999_999_999_999);
  /** Data scanned by Redshift Spectrum in Amazon S3, in MB (0–999,999,999,999,999). */
  public static readonly SPECTRUM_SCAN_SIZE_MB = new QmrMetric('spectrum_scan_size_mb', 999_999_999_999_999);
  /** Rows scanned by Redshift Spectrum in Amazon S3 (0–999,999,999,999,999). */
  public static readonly SPECTRUM_SCAN_ROW_COUNT = new QmrMetric('spectrum_scan_row_count', 999_999_999_999_999);

  /**
   * A metric by name. A listed name returns its constant, with its maximum. Any other name is a metric this
   * library does not list yet: the warehouse warns (`cdk-analytics-blueprints:redshiftUnknownQmrMetric`) and
   * checks only the lower bound (0).
   * @param name the metric name as Redshift spells it, for example `query_cpu_time`
   */
  public static of(name: string): QmrMetric {
    const listed = [
      QmrMetric.QUERY_CPU_TIME, QmrMetric.QUERY_BLOCKS_READ, QmrMetric.SCAN_ROW_COUNT, QmrMetric.QUERY_EXECUTION_TIME,
      QmrMetric.QUERY_QUEUE_TIME, QmrMetric.QUERY_CPU_USAGE_PERCENT, QmrMetric.QUERY_TEMP_BLOCKS_TO_DISK,
      QmrMetric.SEGMENT_EXECUTION_TIME, QmrMetric.CPU_SKEW, QmrMetric.IO_SKEW, QmrMetric.JOIN_ROW_COUNT,
      QmrMetric.NESTED_LOOP_JOIN_ROW_COUNT, QmrMetric.RETURN_ROW_COUNT, QmrMetric.SPECTRUM_SCAN_SIZE_MB,
      QmrMetric.SPECTRUM_SCAN_ROW_COUNT,
    ].find(m => m.name === name);
    return listed ?? new QmrMetric(name, undefined);
  }

  private constructor(
    /** The metric name as Redshift spells it. */
    public readonly name: string,
    /** The largest value Redshift accepts, when known. */
    public readonly maxValue: number | undefined,
  ) {}
}

/**
 * How a query monitoring predicate compares the metric with its value.
 */
export enum QmrOperator {
  /** The metric is greater than the value. */
  GREATER_THAN = '>',
  /** The metric is less than the value. */
  LESS_THAN = '<',
  /** The metric equals the value. */
  EQUAL_TO = '=',
}

/**
 * One condition of a query monitoring rule.
 */
export interface QmrPredicate {
  /** The metric tested. */
  readonly metric: QmrMetric;
  /**
   * How the metric is compared (`operator` in Redshift's `wlm_json_configuration`; named
   * `comparisonOperator` here because `operator` is a reserved word in C#).
   * @default QmrOperator.GREATER_THAN
   */
  readonly comparisonOperator?: QmrOperator;
  /** The value compared with, in the metric's unit; a whole number between 0 and the metric's maximum. */
  readonly value: number;
}

/**
 * What WLM does when every predicate of a rule is met.
 * @see https://docs.aws.amazon.com/redshift/latest/dg/cm-c-wlm-query-monitoring-rules.html
 */
export class QmrAction {
  /** Record the query in STL_WLM_RULE_ACTION and let it run. */
  public static readonly LOG = new QmrAction('log');
  /** Move the query to the next matching queue (manual WLM only). */
  public static readonly HOP = new QmrAction('hop');
  /** Cancel the query. */
  public static readonly ABORT = new QmrAction('abort');

  /** Change the priority of the query (automatic WLM only). */
  public static changePriority(priority: WlmQueuePriority): QmrAction {
    return new QmrAction('change_query_priority', priority);
  }

  private constructor(
    /** The action as Redshift spells it in `wlm_json_configuration`. */
    public readonly name: string,
    /** The new priority, for `change_query_priority`. */
    public readonly priority?: WlmQueuePriority,
  ) {}
}

/**
 * A query monitoring rule of a WLM queue: when every predicate holds, WLM takes the action.
 * @see https://docs.aws.amazon.com/redshift/latest/dg/cm-c-wlm-query-monitoring-rules.html
 */
export interface QueryMonitoringRule {
  /**
   * Rule name, unique in the WLM configuration: up to 32 letters, digits or underscores.
   */
  readonly name: string;
  /** One to three predicates, all of which must hold. */
  readonly predicates: QmrPredicate[];
  /** What WLM does when the rule fires. */
  readonly action: QmrAction;
}
