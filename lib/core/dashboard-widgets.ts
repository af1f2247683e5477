import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * A graph of the given metrics, half the dashboard wide: the widget every section is made of.
 */
export function graph(title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left, right, width: 12, height: 6 });
}
