import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FlinkApplication, FlinkApplicationCode, FlinkInput, StreamingDataLake, StreamingDataLakeSchema } from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';

/**
 * The FlinkApplication snippet of docs/flink.md, as a stack that compiles and synthesizes (`npm run docs:snippets`
 * writes the code between the README markers into the page; test/flink/readme.test.ts checks it is there).
 * examples/flink-analytics is the fuller stack (the counts land in a second lake, the JAR's location comes from context).
 */
export class FlinkQuickstartStack extends Stack {
  public readonly aggregation: FlinkApplication;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    // README:start
    const clicks = new StreamingDataLake(this, 'Clicks', {
      schema: StreamingDataLakeSchema.fromColumns([
        { name: 'user_id', type: glue.Schema.STRING },
        { name: 'page', type: glue.Schema.STRING },
        { name: 'event_time', type: glue.Schema.TIMESTAMP },
      ], { tableName: 'clicks' }),
    });
    const pageCounts = new StreamingDataLake(this, 'PageCounts', {
      schema: StreamingDataLakeSchema.fromColumns([
        { name: 'page', type: glue.Schema.STRING },
        { name: 'window_start', type: glue.Schema.TIMESTAMP },
        { name: 'views', type: glue.Schema.BIG_INT },
      ], { tableName: 'page_counts' }),
    });
    const aggregation = new FlinkApplication(this, 'Aggregation', {
      // Your JAR, built and uploaded by your CI; or FlinkApplicationCode.fromAsset('target/app.jar')
      code: FlinkApplicationCode.fromBucket(s3.Bucket.fromBucketName(this, 'CodeBucket', 'my-flink-artifacts'), 'clickstream-aggregation.jar'),
      input: FlinkInput.fromStreamingDataLake(clicks),
      parallelism: 2,
      checkpointInterval: Duration.seconds(30),
      propertyGroups: [
        { id: 'InputStream', properties: { 'stream.arn': clicks.stream.streamArn, 'aws.region': this.region } },
        { id: 'OutputStream', properties: { 'stream.arn': pageCounts.stream.streamArn, 'aws.region': this.region } },
        { id: 'Aggregation', properties: { 'window.seconds': '60' } },
      ],
    });
    // The Flink Kinesis sink puts the counts on the PageCounts stream, encrypting them with its key through Kinesis.
    pageCounts.grantWrite(aggregation);
    // README:end
    this.aggregation = aggregation;
  }
}
