import { Duration, Lazy, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

import { graph } from '../core/dashboard-widgets';
import { DataBucket } from '../core/data-bucket';
import { createEncryptionKey } from '../core/encryption-key';
import { allowLogsToUseKey, ensureLogsCanUseKey } from '../core/logs-key-policy';
import { AlarmDefinition, ArchitectureMonitoring, DashboardSection } from '../core/monitoring';
import { resolveRemovalPolicy, retainExceptOnCreate } from '../core/removal-policy';
import { validateAtSynth } from '../core/validation';
import { GlueCrawler } from './crawler';
import { GlueAlarmThresholds, GlueEtlPipelineProps } from './glue-etl-pipeline-props';
import { GlueJob } from './jobs/glue-job';
import { GlueJobEnvironment } from './jobs/job-options';
import { GluePythonShellJob } from './jobs/python-shell-job';
import { GlueSparkEtlJob } from './jobs/spark-etl-job';
import { GlueNetwork } from './network';
import { expireGlueScratch } from './private/lake-bucket';
import { nameByContent } from './private/security-configuration-name';
import { buildWorkflow, WorkflowNode } from './private/workflow-builder';

/**
 * A Glue ETL pipeline running inside a VPC: a Data Catalog database, crawlers over the lake,
 * PySpark and Python shell jobs with their own least-privilege roles, all reaching AWS services
 * through a Glue NETWORK connection; a security configuration encrypting S3 output, logs and
 * bookmarks; an optional workflow; failure notifications, alarms and a dashboard.
 *
 * @example
 * new GlueEtlPipeline(this, 'Etl', {
 *   crawlers: { Curated: { paths: ['curated/events/'] } },
 *   sparkEtlJobs: {
 *     RawToParquet: { script: glue.Code.fromAsset('scripts/raw_to_parquet.py'), readPrefixes: ['raw/'], writePrefixes: ['curated/'] },
 *   },
 *   workflow: { start: GlueWorkflowStart.schedule(glue.TriggerSchedule.daily()), run: ['RawToParquet'],
 *     then: [{ after: ['RawToParquet'], run: ['Curated'] }] },
 * });
 */
export class GlueEtlPipeline extends Construct implements ec2.IConnectable {
  /** The lake bucket. */
  public readonly bucket: s3.IBucket;
  /** The key of the security configuration and notifications. */
  public readonly encryptionKey: kms.IKey;
  /** The Data Catalog database. */
  public readonly database: glue.IDatabase;
  /** The VPC, security group, endpoints and NETWORK connection. */
  public readonly network: GlueNetwork;
  /** The VPC the jobs and crawlers run in. */
  public readonly vpc: ec2.IVpc;
  /** The security group of the jobs' network interfaces (of the Glue connection). */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The network connections of the job workers: allow them to reach a database with `connections.allowTo…`. */
  public readonly connections: ec2.Connections;
  /** The security configuration every job and crawler uses. */
  public readonly securityConfiguration: glue.SecurityConfiguration;
  /** What jobs added outside the pipeline (`new GlueSparkEtlJob(...)`) need to run like the pipeline's own. */
  public readonly jobEnvironment: GlueJobEnvironment;
  /** The crawlers, by name. */
  public readonly crawlers: { [name: string]: GlueCrawler } = {};
  /** The PySpark ETL jobs, by name. */
  public readonly sparkEtlJobs: { [name: string]: GlueSparkEtlJob } = {};
  /** The Python shell jobs, by name. */
  public readonly pythonShellJobs: { [name: string]: GluePythonShellJob } = {};
  /** The workflow, when one was described. */
  public readonly workflow?: glue.Workflow;
  /** The topic of failure notifications (and default alarm topic). */
  public readonly notificationTopic: sns.ITopic;
  /** The alarms and dashboard. */
  public readonly monitoring: ArchitectureMonitoring;

  constructor(scope: Construct, id: string, props: GlueEtlPipelineProps = {}) {
    super(scope, id);
    const removalPolicy = resolveRemovalPolicy(this, props.removalPolicy);
    // The key and database the pipeline creates are deleted again if the deploy that created them rolls back: the
    // database's name is fixed (databaseName, or generated from the construct path), so a retained one would make
    // the retry fail with "already exists". See retainExceptOnCreate.
    const stateful = retainExceptOnCreate(removalPolicy);

    validateAtSynth(this, v => {
      // Athena reads Data Catalog names in lowercase letters, digits and underscores only; Glue itself
      // allows up to 255 characters.
      // https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html
      v.matches('databaseName', props.databaseName, /^[a-z0-9_]{1,255}$/, 'lowercase letters, digits and underscores (1-255 characters)');
      v.exclusive('databaseName', props.databaseName !== undefined, 'database', props.database !== undefined);
      const names = [
        ...Object.keys(props.crawlers ?? {}), ...Object.keys(props.sparkEtlJobs ?? {}), ...Object.keys(props.pythonShellJobs ?? {}),
      ];
      const seen = new Set<string>();
      for (const name of names) {
        v.check(!seen.has(name), 'crawlers/sparkEtlJobs/pythonShellJobs', name, 'must use each name once: the workflow refers to them by name');
        seen.add(name);
      }
      // Heap usage is a fraction of the heap (0-1, not a percentage); an alarm at 0 (GreaterThanOrEqualToThreshold)
      // is always in ALARM, and so is a failed-task count under 1.
      const heap = props.alarmThresholds?.driverHeapUsage;
      v.inRange('alarmThresholds.driverHeapUsage', heap, 0, 1);
      if (heap !== undefined && !Token.isUnresolved(heap)) {
        v.check(heap !== 0, 'alarmThresholds.driverHeapUsage', heap, 'must be greater than 0: the alarm would always be in ALARM');
      }
      v.wholeNumber('alarmThresholds.failedTasks', props.alarmThresholds?.failedTasks, 1);
    });

    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'Key', `Encrypts the Glue logs, job bookmarks and notifications of ${this.node.path}`, stateful);
    // Glue creates the job and crawler log groups (/aws-glue/...) at run time and has CloudWatch Logs encrypt them
    // with this key: the key policy of a key of this app gets the statement; an imported key's cannot be changed, so
    // synth warns, naming those log groups (a reference by name, no resource).
    if (!allowLogsToUseKey(this.encryptionKey)) {
      ensureLogsCanUseKey(this, this.encryptionKey, logs.LogGroup.fromLogGroupName(this, 'GlueRunLogs', '/aws-glue/*'));
    }

    this.bucket = props.bucket ?? new DataBucket(this, 'Lake', { eventBridgeEnabled: true, removalPolicy: props.removalPolicy }).bucket;
    expireGlueScratch(this, this.bucket);

    this.database = props.database ?? new glue.Database(this, 'Database', {
      databaseName: props.databaseName,
      description: `Data Catalog of ${this.node.path}`,
      removalPolicy: stateful,
    });

    this.network = new GlueNetwork(this, 'Network', {
      encryptionKey: this.encryptionKey,
      removalPolicy,
      network: props.network,
      ...props.connection,
    });
    this.vpc = this.network.vpc;
    this.securityGroup = this.network.securityGroup;
    this.connections = this.network.connections;

    this.securityConfiguration = new glue.SecurityConfiguration(this, 'SecurityConfiguration', {
      // Named by its content: any change of its encryption replaces it, which CloudFormation refuses under the same name.
      securityConfigurationName: Lazy.string({ produce: () => nameByContent(this.securityConfiguration) }),
      s3Encryption: glue.S3Encryption.kms(this.bucket.encryptionKey ?? this.encryptionKey),
      cloudWatchEncryption: glue.CloudWatchEncryption.kms(this.encryptionKey),
      jobBookmarksEncryption: glue.JobBookmarksEncryption.clientSideKms(this.encryptionKey),
      // A security configuration holds no data, and its name is fixed for a given content: retaining it would make
      // a redeploy of the same stack after `cdk destroy` fail with "already exists".
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.jobEnvironment = {
      bucket: this.bucket,
      connection: this.network.connection,
      securityConfiguration: this.securityConfiguration,
      encryptionKey: this.encryptionKey,
      database: this.database,
    };

    const nodes = new Map<string, WorkflowNode>();
    // A name used twice is reported by validation; only its first use is built.
    const fresh = (name: string) => !nodes.has(name);
    for (const [name, options] of Object.entries(props.crawlers ?? {})) {
      const crawler = new GlueCrawler(this, name, {
        ...options,
        bucket: this.bucket,
        database: this.database,
        connection: this.network.connection,
        securityConfiguration: this.securityConfiguration,
        encryptionKey: this.encryptionKey,
      });
      this.crawlers[name] = crawler;
      nodes.set(name, { kind: 'crawler', crawler: crawler.crawler });
    }
    for (const [name, options] of Object.entries(props.sparkEtlJobs ?? {}).filter(([n]) => fresh(n))) {
      const job = new GlueSparkEtlJob(this, name, { ...options, environment: this.jobEnvironment });
      this.sparkEtlJobs[name] = job;
      nodes.set(name, { kind: 'job', job: job.job });
    }
    for (const [name, options] of Object.entries(props.pythonShellJobs ?? {}).filter(([n]) => fresh(n))) {
      const job = new GluePythonShellJob(this, name, { ...options, environment: this.jobEnvironment });
      this.pythonShellJobs[name] = job;
      nodes.set(name, { kind: 'job', job: job.job });
    }

    if (props.workflow) {
      this.workflow = buildWorkflow(this, props.workflow, nodes, this.bucket).workflow;
    }

    this.notificationTopic = props.notificationTopic ?? this.createTopic();
    if (props.failureNotificationsEnabled ?? true) {
      this.createFailureRules();
    }

    this.monitoring = new ArchitectureMonitoring(this, 'Monitoring', {
      title: `Glue ETL pipeline ${this.node.path}`,
      alarmsEnabled: props.alarmsEnabled,
      // With alarm actions switched off, the failure topic is not an alarm topic; a given alarmTopic is still refused.
      alarmTopic: props.alarmActionsEnabled === false ? props.alarmTopic : props.alarmTopic ?? this.notificationTopic,
      alarmActionsEnabled: props.alarmActionsEnabled,
      dashboardEnabled: props.dashboardEnabled,
      dashboardName: props.dashboardName,
      alarms: this.alarmDefinitions(props.alarmThresholds ?? {}),
      sections: this.dashboardSections(),
    });
  }

  /**
   * Lets `grantee` start the workflow and follow its runs: `glue:StartWorkflowRun`, `glue:GetWorkflowRun` and
   * `glue:GetWorkflowRuns` on the workflow's ARN, exact actions. The workflow's jobs and crawlers run with their own
   * roles, so the grantee needs nothing else. Reported at synth when the pipeline has no `workflow`.
   * @see https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html
   */
  public grantStartWorkflow(grantee: iam.IGrantable): iam.Grant {
    const workflow = this.workflow;
    if (!workflow) {
      validateAtSynth(this, v => v.fail('grantStartWorkflow', undefined, 'needs a workflow: set the workflow prop of the pipeline'));
      return iam.Grant.drop(grantee, 'start the workflow of a pipeline that has none');
    }
    return iam.Grant.addToPrincipal({
      grantee, actions: ['glue:GetWorkflowRun', 'glue:GetWorkflowRuns', 'glue:StartWorkflowRun'], resourceArns: [workflow.workflowArn],
    });
  }

  /** Failed runs of every job of the pipeline, summed. */
  public metricJobFailures(props?: cloudwatch.MathExpressionOptions): cloudwatch.IMetric {
    const jobs = this.allJobs();
    if (jobs.length === 0) {
      return new cloudwatch.MathExpression({ expression: '0', usingMetrics: {}, ...props });
    }
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    jobs.forEach(([, job], i) => { usingMetrics[`f${i}`] = job.metricFailure({ period: props?.period }); });
    return new cloudwatch.MathExpression({
      expression: Object.keys(usingMetrics).join(' + '),
      usingMetrics,
      label: 'Failed job runs',
      ...props,
    });
  }

  private allJobs(): Array<[string, GlueJob]> {
    return [...Object.entries(this.sparkEtlJobs), ...Object.entries(this.pythonShellJobs)];
  }

  private createTopic(): sns.Topic {
    const topic = new sns.Topic(this, 'Notifications', {
      displayName: `Glue ETL failures of ${this.node.path}`,
      masterKey: this.encryptionKey,
      enforceSSL: true,
    });
    // EventBridge and CloudWatch alarms publish to the encrypted topic: they need the key. The statement
    // is the one the SNS documentation gives, without conditions: it is not documented that these
    // services send aws:SourceAccount to KMS, and a condition they do not meet would drop every
    // notification silently.
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowEventBridgeAndCloudWatchToPublishEncrypted',
      principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }));
    return topic;
  }

  private createFailureRules(): void {
    const jobNames = this.allJobs().map(([, job]) => job.jobName);
    const crawlerNames = Object.values(this.crawlers).map(c => c.crawlerName);
    const target = new targets.SnsTopic(this.notificationTopic);
    // Glue emits "Glue Job State Change" with state FAILED, TIMEOUT (and ERROR for runs that could not
    // start), and "Glue Crawler State Change" with state Failed.
    // https://docs.aws.amazon.com/glue/latest/dg/automating-awsglue-with-cloudwatch-events.html
    if (jobNames.length > 0) {
      new events.Rule(this, 'JobFailureRule', {
        description: `Job runs of ${this.node.path} that failed, timed out or errored`,
        eventPattern: { source: ['aws.glue'], detailType: ['Glue Job State Change'], detail: { jobName: jobNames, state: ['FAILED', 'TIMEOUT', 'ERROR'] } },
        targets: [target],
      });
    }
    if (crawlerNames.length > 0) {
      new events.Rule(this, 'CrawlerFailureRule', {
        description: `Crawls of ${this.node.path} that failed`,
        eventPattern: { source: ['aws.glue'], detailType: ['Glue Crawler State Change'], detail: { crawlerName: crawlerNames, state: ['Failed'] } },
        targets: [target],
      });
    }
  }

  private alarmDefinitions(thresholds: GlueAlarmThresholds): AlarmDefinition[] {
    const period = Duration.minutes(5);
    const alarms: AlarmDefinition[] = [];
    for (const [name, job] of this.allJobs()) {
      alarms.push({
        id: `${name}Failures`,
        metric: job.metricFailure({ period }),
        threshold: 1,
        description: `A run of the Glue job ${name} failed: read its error in the Glue console (Runs tab) or in /aws-glue logs.`,
      }, {
        id: `${name}Timeouts`,
        metric: job.metricTimeout({ period }),
        threshold: 1,
        description: `A run of the Glue job ${name} hit its timeout: check for skewed input or raise capacity/timeout.`,
      });
    }
    for (const [name, job] of Object.entries(this.sparkEtlJobs)) {
      if (!job.metricsEnabled) continue;
      alarms.push({
        id: `${name}FailedTasks`,
        metric: job.metricFailedTasks({ period }),
        threshold: thresholds.failedTasks ?? 1,
        description: `Spark tasks of ${name} failed: look for lost executors or malformed records before the job itself fails.`,
      }, {
        id: `${name}DriverHeap`,
        metric: job.metricDriverHeapUsage({ period }),
        threshold: thresholds.driverHeapUsage ?? 0.9,
        description: `The Spark driver of ${name} is close to running out of memory: avoid collect() and coalesce small files, or use a larger worker type.`,
      });
    }
    return alarms;
  }

  private dashboardSections(): DashboardSection[] {
    const sections: DashboardSection[] = [];
    const jobs = this.allJobs();
    if (jobs.length > 0) {
      sections.push({
        title: 'Job runs',
        widgets: [
          graph('Failed runs', jobs.map(([name, job]) => job.metricFailure({ label: name }))),
          graph('Timed-out runs', jobs.map(([name, job]) => job.metricTimeout({ label: name }))),
        ],
      });
    }
    for (const [name, job] of Object.entries(this.sparkEtlJobs)) {
      if (!job.metricsEnabled) continue;
      sections.push({
        title: `Spark job ${name}`,
        widgets: [
          graph('Tasks', [job.metricCompletedTasks({ label: 'completed' })], [job.metricFailedTasks({ label: 'failed' })]),
          graph('Driver heap usage and elapsed time', [job.metricDriverHeapUsage({ label: 'heap (0-1)' })],
            [job.metricElapsedTime({ label: 'elapsed (ms)' })]),
          graph('S3 bytes', [job.metricS3BytesRead({ label: 'read' }), job.metricS3BytesWritten({ label: 'written' })]),
        ],
      });
    }
    return sections;
  }
}
