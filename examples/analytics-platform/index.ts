/**
 * The composed analytics platform: the five architectures of cdk-analytics-blueprints in one stack,
 * sharing one VPC, two KMS keys, one lake bucket, one Glue Data Catalog database and one alarm topic.
 *
 * ```
 * producers ─▶ Kinesis ─▶ Firehose ─Parquet─▶ s3://lake/clicks/  (table analytics_platform.clicks, projected partitions)
 *                                                  │
 *   Glue workflow (daily, in the VPC): crawler registers clicks partitions ─▶ Spark job ─▶ s3://lake/curated/
 *                                      ─▶ crawler ─▶ analytics_platform.curated_daily_clicks
 *                                                  │
 *         EMR (Spark/Hive/Trino on the Glue catalog) and Redshift Spectrum (external schema lake) read analytics_platform.* from the same bucket
 *         Athena (workgroup, results under s3://lake/athena-results/) queries them; Step Functions reruns the crawl and job on demand
 *
 * applications ─▶ Firehose ─▶ OpenSearch (VPC domain, logs-* indexes; failed documents to s3://lake/failed/)
 *
 * every alarm, Glue failure event ─▶ one SNS topic (KMS-encrypted)
 * ```
 *
 * BEFORE `cdk deploy`, change:
 * - the account and region: `bin/app.ts` passes `env` (CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION, or
 *   BLUEPRINTS_ACCOUNT / BLUEPRINTS_REGION); nothing is looked up, so also check `availabilityZones`
 *   (default `<region>a/b/c`) against your account's AZ names;
 * - `alarmEmail`, or subscribe your own endpoint to the `AlarmTopic` output;
 * - the sizes, which are production-shaped and cost money every hour (see docs/analytics-platform.md): EMR nodes,
 *   Redshift nodes, OpenSearch data and master nodes, NAT gateways;
 * - `removalPolicy` stays RETAIN for the lake, keys, warehouse and domain: `cdk destroy` keeps them, and the
 *   VPC and private subnets they sit in.
 */
import { ArnFormat, CfnOutput, CfnResource, Duration, RemovalPolicy, Size, Stack, StackProps, Tags, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import {
  AlarmTopic, AnalyticsNetwork, AthenaQueryTable, AthenaWorkgroup, DataBucket, EmrApplication, EmrCapacity, EmrCluster, EmrDataLocation,
  GlueCrawlerRecrawlBehavior, GlueEtlPipeline, GlueEtlStart, GlueEtlStateMachine, GlueEtlStep, GlueSparkCapacity, GlueSparkWorkerType,
  GlueWorkflowStart, KeyGrantPolicy, OpenSearchCluster, OpenSearchFirehoseIngestion, RedshiftNodeType, RedshiftSpectrumSchema,
  RedshiftWarehouse, S3EndpointAccess, SecureVpc, StreamingDataLake, StreamingDataLakeSchema,
} from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';
import * as path from 'path';

/** Props of `AnalyticsPlatformStack`. */
export interface AnalyticsPlatformStackProps extends StackProps {
  /**
   * The three Availability Zones of the shared VPC (OpenSearch spreads over three).
   * @default - `<region>a`, `<region>b`, `<region>c`
   */
  readonly availabilityZones?: string[];
  /**
   * Email address subscribed to the alarm topic (confirm the subscription email after deploy).
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /**
   * Name of the Glue Data Catalog database every architecture shares.
   * @default 'analytics_platform'
   */
  readonly databaseName?: string;
}

/** Every architecture of the library, wired together. */
export class AnalyticsPlatformStack extends Stack {
  /** Encrypts data at rest: the lake, EMR volumes and local disks, the warehouse, the search domain. */
  public readonly dataKey: kms.Key;
  /** Encrypts the operational plane: the stream, log groups, Glue bookmarks, the alarm topic. */
  public readonly opsKey: kms.Key;
  public readonly vpc: ec2.Vpc;
  public readonly alarmTopic: sns.ITopic;
  public readonly lake: DataBucket;
  public readonly database: glue.Database;
  public readonly streaming: StreamingDataLake;
  public readonly etl: GlueEtlPipeline;
  public readonly emr: EmrCluster;
  public readonly warehouse: RedshiftWarehouse;
  /** The Athena workgroup over the lake's tables. */
  public readonly queries: AthenaWorkgroup;
  /** The on-demand Step Functions run of the Glue crawl and job. */
  public readonly backfill: GlueEtlStateMachine;
  /** The Spectrum schema `lake` of the warehouse, on the shared catalog database. */
  public readonly lakeSchema: RedshiftSpectrumSchema;
  public readonly search: OpenSearchCluster;
  public readonly logIngestion: OpenSearchFirehoseIngestion;
  private readonly zones: string[];

  constructor(scope: Construct, id: string, props: AnalyticsPlatformStackProps = {}) {
    super(scope, id, props);
    if (Token.isUnresolved(this.region) && !props.availabilityZones) {
      throw new Error(`${this.node.path}: give the stack an env with a region, or pass availabilityZones`);
    }
    this.zones = props.availabilityZones ?? ['a', 'b', 'c'].map(z => `${this.region}${z}`);
    const databaseName = props.databaseName ?? 'analytics_platform';

    // --- Two shared keys: one for data at rest (lake, EMR disks, warehouse, search domain), one for the
    // operational plane (stream, logs, Glue bookmarks, alarm topic). Each construct adds the key-policy
    // statements its service principals need.
    const dataKey = this.dataKey = new kms.Key(this, 'DataKey', {
      description: 'Encrypts the lake, the EMR volumes, the Redshift warehouse and the OpenSearch domain',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const opsKey = this.opsKey = new kms.Key(this, 'OpsKey', {
      description: 'Encrypts the Kinesis stream, log groups, Glue bookmarks and the alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Direct grants on either key only for AWS resources (AWS Control Tower control CT.KMS.PR.3).
    KeyGrantPolicy.limitToAwsServices(dataKey);
    KeyGrantPolicy.limitToAwsServices(opsKey);

    // --- One alarm topic for every architecture, and Glue's failure events, encrypted with opsKey. AlarmTopic
    // adds to the topic and key policies what CloudWatch alarms and EventBridge rules of this account need.
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', { displayName: 'Analytics platform alarms', encryptionKey: opsKey }).topic;
    if (props.alarmEmail) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    // --- One VPC: small public subnets that hold only the NAT gateway, private subnets with egress for
    // Glue, EMR, Redshift and OpenSearch (/20: Glue gives every worker an IP address, EMR every node), an
    // S3 gateway endpoint (S3 traffic skips the NAT's per-GB charge), flow logs encrypted with opsKey.
    // CloudWatch Logs encrypts the flow-log group with opsKey only if the key policy lets it.
    opsKey.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`, {
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': this.formatArn({
            service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }));
    const network = new SecureVpc(this, 'Network', {
      purpose: 'the analytics platform',
      availabilityZones: this.zones,
      cidr: '10.50.0.0/16',
      natGateways: 1,
      subnetName: 'Private',
      subnetCidrMask: 20,
      flowLogEncryptionKey: opsKey,
      // The S3 endpoint admits this account's buckets; the EMR nodes also need the AWS-owned repositories.
      s3EndpointPolicyStatements: S3EndpointAccess.emrClusters(this),
    });
    this.vpc = network.vpc;
    // AmazonEMRServicePolicy_v2 lets EMR launch only into subnets carrying this tag.
    // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-policies.html#manually-tagged-resources
    for (const subnet of this.vpc.privateSubnets) {
      Tags.of(subnet).add('for-use-with-amazon-emr-managed-policies', 'true');
    }
    // The warehouse and the domain are kept on `cdk destroy`, and CloudFormation cannot delete a subnet (or
    // its VPC) that their network interfaces still use: keep those too, so that the destroy completes.
    for (const kept of [this.vpc, ...this.vpc.privateSubnets]) {
      (kept.node.defaultChild as CfnResource).applyRemovalPolicy(RemovalPolicy.RETAIN);
    }

    // --- One lake bucket and one catalog database.
    this.lake = new DataBucket(this, 'Lake', {
      encryptionKey: dataKey,
      lifecycle: { infrequentAccessAfter: Duration.days(90) },
    });
    this.database = new glue.Database(this, 'Database', {
      databaseName,
      description: 'The analytics platform: streamed clicks and the curated zone',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // --- Streaming: clicks land as Parquet under clicks/, partitioned by event type and hour.
    this.streaming = new StreamingDataLake(this, 'Clickstream', {
      schema: StreamingDataLakeSchema.fromColumns([
        { name: 'user_id', type: glue.Schema.STRING },
        { name: 'session_id', type: glue.Schema.STRING },
        { name: 'page', type: glue.Schema.STRING },
        { name: 'duration_ms', type: glue.Schema.BIG_INT },
        { name: 'event_time', type: glue.Schema.TIMESTAMP },
      ], { database: this.database, tableName: 'clicks' }),
      bucket: this.lake.bucket,
      encryptionKey: opsKey,
      dataPrefix: 'clicks/',
      errorPrefix: 'errors/clicks/',
      partitionKeys: [{ name: 'event_type', query: '.event_type' }],
      retentionPeriod: Duration.days(7),
      alarmTopic: this.alarmTopic,
    });

    // --- Glue, in the shared VPC: a daily workflow registers the new clicks partitions, aggregates yesterday's
    // clicks into curated/, and catalogs the curated zone, all in the shared database.
    this.etl = new GlueEtlPipeline(this, 'Etl', {
      bucket: this.lake.bucket,
      database: this.database,
      encryptionKey: opsKey,
      network: AnalyticsNetwork.fromVpc(this.vpc),
      connection: {
        // The private subnets reach Glue, CloudWatch and KMS through the NAT gateway and S3 through the
        // VPC's gateway endpoint; set both to true in a VPC without NAT.
        s3GatewayEndpoint: false,
        interfaceEndpoints: false,
      },
      sparkEtlJobs: {
        DailyClicks: {
          description: 'Yesterday\'s clicks, aggregated per event type and page',
          script: glue.Code.fromAsset(path.join(__dirname, 'scripts', 'events_to_curated.py')),
          capacity: GlueSparkCapacity.workers(GlueSparkWorkerType.G_1X, 2),
          executionClass: glue.ExecutionClass.FLEX,
          readPrefixes: ['clicks/'],
          writePrefixes: ['curated/daily_clicks/'],
          arguments: { '--source_table': 'clicks', '--output_prefix': 'curated/daily_clicks/' },
        },
      },
      crawlers: {
        // Registers the new hourly partitions of the streamed `clicks` table. Athena projects them, but Glue
        // jobs, EMR and Redshift Spectrum read only partitions registered in the catalog. A crawler names the
        // table after the include path's folder (`clicks`, the existing table); with the LOG schema-change
        // policy it leaves the table's schema alone and adds new partitions, which inherit the table's schema.
        // https://docs.aws.amazon.com/glue/latest/dg/crawler-s3-folder-table-partition.html
        // https://docs.aws.amazon.com/glue/latest/dg/crawler-schema-changes-prevent.html
        ClicksCrawler: {
          paths: ['clicks/'],
          recrawlBehavior: GlueCrawlerRecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY,
        },
        // Catalogs the curated zone as curated_<folder> tables.
        CuratedCrawler: {
          paths: ['curated/'],
          tablePrefix: 'curated_',
          recrawlBehavior: GlueCrawlerRecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY,
        },
      },
      workflow: {
        start: GlueWorkflowStart.schedule(glue.TriggerSchedule.cron({ minute: '30', hour: '1' })),
        run: ['ClicksCrawler'],
        then: [
          { after: ['ClicksCrawler'], run: ['DailyClicks'] },
          { after: ['DailyClicks'], run: ['CuratedCrawler'] },
        ],
      },
      notificationTopic: this.alarmTopic,
      alarmTopic: this.alarmTopic,
    });

    // --- EMR: Spark, Hive and Trino on the same Glue catalog database and lake bucket.
    this.emr = new EmrCluster(this, 'Emr', {
      applications: [EmrApplication.HADOOP, EmrApplication.SPARK, EmrApplication.HIVE, EmrApplication.TRINO],
      glueDatabases: [this.database],
      dataLocations: [EmrDataLocation.read(this.lake.bucket, 'clicks/'), EmrDataLocation.readWriteDelete(this.lake.bucket, 'curated/')],
      logBucket: this.lake.bucket,
      logPrefix: 'logs/emr/',
      network: AnalyticsNetwork.fromVpc(this.vpc),
      encryptionKey: dataKey,
      capacity: EmrCapacity.instanceGroups({
        primary: { instanceType: new ec2.InstanceType('m7g.xlarge') },
        core: { instanceType: new ec2.InstanceType('r7g.xlarge'), instanceCount: 2 },
      }),
      idleTimeout: Duration.hours(1),
      alarmTopic: this.alarmTopic,
    });

    // --- Redshift: Spectrum reads the same database's tables from the same bucket.
    this.warehouse = new RedshiftWarehouse(this, 'Warehouse', {
      network: AnalyticsNetwork.fromVpc(this.vpc),
      encryptionKey: dataKey,
      nodeType: RedshiftNodeType.RA3_XLPLUS,
      numberOfNodes: 2,
      spectrum: { lakeBuckets: [this.lake.bucket], glueDatabases: [this.database] },
      alarmTopic: this.alarmTopic,
    });
    // The external schema `lake` over the shared catalog database, created through the Redshift Data API once the
    // cluster and the database exist: `SELECT * FROM lake.clicks` works right after deploy, no hand-run SQL.
    this.lakeSchema = this.warehouse.addExternalSchema('LakeSchema', { schemaName: 'lake', glueDatabase: this.database });

    // --- OpenSearch: application logs arrive through Firehose into daily logs-YYYY-MM-DD indexes.
    this.search = new OpenSearchCluster(this, 'Search', {
      network: AnalyticsNetwork.fromVpc(this.vpc),
      encryptionKey: dataKey,
      dataNodes: 3,
      volumeSize: Size.gibibytes(100),
      indexLifecycles: [{ policyId: 'logs-delete-after-30-days', indexPatterns: ['logs-*'], deleteAfter: Duration.days(30) }],
      alarmTopic: this.alarmTopic,
    });
    this.logIngestion = new OpenSearchFirehoseIngestion(this, 'LogIngestion', {
      cluster: this.search,
      indexName: 'logs',
      backupBucket: this.lake.bucket,
      alarmTopic: this.alarmTopic,
    });

    // --- Athena over the lake: ad-hoc SQL on the streamed clicks, results under athena-results/ in the lake
    // (encrypted with its key, expired after 30 days), a 100 GiB cutoff per query, and a saved sample query.
    this.queries = new AthenaWorkgroup(this, 'Queries', {
      resultsBucket: this.lake.bucket,
      tables: [AthenaQueryTable.fromStreamingDataLake(this.streaming)],
      alarmTopic: this.alarmTopic,
    });

    // --- Step Functions: the workflow's crawl and job again, on demand, for backfills and reruns outside the
    // daily schedule (start an execution from the console or the CLI); retries and one notification on failure.
    this.backfill = new GlueEtlStateMachine(this, 'Backfill', {
      steps: GlueEtlStep.fromPipeline(this.etl, ['ClicksCrawler', 'DailyClicks']),
      start: GlueEtlStart.onDemand(),
      encryptionKey: opsKey,
      alarmTopic: this.alarmTopic,
      timeout: Duration.hours(4),
    });

    // --- What producers attach to their roles: put clicks on the stream, put log documents to Firehose.
    const producerPolicy = new iam.ManagedPolicy(this, 'ProducerPolicy', {
      description: 'Attach to application roles: put click events on the stream and log documents to OpenSearch ingestion',
      statements: [
        new iam.PolicyStatement({
          sid: 'PutClicks',
          actions: ['kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:ListShards', 'kinesis:DescribeStreamSummary'],
          resources: [this.streaming.stream.streamArn],
        }),
        new iam.PolicyStatement({ sid: 'EncryptClicks', actions: ['kms:GenerateDataKey'], resources: [opsKey.keyArn] }),
        new iam.PolicyStatement({
          sid: 'PutLogs',
          actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
          resources: [this.logIngestion.deliveryStream.attrArn],
        }),
      ],
    });

    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn, description: 'Subscribe operators here' });
    new CfnOutput(this, 'LakeBucketName', { value: this.lake.bucket.bucketName });
    new CfnOutput(this, 'ClickStreamName', { value: this.streaming.stream.streamName });
    new CfnOutput(this, 'LogDeliveryStreamName', { value: this.logIngestion.deliveryStream.ref });
    new CfnOutput(this, 'ProducerPolicyArn', { value: producerPolicy.managedPolicyArn });
    new CfnOutput(this, 'SpectrumRoleArn', {
      value: this.warehouse.spectrumRole!.roleArn,
      description: `The role of the external schema ${this.lakeSchema.schemaName} (on ${databaseName}), which the stack creates`,
    });
  }

  /**
   * Fixed AZs instead of a context lookup: ec2.Vpc checks its zones against the stack's, which in a
   * stack with an explicit account and region is otherwise an AWS call at synth (the CDK-documented override).
   */
  public override get availabilityZones(): string[] {
    return this.zones;
  }
}
