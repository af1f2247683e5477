import { ArnFormat, Duration, Size, SizeRoundingBehavior, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

import { graph } from '../core/dashboard-widgets';
import { DataBucket } from '../core/data-bucket';
import { ManagedPolicyRole } from '../core/managed-policy-role';
import { ArchitectureMonitoring, MonitoringOptions } from '../core/monitoring';
import { acknowledgeWildcards } from '../core/nag';
import { validateAtSynth } from '../core/validation';
import { OpenSearchCluster } from './cluster';

/**
 * How often Firehose starts a new index (it appends a timestamp to `indexName`).
 * @see https://docs.aws.amazon.com/firehose/latest/dev/basic-deliver.html#es-index-rotation
 */
export enum OpenSearchIndexRotation {
  /** One index, never rotated. */
  NO_ROTATION = 'NoRotation',
  /** A new index every hour. */
  ONE_HOUR = 'OneHour',
  /** A new index every day. */
  ONE_DAY = 'OneDay',
  /** A new index every week. */
  ONE_WEEK = 'OneWeek',
  /** A new index every month. */
  ONE_MONTH = 'OneMonth',
}

/**
 * Props of `OpenSearchFirehoseIngestion`.
 */
export interface OpenSearchFirehoseIngestionProps extends MonitoringOptions {
  /** The cluster that receives the documents. */
  readonly cluster: OpenSearchCluster;
  /**
   * Name (prefix) of the indexes Firehose writes: lowercase, 1 to 80 characters, not starting with `_`, `-`
   * or `+`, without spaces or any of `\ / * ? " < > | , # :`.
   * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_AmazonopensearchserviceDestinationConfiguration.html
   */
  readonly indexName: string;
  /**
   * How often a new index starts; match it with the index patterns of your lifecycle (`<indexName>-*`).
   * @default OpenSearchIndexRotation.ONE_DAY
   */
  readonly indexRotation?: OpenSearchIndexRotation;
  /**
   * How long Firehose buffers before it delivers (0 to 900 seconds).
   * @default Duration.seconds(60)
   */
  readonly bufferingInterval?: Duration;
  /**
   * How much Firehose buffers before it delivers (1 to 100 MiB).
   * @default Size.mebibytes(5)
   */
  readonly bufferingSize?: Size;
  /**
   * How long Firehose retries a failed delivery before it writes the documents to the backup bucket
   * (0 to 7,200 seconds).
   * @default Duration.minutes(5)
   */
  readonly retryDuration?: Duration;
  /**
   * Bucket for the documents that could not be delivered, for example the lake bucket the rest of the
   * platform uses. Firehose may only write (PutObject, AbortMultipartUpload) under `backupPrefix`, and use
   * the bucket's key for that.
   * @default - a new `DataBucket` (KMS, TLS only, versioned, access logs), with the cluster's removal policy
   */
  readonly backupBucket?: s3.IBucket;
  /**
   * Key prefix of everything this stream writes to the backup bucket: failed documents go to
   * `<backupPrefix>failed/<indexName>/` and Firehose's error output to `<backupPrefix>errors/<indexName>/`.
   * Give a shared bucket a prefix of its own, such as `opensearch-backup/`. Empty, or ending with `/`.
   * @default '' (the bucket root: failed/<indexName>/ and errors/<indexName>/)
   */
  readonly backupPrefix?: string;
}

/**
 * A Firehose delivery stream (Direct PUT, encrypted with the cluster's key) that indexes documents into an
 * `OpenSearchCluster`, writes the documents it could not deliver to an S3 bucket, and logs delivery errors.
 *
 * With a VPC domain, Firehose delivers through network interfaces in the domain's subnets, with a security
 * group the domain accepts on 443. Fine-grained access control maps the stream's role to an OpenSearch role
 * that may write `<indexName>*` only, created at deployment through the domain's security API.
 *
 * `aws-kinesisfirehose`'s `DeliveryStream` has no OpenSearch destination, so the stream is a
 * `CfnDeliveryStream`.
 */
export class OpenSearchFirehoseIngestion extends Construct {
  /** The delivery stream. */
  public readonly deliveryStream: firehose.CfnDeliveryStream;
  /** The role Firehose delivers with (its permissions are in its customer-managed policy). */
  public readonly role: ManagedPolicyRole;
  /** The bucket with the documents that could not be delivered. */
  public readonly backupBucket: s3.IBucket;
  /** The log group of delivery errors. */
  public readonly logGroup: logs.LogGroup;
  /** The alarms and the dashboard (`monitoring.alarms`, `monitoring.dashboard`). */
  public readonly monitoring: ArchitectureMonitoring;

  constructor(scope: Construct, id: string, props: OpenSearchFirehoseIngestionProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const cluster = props.cluster;
    const indexRotation = props.indexRotation ?? OpenSearchIndexRotation.ONE_DAY;
    const bufferingInterval = props.bufferingInterval ?? Duration.seconds(60);
    const bufferingSize = props.bufferingSize ?? Size.mebibytes(5);
    const retryDuration = props.retryDuration ?? Duration.minutes(5);

    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-kinesisfirehose-deliverystream-amazonopensearchservicebufferinghints.html
    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-kinesisfirehose-deliverystream-amazonopensearchserviceretryoptions.html
    // @see https://docs.opensearch.org/latest/api-reference/index-apis/create-index/#index-naming-restrictions
    const backupPrefix = props.backupPrefix ?? '';
    validateAtSynth(this, v => {
      v.matches('indexName', props.indexName, /^[a-z0-9][^A-Z\s\\/*?"<>|,#:]{0,79}$/,
        'lowercase, 1 to 80 characters, not starting with _, - or +, without spaces or \\ / * ? " < > | , # :');
      // An S3 key prefix Firehose appends to; the !{...} namespaces of custom prefixes are not allowed here.
      // @see https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html
      v.matches('backupPrefix', backupPrefix, /^$|^[a-zA-Z0-9!_.*'()-][a-zA-Z0-9!_.*'()/-]{0,399}\/$/,
        "empty, or up to 400 characters of letters, digits and ! _ . * ' ( ) - / ending with / (not starting with /)");
      v.durationInRange('bufferingInterval', bufferingInterval, Duration.seconds(0), Duration.seconds(900));
      v.sizeInRange('bufferingSize', bufferingSize, Size.mebibytes(1), Size.mebibytes(100));
      v.durationInRange('retryDuration', retryDuration, Duration.seconds(0), Duration.seconds(7200));
    });

    this.backupBucket = props.backupBucket ?? new DataBucket(this, 'Backup', { removalPolicy: cluster.removalPolicy }).bucket;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: cluster.encryptionKey,
      retention: cluster.logRetention,
      removalPolicy: cluster.removalPolicy,
    });
    const destinationStream = this.logGroup.addStream('DestinationDelivery');
    const backupStream = this.logGroup.addStream('BackupDelivery');

    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: `Firehose delivery into the OpenSearch domain ${cluster.domainName}`,
    });
    const domainArn = cluster.domain.domainArn;
    const index = `${props.indexName}*`;
    const failedPrefix = `${backupPrefix}failed/${props.indexName}/`;
    const errorPrefix = `${backupPrefix}errors/${props.indexName}/`;
    // The actions and resources Firehose needs for an OpenSearch Service destination and its S3 backup; the
    // backup is write-only, under this stream's two prefixes.
    // @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-es
    const statements = [
      new iam.PolicyStatement({ sid: 'DescribeDomain', actions: ['es:DescribeDomain', 'es:DescribeDomains', 'es:DescribeDomainConfig'], resources: [domainArn] }),
      new iam.PolicyStatement({ sid: 'BulkIndex', actions: ['es:ESHttpPost', 'es:ESHttpPut'], resources: [domainArn, `${domainArn}/*`] }),
      new iam.PolicyStatement({
        sid: 'ReadClusterState',
        actions: ['es:ESHttpGet'],
        resources: ['_all/_settings', '_cluster/stats', `${index}/_mapping/*`, '_nodes', '_nodes/stats', '_nodes/*/stats', '_stats', `${index}/_stats`]
          .map(path => `${domainArn}/${path}`),
      }),
      new iam.PolicyStatement({ sid: 'LocateBackupBucket', actions: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], resources: [this.backupBucket.bucketArn] }),
      new iam.PolicyStatement({
        sid: 'WriteBackupPrefixes',
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resources: [this.backupBucket.arnForObjects(`${failedPrefix}*`), this.backupBucket.arnForObjects(`${errorPrefix}*`)],
      }),
      new iam.PolicyStatement({
        sid: 'WriteDeliveryLogs',
        actions: ['logs:PutLogEvents'],
        resources: [destinationStream, backupStream].map(s => stack.formatArn({
          service: 'logs', resource: 'log-group', arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          resourceName: `${this.logGroup.logGroupName}:log-stream:${s.logStreamName}`,
        })),
      }),
    ];
    if (this.backupBucket.encryptionKey) {
      // S3 uses the bucket key for the objects Firehose puts (Decrypt for multipart uploads).
      statements.push(new iam.PolicyStatement({
        sid: 'EncryptBackupObjects',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.backupBucket.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
      }));
    }
    statements.forEach(st => this.role.addToPrincipalPolicy(st));

    let vpcConfiguration: firehose.CfnDeliveryStream.VpcConfigurationProperty | undefined;
    let securityGroup: ec2.SecurityGroup | undefined;
    if (cluster.vpc && cluster.securityGroup) {
      securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: cluster.vpc,
        description: `Firehose delivery into the OpenSearch domain ${cluster.domainName}: HTTPS to the domain only`,
        allowAllOutbound: false,
      });
      securityGroup.addEgressRule(ec2.Peer.securityGroupId(cluster.securityGroup.securityGroupId), ec2.Port.tcp(443), 'HTTPS to the domain');
      cluster.securityGroup.addIngressRule(securityGroup, ec2.Port.tcp(443), 'Firehose delivery');
      // Firehose creates and removes its network interfaces in the domain subnets; the ec2 describe and
      // interface actions have no resource-level scoping for interfaces that do not exist yet.
      // @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-es-vpc
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'ManageNetworkInterfaces',
        actions: ['ec2:DescribeVpcs', 'ec2:DescribeVpcAttribute', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups',
          'ec2:DescribeNetworkInterfaces', 'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface'],
        resources: ['*'],
      }));
      vpcConfiguration = {
        roleArn: this.role.roleArn,
        securityGroupIds: [securityGroup.securityGroupId],
        subnetIds: cluster.vpc.selectSubnets(cluster.vpcSubnets).subnetIds,
      };
    }
    acknowledgeWildcards(this.role, {
      BulkIndex: 'Bulk requests go to /_bulk and /<index>/_bulk of this one domain, for indexes that rotate (<indexName>-<date>); fine-grained access control limits the role to <indexName>*.',
      ReadClusterState: 'Paths of this one domain that Firehose reads before delivering (node and index stats, mappings of <indexName>*).',
      WriteBackupPrefixes: `Firehose names the objects (date paths) under this stream's own prefixes (${failedPrefix}, ${errorPrefix}); write-only, nothing else of the bucket.`,
      ManageNetworkInterfaces: 'Firehose creates network interfaces in the domain subnets; ec2 Describe* and interface actions have no resource-level scoping for interfaces that do not exist yet.',
    });

    // Fine-grained access control: the stream's role may create and write `<indexName>*` and read what
    // Firehose checks before it delivers, nothing else.
    // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html#fgac-integrations
    const roleSuffix = Token.isUnresolved(props.indexName) ? id.toLowerCase() : props.indexName;
    const mapping = cluster._addRoleMapping(`FirehoseRole-${id}`, `firehose_${roleSuffix.replace(/[^a-z0-9_]/g, '_')}`.slice(0, 64), {
      cluster_permissions: ['cluster_composite_ops', 'cluster_monitor'],
      index_permissions: [{ index_patterns: [index], allowed_actions: ['create_index', 'manage', 'crud'] }],
    }, [this.role.roleArn]);

    this.deliveryStream = new firehose.CfnDeliveryStream(this, 'Resource', {
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'CUSTOMER_MANAGED_CMK', keyArn: cluster.encryptionKey.keyArn },
      amazonopensearchserviceDestinationConfiguration: {
        domainArn,
        indexName: props.indexName,
        indexRotationPeriod: indexRotation,
        roleArn: this.role.roleArn,
        bufferingHints: {
          intervalInSeconds: bufferingInterval.toSeconds(),
          sizeInMBs: bufferingSize.toMebibytes({ rounding: SizeRoundingBehavior.FLOOR }),
        },
        retryOptions: { durationInSeconds: retryDuration.toSeconds() },
        s3BackupMode: 'FailedDocumentsOnly',
        s3Configuration: {
          bucketArn: this.backupBucket.bucketArn,
          roleArn: this.role.roleArn,
          prefix: failedPrefix,
          errorOutputPrefix: `${errorPrefix}!{firehose:error-output-type}/`,
          compressionFormat: 'GZIP',
          cloudWatchLoggingOptions: { enabled: true, logGroupName: this.logGroup.logGroupName, logStreamName: backupStream.logStreamName },
        },
        cloudWatchLoggingOptions: { enabled: true, logGroupName: this.logGroup.logGroupName, logStreamName: destinationStream.logStreamName },
        vpcConfiguration,
      },
    });
    // Firehose checks its permissions and the role mapping when the stream is created.
    this.deliveryStream.node.addDependency(this.role.allPolicies, mapping);

    this.monitoring = new ArchitectureMonitoring(this, 'Monitoring', {
      ...props,
      title: `Firehose ingestion into ${cluster.domainName}`,
      alarms: [
        {
          // Firehose retries for `retryDuration`; records older than 15 minutes mean delivery is stuck.
          id: 'DataFreshness',
          metric: this.metricDataFreshness(),
          threshold: 900,
          evaluationPeriods: 3,
          description: 'The oldest record in the stream waits more than 15 minutes: delivery to OpenSearch fails or is throttled. Check the Logs log group and the backup bucket.',
        },
        {
          id: 'DeliverySuccess',
          metric: this.metricDeliverySuccess(),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: 3,
          description: 'Some deliveries to OpenSearch failed for 15 minutes: documents go to the backup bucket. Check the Logs log group (mapping, permissions, cluster health).',
        },
        {
          // The backup holds what OpenSearch refused; when writing it fails too, those documents are lost.
          id: 'BackupDeliverySuccess',
          metric: this.metric('DeliveryToS3.Success', { statistic: cloudwatch.Stats.AVERAGE }),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          description: 'Writing failed documents to the backup bucket failed: they are lost after the retry period. Check the BackupDelivery log stream (bucket policy, key policy, prefix permissions).',
        },
      ],
      sections: [{ title: 'Delivery', widgets: [
        graph('Delivery success (ratio) and data freshness (s)', [this.metricDeliverySuccess()], [this.metricDataFreshness()]),
        graph('Incoming records', [this.metric('IncomingRecords', { statistic: cloudwatch.Stats.SUM })]),
      ] }],
    });
  }

  /**
   * The alarms (empty when alarms are disabled).
   * @deprecated use `monitoring.alarms`, the name every architecture uses
   */
  public get alarms(): cloudwatch.Alarm[] {
    return this.monitoring.alarms;
  }

  /**
   * The dashboard, unless disabled.
   * @deprecated use `monitoring.dashboard`, the name every architecture uses
   */
  public get dashboard(): cloudwatch.Dashboard | undefined {
    return this.monitoring.dashboard;
  }

  /** A metric of the delivery stream. */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Firehose',
      metricName,
      dimensionsMap: { DeliveryStreamName: this.deliveryStream.ref },
      period: Duration.minutes(5),
      ...props,
    });
  }

  /** Share of successful bulk deliveries to OpenSearch (0 to 1, average). */
  public metricDeliverySuccess(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DeliveryToAmazonOpenSearchService.Success', { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  /** Age of the oldest record not yet delivered to OpenSearch, in seconds (maximum). */
  public metricDataFreshness(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DeliveryToAmazonOpenSearchService.DataFreshness', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }
}
