import { Stack, StackProps } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { AnalyticsNetwork, GlueEtlPipeline, GlueWorkflowStart } from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';
import * as path from 'path';

/**
 * The Glue ETL snippet of docs/glue-etl.md, as a stack that compiles and synthesizes (`npm run docs:snippets` writes
 * the code between the README markers, and the script next to it, into the page; test/glue-etl/readme.test.ts checks).
 */
export class GlueQuickstartStack extends Stack {
  public readonly etl: GlueEtlPipeline;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    // README:start
    // scripts/raw_to_parquet.py sits next to this file (its content is just below).
    const etl = new GlueEtlPipeline(this, 'Etl', {
      databaseName: 'analytics_lake',
      network: AnalyticsNetwork.newVpc({ availabilityZones: ['us-east-1a', 'us-east-1b'] }),
      sparkEtlJobs: {
        RawToParquet: {
          script: glue.Code.fromAsset(path.join(__dirname, 'scripts', 'raw_to_parquet.py')),
          readPrefixes: ['raw/'], writePrefixes: ['curated/events/'], executionClass: glue.ExecutionClass.FLEX,
        },
      },
      crawlers: { Curated: { paths: ['curated/events/'], tablePrefix: 'curated_' } },
      workflow: { start: GlueWorkflowStart.s3ObjectCreated({ prefix: 'raw/', batchSize: 100 }), run: ['RawToParquet'],
        then: [{ after: ['RawToParquet'], run: ['Curated'] }] },
    });
    // README:end
    this.etl = etl;
  }
}
