import { Annotations, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { PropsValidator } from '../../core/validation';

/** The topology the cluster resolved from its props, with defaults applied. */
export interface Topology {
  readonly engineVersion: string;
  readonly availabilityZoneCount: number;
  readonly multiAzWithStandby: boolean;
  readonly masterNodes: number;
  readonly dataNodes: number;
  readonly dataNodeInstanceType: string;
  readonly warmNodes: number;
  readonly warmInstanceType: string;
  readonly coldStorageEnabled: boolean;
  readonly volumeSizeGiB: number;
  readonly volumeIops: number;
  readonly volumeThroughput: number;
}

/** UltraWarm instance types the service offers. */
export const ULTRAWARM_INSTANCE_TYPES = ['ultrawarm1.medium.search', 'ultrawarm1.large.search'];

/**
 * The rules that OpenSearch Service enforces only when CloudFormation creates the domain, and that
 * aws-cdk-lib's `Domain` does not check at synth (it already checks: AZ count 2 or 3, subnets in enough
 * AZs, `.search` suffixes, UltraWarm needing dedicated masters and 6.8+, cold storage needing UltraWarm,
 * T2/T3 with UltraWarm, fine-grained access prerequisites, gp3 throughput 125-2000 and the IOPS ratios).
 */
export function validateTopology(scope: IConstruct, v: PropsValidator, t: Topology): void {
  // DedicatedMasterCount "must be greater than 2 and not 4"; AWS recommends 3 (or 5 for the largest
  // clusters) so that a quorum of master-eligible nodes survives the loss of one AZ.
  // @see https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_ClusterConfig.html
  // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-dedicatedmasternodes.html
  v.oneOf('masterNodes', t.masterNodes, [3, 5]);

  // Multi-AZ with Standby deploys across exactly three AZs and keeps one as standby, so data nodes
  // (and warm nodes) come in multiples of three; it needs OpenSearch 1.3 or later.
  // Deploying standby with zone awareness off is what fails late in aws-cdk issues #29346 and #31583.
  // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-multiaz.html#managedomains-za-standby
  if (t.multiAzWithStandby) {
    v.check(Token.isUnresolved(t.availabilityZoneCount) || t.availabilityZoneCount === 3, 'availabilityZoneCount',
      t.availabilityZoneCount, 'must be 3 when multiAzWithStandbyEnabled is true');
    v.multipleOf('dataNodes', t.dataNodes, 3, 'the 3 availability zones of Multi-AZ with Standby');
    const version = parseEngineVersion(t.engineVersion);
    if (version) {
      v.check(version.engine === 'OpenSearch' && version.rank >= 103, 'engineVersion', t.engineVersion,
        'must be OpenSearch 1.3 or later when multiAzWithStandbyEnabled is true');
    }
  }

  // With zone awareness, every AZ needs data nodes; with two AZs the service rejects an odd count
  // ("You must choose an even number of data nodes for a two Availability Zone deployment").
  // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-multiaz.html
  v.atLeast('dataNodes', t.dataNodes, t.availabilityZoneCount, `(one per availability zone, availabilityZoneCount is ${t.availabilityZoneCount})`);
  if (t.availabilityZoneCount === 2) {
    v.multipleOf('dataNodes', t.dataNodes, 2, 'availabilityZoneCount');
  } else if (!t.multiAzWithStandby && !Token.isUnresolved(t.dataNodes) && t.dataNodes % t.availabilityZoneCount !== 0) {
    Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:opensearchUnevenDataNodes',
      `dataNodes (${t.dataNodes}) is not a multiple of availabilityZoneCount (${t.availabilityZoneCount}): ` +
      'the zones hold different numbers of nodes and losing the largest one loses more than its share');
  }

  if (Token.isUnresolved(t.warmNodes) || t.warmNodes > 0) {
    // UltraWarm needs at least two warm nodes, of an ultrawarm1 type.
    // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/limits.html#limits-ultrawarm
    v.atLeast('warmNodes', t.warmNodes, 2);
    v.oneOf('warmInstanceType', t.warmInstanceType, ULTRAWARM_INSTANCE_TYPES);
    // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ultrawarm.html#ultrawarm-pp
    if (t.multiAzWithStandby) {
      v.multipleOf('warmNodes', t.warmNodes, t.availabilityZoneCount, 'availabilityZoneCount with Multi-AZ with Standby');
    }
  }

  // Cold storage needs Elasticsearch 7.9 or later (every OpenSearch version has it).
  // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cold-storage.html#coldstorage-pp
  const version = parseEngineVersion(t.engineVersion);
  if (t.coldStorageEnabled && version && version.engine === 'Elasticsearch') {
    v.check(version.rank >= 709, 'engineVersion', t.engineVersion, 'must be Elasticsearch 7.9 or later (or OpenSearch) when coldStorageEnabled is true');
  }

  // gp3 on OpenSearch Service: baseline 3,000 IOPS and 125 MiB/s; up to 16,000 IOPS and 1,000 MiB/s per
  // volume, and 16,000 IOPS / 1,000 MiB/s more for every further 3 TiB (3,072 GiB) of volume size.
  // EBS volumes are at least 10 GiB.
  // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/limits.html#ebsresource
  // @see https://aws.amazon.com/about-aws/whats-new/2023/07/amazon-opensearch-service-iops-throughput-gp3/
  v.atLeast('volumeSize', t.volumeSizeGiB, 10, 'GiB');
  v.check(Token.isUnresolved(t.volumeSizeGiB) || Number.isInteger(t.volumeSizeGiB), 'volumeSize', `${t.volumeSizeGiB} GiB`, 'must be a whole number of GiB');
  const blocks = Token.isUnresolved(t.volumeSizeGiB) ? undefined : Math.max(1, Math.ceil(t.volumeSizeGiB / 3072));
  if (blocks !== undefined) {
    v.integerInRange('volumeIops', t.volumeIops, 3000, 16000 * blocks);
    v.integerInRange('volumeThroughput', t.volumeThroughput, 125, 1000 * blocks, 'MiB/s');
  }
}

/**
 * `OpenSearch_2.19` → { engine: 'OpenSearch', rank: 219 } (major × 100 + minor, so that 1.3 < 1.10);
 * undefined for tokens and unknown forms.
 */
export function parseEngineVersion(version: string): { engine: string; rank: number } | undefined {
  if (Token.isUnresolved(version)) return undefined;
  const m = /^(OpenSearch|Elasticsearch)_(\d+)\.(\d+)/.exec(version);
  if (!m) return undefined;
  return { engine: m[1], rank: Number(m[2]) * 100 + Number(m[3]) };
}
