import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * Athena publishes its query metrics (with `PublishCloudWatchMetricsEnabled`) to `AWS/Athena`, one data point per
 * query, with the dimensions `WorkGroup`, `QueryState` (`SUCCEEDED`, `FAILED`, `CANCELED`) and `QueryType` (`DML`,
 * `DDL`, `UTILITY`). A CloudWatch alarm matches a metric by its exact dimension set, so a per-workgroup figure is the
 * sum of the metric over the states and types it covers, as metric math. `ProcessedBytes` is reported for DML
 * queries only (a cancelled query counts what it scanned before the cancel).
 * @see https://docs.aws.amazon.com/athena/latest/ug/query-metrics-viewing.html
 */
export const QUERY_STATES = ['SUCCEEDED', 'FAILED', 'CANCELED'];
/** The query types Athena reports. */
export const QUERY_TYPES = ['DML', 'DDL', 'UTILITY'];

/** The sum of `metricName` over the given states and types of one workgroup, as one metric math expression. */
export function workgroupMetric(workGroupName: string, metricName: string, statistic: string, states: string[], types: string[],
  label: string, props: cloudwatch.MathExpressionOptions = {}): cloudwatch.MathExpression {
  const period = props.period ?? Duration.minutes(5);
  const usingMetrics: Record<string, cloudwatch.IMetric> = {};
  for (const state of states) {
    for (const type of types) {
      // Ids name the metric, so that expressions sharing a graph agree on them.
      usingMetrics[`${metricName}_${state}_${type}`.toLowerCase()] = new cloudwatch.Metric({
        namespace: 'AWS/Athena',
        metricName,
        dimensionsMap: { WorkGroup: workGroupName, QueryState: state, QueryType: type },
        statistic,
        period,
      });
    }
  }
  // FILL(…, 0): a state or type with no query in a period has no data point, which would make the sum missing.
  const expression = Object.keys(usingMetrics).map(id => `FILL(${id}, 0)`).join(' + ');
  return new cloudwatch.MathExpression({ expression, usingMetrics, label, ...props, period });
}
