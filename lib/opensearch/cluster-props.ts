import { RemovalPolicy, Size } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';

import { MonitoringOptions } from '../core/monitoring';
import { AnalyticsNetwork } from '../core/network';
import { OpenSearchAlarmThresholds } from './alarm-thresholds';
import { OpenSearchIndexLifecycleProps } from './index-lifecycle';
import { OpenSearchMasterUser } from './master-user';
import { OpenSearchWarmInstanceType } from './warm-instance-type';

/**
 * Props of `OpenSearchCluster`.
 */
export interface OpenSearchClusterProps extends MonitoringOptions {
  /**
   * Where the domain lives: `AnalyticsNetwork.newVpc({ availabilityZones })` (one zone per
   * `availabilityZoneCount`; a new isolated VPC with the endpoints the configuration function needs),
   * `AnalyticsNetwork.fromVpc(vpc, { subnets, securityGroup })` (exactly one subnet per zone used), or
   * `AnalyticsNetwork.publicEndpoint([...])` (no VPC; IAM, fine-grained access control and a source-IP allow list).
   */
  readonly network: AnalyticsNetwork;
  /**
   * Engine version.
   * @default opensearch.EngineVersion.OPENSEARCH_2_19
   */
  readonly engineVersion?: opensearch.EngineVersion;
  /**
   * Name of the domain (3 to 28 characters: lowercase letters, digits and hyphens, starting with a letter).
   * @default - derived from the stack name and construct path (stable across deployments), so that the access
   *   policy can name the domain without a circular reference
   * @see https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_CreateDomain.html
   */
  readonly domainName?: string;
  /**
   * Availability zones the nodes are spread over: 2 or 3.
   * @default 3
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-multiaz.html
   */
  readonly availabilityZoneCount?: number;
  /**
   * Multi-AZ with Standby: one of the three zones holds standby capacity that takes over within a minute
   * when a zone fails. Requires 3 zones, dedicated masters and data (and warm) nodes in multiples of 3.
   * @default true
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-multiaz.html#managedomains-za-standby
   */
  readonly multiAzWithStandbyEnabled?: boolean;
  /**
   * Dedicated master nodes: 3 or 5.
   * @default 3
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-dedicatedmasternodes.html
   */
  readonly masterNodes?: number;
  /**
   * Instance type of the dedicated master nodes (`<family>.<size>.search`; a family the construct does not
   * know is passed through with a warning).
   * @default 'm6g.large.search'
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/supported-instance-types.html
   */
  readonly masterNodeInstanceType?: string;
  /**
   * Data (hot) nodes: at least one per zone; even with 2 zones; a multiple of 3 with Multi-AZ with Standby.
   * @default 3
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-multiaz.html
   */
  readonly dataNodes?: number;
  /**
   * Instance type of the data nodes (`<family>.<size>.search`, a type that takes gp3 EBS volumes; a family the
   * construct does not know is passed through with a warning).
   * @default 'r6g.large.search'
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/supported-instance-types.html
   */
  readonly dataNodeInstanceType?: string;
  /**
   * gp3 EBS volume size of each data node: whole GiB, at least 10 GiB and at most the data node instance
   * type's gp3 maximum (for example 2,048 GiB for r6g.large.search).
   * @default Size.gibibytes(100)
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/limits.html#ebsresource
   */
  readonly volumeSize?: Size;
  /**
   * Provisioned gp3 IOPS of each data node volume: 3,000 to 16,000 per started 3 TiB of volume size, and at
   * most 500 per GiB.
   * @default 3000
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/limits.html#ebsresource
   */
  readonly volumeIops?: number;
  /**
   * Provisioned gp3 throughput of each data node volume, in MiB/s: 125 to 1,000 per started 3 TiB of volume
   * size, and at most 0.25 MiB/s per provisioned IOPS.
   * @default 125
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/limits.html#ebsresource
   */
  readonly volumeThroughput?: number;
  /**
   * UltraWarm nodes: 0 disables UltraWarm; otherwise at least 2 (a multiple of 3 with Multi-AZ with Standby).
   * @default 0
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ultrawarm.html
   */
  readonly warmNodes?: number;
  /**
   * Instance type of the UltraWarm nodes: `OpenSearchWarmInstanceType.ULTRAWARM1_MEDIUM` (up to 1.5 TiB each) or
   * `ULTRAWARM1_LARGE` (up to 20 TiB each).
   * @default OpenSearchWarmInstanceType.ULTRAWARM1_MEDIUM
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/limits.html#limits-ultrawarm
   */
  readonly warmInstanceType?: OpenSearchWarmInstanceType;
  /**
   * Cold storage (detached indexes in S3, reattached to UltraWarm on demand). Requires UltraWarm.
   * @default false
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cold-storage.html
   */
  readonly coldStorageEnabled?: boolean;
  /**
   * Master user of fine-grained access control.
   * @default OpenSearchMasterUser.iamRole() - an IAM role the cluster creates, assumable only by the configuration function
   */
  readonly masterUser?: OpenSearchMasterUser;
  /**
   * Customer-managed key for the domain, its log groups and the master user secret. When you pass a key,
   * its policy must let the CloudWatch Logs service principal of the region use it.
   *
   * Changing the key of a deployed domain deletes the domain and creates an empty one (CloudFormation changes
   * `EncryptionAtRestOptions.KmsKeyId` in place, outside any removal policy). A guard resource stops such a
   * deployment before the domain is touched, unless `allowEncryptionKeyChange` is set.
   * @default - a new key with rotation enabled
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-opensearchservice-domain-encryptionatrestoptions.html
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Let a deployment change the domain's KMS key, which deletes the domain and creates an empty one with the
   * same name. Take a manual snapshot first, set this for that one deployment, restore, and unset it.
   * @default false
   */
  readonly allowEncryptionKeyChange?: boolean;
  /**
   * Minimum TLS version and ciphers of the HTTPS endpoint.
   * @default opensearch.TLSSecurityPolicy.TLS_1_2_PFS
   */
  readonly tlsSecurityPolicy?: opensearch.TLSSecurityPolicy;
  /**
   * Retention of the slow search, slow index, application and audit log groups (and of the other log
   * groups the cluster creates).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Index State Management policies applied at deployment; more can be added with `addIndexLifecycle`.
   * @default - none
   */
  readonly indexLifecycles?: OpenSearchIndexLifecycleProps[];
  /**
   * What happens to the domain, key, secret and log groups when they leave the stack. DESTROY also
   * needs the context flag `cdk-analytics-blueprints:removeDataOnDestroy=true`.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE - kept, except when the deployment that created them rolls back
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Create the OpenSearch Service service-linked role (`AWSServiceRoleForAmazonOpenSearchService`), which a
   * domain in a VPC needs and which an account gets only when someone first creates a VPC domain in the
   * console. Set it in an account that never had an OpenSearch VPC domain; leave it unset where the role
   * exists (creating it again fails). The role is kept when the stack is deleted: other domains use it.
   * @default false
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/slr.html
   */
  readonly createServiceLinkedRole?: boolean;
  /**
   * Reserved concurrent executions of the function that configures the domain (ISM policies, role mappings,
   * audit logging). Reserving any fails in an account whose Lambda concurrency quota is still 10.
   * @default - none reserved
   */
  readonly lifecycleFunctionReservedConcurrency?: number;
  /**
   * Thresholds of the alarms.
   * @default - AWS's recommended values (see `OpenSearchAlarmThresholds`)
   */
  readonly alarmThresholds?: OpenSearchAlarmThresholds;
}
