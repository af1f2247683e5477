import { Annotations, Size, SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { IConstruct } from 'constructs';

import { PropsValidator } from '../../core/validation';
import type { OpenSearchClusterProps } from '../cluster-props';
import { OpenSearchWarmInstanceType } from '../warm-instance-type';
import { inFamilies, INSTANCE_STORE_ONLY, instanceFamily, KNOWN_FAMILIES, MAX_GP3_VOLUME_GIB, NO_ENCRYPTION_AT_REST, NO_GP3 } from './instance-types';

/** The topology the cluster resolved from its props, with defaults applied. */
export interface Topology {
  readonly engineVersion: string;
  readonly availabilityZoneCount: number;
  readonly multiAzWithStandby: boolean;
  readonly masterNodes: number;
  readonly masterNodeInstanceType: string;
  readonly dataNodes: number;
  readonly dataNodeInstanceType: string;
  readonly warmNodes: number;
  readonly warmInstanceType: string;
  readonly coldStorageEnabled: boolean;
  readonly volumeSizeGiB: number;
  readonly volumeIops: number;
  readonly volumeThroughput: number;
}

/** The engine and instance types a cluster gets by default, and as stand-ins when the given ones break a rule. */
export const TOPOLOGY_DEFAULTS = {
  engine: opensearch.EngineVersion.OPENSEARCH_2_19,
  masterType: 'm6g.large.search',
  dataType: 'r6g.large.search',
  warmType: OpenSearchWarmInstanceType.ULTRAWARM1_MEDIUM.name,
};

/** The topology of an `OpenSearchCluster`'s props, with every default applied (before validation). */
export function clusterTopology(props: OpenSearchClusterProps): Topology {
  const volumeSize = props.volumeSize ?? Size.gibibytes(100);
  return {
    engineVersion: (props.engineVersion ?? TOPOLOGY_DEFAULTS.engine).version,
    availabilityZoneCount: props.availabilityZoneCount ?? 3,
    multiAzWithStandby: props.multiAzWithStandbyEnabled ?? true,
    masterNodes: props.masterNodes ?? 3,
    masterNodeInstanceType: props.masterNodeInstanceType ?? TOPOLOGY_DEFAULTS.masterType,
    dataNodes: props.dataNodes ?? 3,
    dataNodeInstanceType: props.dataNodeInstanceType ?? TOPOLOGY_DEFAULTS.dataType,
    warmNodes: props.warmNodes ?? 0,
    warmInstanceType: (props.warmInstanceType ?? OpenSearchWarmInstanceType.ULTRAWARM1_MEDIUM).name,
    coldStorageEnabled: props.coldStorageEnabled ?? false,
    volumeSizeGiB: volumeSize.isUnresolved() ? volumeSize.toGibibytes() : volumeSize.toGibibytes({ rounding: SizeRoundingBehavior.NONE }),
    volumeIops: props.volumeIops ?? 3000,
    volumeThroughput: props.volumeThroughput ?? 125,
  };
}

/** UltraWarm instance types the service offers. */
/** The UltraWarm types the library knows; `OpenSearchWarmInstanceType.of()` takes others, with a warning. */
export const ULTRAWARM_INSTANCE_TYPES = OpenSearchWarmInstanceType.KNOWN.map(t => t.name);

/**
 * The Elasticsearch versions the service offers, as ranks (major × 100 + minor): 7.10 is the last one, every later
 * version is OpenSearch.
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/what-is.html#choosing-version
 */
const ELASTICSEARCH_VERSIONS = [105, 203, 501, 503, 505, 506, 600, 602, 603, 604, 605, 607, 608, 701, 704, 707, 708, 709, 710];

const isSet = (x: number) => !Token.isUnresolved(x);
const warmEnabledIn = (t: Topology) => !isSet(t.warmNodes) || t.warmNodes > 0;

/**
 * Every rule OpenSearch Service enforces only when CloudFormation creates the domain, and every rule
 * aws-cdk-lib's `Domain` would throw on while the construct builds it (so that all of them are reported
 * together, with the construct path, and the domain gets a safe stand-in instead).
 */
export function validateTopology(v: PropsValidator, t: Topology): void {
  // aws-cdk-lib: "availabilityZoneCount must be 2 or 3".
  // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-multiaz.html
  v.oneOf('availabilityZoneCount', t.availabilityZoneCount, [2, 3]);

  // DedicatedMasterCount "must be greater than 2 and not 4"; AWS recommends 3 (or 5 for the largest
  // clusters) so that a quorum of master-eligible nodes survives the loss of one AZ.
  // @see https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_ClusterConfig.html
  // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-dedicatedmasternodes.html
  v.oneOf('masterNodes', t.masterNodes, [3, 5]);

  const version = Token.isUnresolved(t.engineVersion) ? undefined : parseEngineVersion(t.engineVersion);
  // EngineVersion: Elasticsearch_X.Y or OpenSearch_X.Y.
  // https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_CreateDomain.html (EngineVersion)
  // https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_ListVersions.html (Versions pattern)
  if (!Token.isUnresolved(t.engineVersion)) {
    v.check(version !== undefined, 'engineVersion', t.engineVersion, 'must be OpenSearch_<major>.<minor> or Elasticsearch_<major>.<minor>');
  }
  if (version?.engine === 'Elasticsearch') {
    // https://docs.aws.amazon.com/opensearch-service/latest/developerguide/what-is.html#choosing-version
    v.check(ELASTICSEARCH_VERSIONS.includes(version.rank), 'engineVersion', t.engineVersion,
      'must be an Elasticsearch version the service offers (1.5, 2.3, 5.1, 5.3, 5.5, 5.6, 6.0, 6.2-6.5, 6.7, 6.8, 7.1, 7.4, 7.7-7.10), or an OpenSearch version');
    // The construct always enables fine-grained access control (and audit logs, which need it).
    // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html
    v.check(version.rank >= 607, 'engineVersion', t.engineVersion, 'must be Elasticsearch 6.7 or later (fine-grained access control)');
    // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ultrawarm.html#ultrawarm-pp
    if (warmEnabledIn(t)) {
      v.check(version.rank >= 608, 'engineVersion', t.engineVersion, 'must be Elasticsearch 6.8 or later when warmNodes is above 0 (UltraWarm)');
    }
    // Cold storage needs Elasticsearch 7.9 or later (every OpenSearch version has it).
    // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cold-storage.html#coldstorage-pp
    if (t.coldStorageEnabled) {
      v.check(version.rank >= 709, 'engineVersion', t.engineVersion, 'must be Elasticsearch 7.9 or later (or OpenSearch) when coldStorageEnabled is true');
    }
  }

  validateInstanceTypes(v, t);

  // Multi-AZ with Standby deploys across exactly three AZs and keeps one as standby, so data nodes
  // (and warm nodes) come in multiples of three; it needs OpenSearch 1.3 or later.
  // Deploying standby with zone awareness off is what fails late in aws-cdk issues #29346 and #31583.
  // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-multiaz.html#managedomains-za-standby
  if (t.multiAzWithStandby) {
    v.check(!isSet(t.availabilityZoneCount) || t.availabilityZoneCount === 3, 'availabilityZoneCount',
      t.availabilityZoneCount, 'must be 3 when multiAzWithStandbyEnabled is true');
    v.multipleOf('dataNodes', t.dataNodes, 3, 'the 3 availability zones of Multi-AZ with Standby');
    if (version) {
      v.check(version.engine === 'OpenSearch' && version.rank >= 103, 'engineVersion', t.engineVersion,
        'must be OpenSearch 1.3 or later when multiAzWithStandbyEnabled is true');
    }
  }

  // With zone awareness, every AZ needs data nodes; with two AZs the service rejects an odd count
  // ("You must choose an even number of data nodes for a two Availability Zone deployment").
  // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-multiaz.html
  if ([2, 3].includes(t.availabilityZoneCount)) {
    v.atLeast('dataNodes', t.dataNodes, t.availabilityZoneCount, `(one per availability zone, availabilityZoneCount is ${t.availabilityZoneCount})`);
  }
  if (t.availabilityZoneCount === 2) v.multipleOf('dataNodes', t.dataNodes, 2, 'availabilityZoneCount');

  if (warmEnabledIn(t)) {
    // UltraWarm needs at least two warm nodes, of an ultrawarm1 type.
    // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/limits.html#limits-ultrawarm
    v.atLeast('warmNodes', t.warmNodes, 2);
    v.matches('warmInstanceType', t.warmInstanceType, /^ultrawarm\d+\.[a-z0-9]+\.search$/,
      "an UltraWarm instance type (ultrawarm<generation>.<size>.search, for example 'ultrawarm1.medium.search'): data node types cannot be warm nodes");
    // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ultrawarm.html#ultrawarm-pp
    if (t.multiAzWithStandby) {
      v.multipleOf('warmNodes', t.warmNodes, 3, 'availabilityZoneCount with Multi-AZ with Standby');
    }
  }
  // aws-cdk-lib: "You must enable UltraWarm storage to enable cold storage."
  // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cold-storage.html#coldstorage-pp
  v.requires('coldStorageEnabled', t.coldStorageEnabled, warmEnabledIn(t), 'UltraWarm (warmNodes of at least 2)');

  validateVolume(v, t);
}

/** Instance type rules of the service, as aws-cdk-lib's `Domain` and the supported-types page state them. */
function validateInstanceTypes(v: PropsValidator, t: Topology): void {
  const types: Array<[string, string]> = [['masterNodeInstanceType', t.masterNodeInstanceType], ['dataNodeInstanceType', t.dataNodeInstanceType]];
  for (const [prop, type] of types) {
    if (Token.isUnresolved(type)) continue;
    // Instance types are <family>.<size>.search.
    // https://docs.aws.amazon.com/opensearch-service/latest/developerguide/supported-instance-types.html
    if (!v.check(instanceFamily(type) !== undefined, prop, type, 'must be an instance type of the form <family>.<size>.search, such as r6g.large.search')) continue;
    // The construct attaches gp3 EBS volumes and encrypts at rest; aws-cdk-lib checks both node kinds.
    // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/supported-instance-types.html
    v.check(!inFamilies(type, INSTANCE_STORE_ONLY), prop, type,
      `must not be an instance-storage type (${INSTANCE_STORE_ONLY.join(', ')}): the construct attaches gp3 EBS volumes`);
    v.check(!inFamilies(type, NO_ENCRYPTION_AT_REST), prop, type,
      `must not be ${NO_ENCRYPTION_AT_REST.join(', ')}: they do not support encryption at rest, which fine-grained access control needs`);
    if (warmEnabledIn(t)) v.check(!inFamilies(type, ['t2', 't3']), prop, type, 'must not be T2 or T3 when warmNodes is above 0 (UltraWarm)');
    // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-multiaz.html#managedomains-za-standby
    if (t.multiAzWithStandby) v.check(!inFamilies(type, ['t3']), prop, type, 'must not be T3 when multiAzWithStandbyEnabled is true');
  }
}

/**
 * gp3 on OpenSearch Service: at least 10 GiB and at most the instance type's maximum; baseline 3,000 IOPS and
 * 125 MiB/s; up to 16,000 IOPS and 1,000 MiB/s per volume, and 16,000 IOPS / 1,000 MiB/s more for every
 * further 3 TiB (3,072 GiB) of volume size; at most 500 IOPS per GiB and 0.25 MiB/s per IOPS (aws-cdk-lib).
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/limits.html#ebsresource
 * @see https://aws.amazon.com/about-aws/whats-new/2023/07/amazon-opensearch-service-iops-throughput-gp3/
 */
function validateVolume(v: PropsValidator, t: Topology): void {
  const type = t.dataNodeInstanceType;
  if (!Token.isUnresolved(type) && inFamilies(type, NO_GP3)) {
    v.fail('dataNodeInstanceType', type, `must support gp3 volumes (${NO_GP3.join(', ')} do not)`);
  }
  if (!isSet(t.volumeSizeGiB)) return;
  v.atLeast('volumeSize', t.volumeSizeGiB, 10, 'GiB');
  v.check(Number.isInteger(t.volumeSizeGiB), 'volumeSize', `${t.volumeSizeGiB} GiB`, 'must be a whole number of GiB');
  const max = Token.isUnresolved(type) ? undefined : MAX_GP3_VOLUME_GIB[type];
  if (max !== undefined) {
    v.check(t.volumeSizeGiB <= max, 'volumeSize', `${t.volumeSizeGiB} GiB`, `must be at most ${max} GiB for ${type} (gp3)`);
  }
  const blocks = Math.max(1, Math.ceil(t.volumeSizeGiB / 3072));
  v.integerInRange('volumeIops', t.volumeIops, 3000, 16000 * blocks);
  v.integerInRange('volumeThroughput', t.volumeThroughput, 125, 1000 * blocks, 'MiB/s');
  if (isSet(t.volumeIops)) {
    v.check(t.volumeIops <= 500 * t.volumeSizeGiB, 'volumeIops', t.volumeIops, `must be at most 500 per GiB of volumeSize (${500 * t.volumeSizeGiB})`);
    if (isSet(t.volumeThroughput)) {
      v.check(t.volumeThroughput <= 0.25 * t.volumeIops, 'volumeThroughput', t.volumeThroughput,
        `must be at most 0.25 MiB/s per provisioned IOPS (${0.25 * t.volumeIops} MiB/s for volumeIops ${t.volumeIops})`);
    }
  }
}

/** Risky-but-legal choices, each a warning with an id (emitted once, at construction). */
export function topologyWarnings(scope: IConstruct, t: Topology): void {
  if (!t.multiAzWithStandby && isSet(t.dataNodes) && isSet(t.availabilityZoneCount) && t.availabilityZoneCount === 3 && t.dataNodes % 3 !== 0) {
    Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:opensearchUnevenDataNodes',
      `dataNodes (${t.dataNodes}) is not a multiple of availabilityZoneCount (${t.availabilityZoneCount}): ` +
      'the zones hold different numbers of nodes and losing the largest one loses more than its share');
  }
  if (warmEnabledIn(t) && !Token.isUnresolved(t.warmInstanceType) && /^ultrawarm\d+\.[a-z0-9]+\.search$/.test(t.warmInstanceType)
    && !ULTRAWARM_INSTANCE_TYPES.includes(t.warmInstanceType)) {
    Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:opensearchUnknownWarmInstanceType',
      `warmInstanceType ('${t.warmInstanceType}') is not one the construct knows (${ULTRAWARM_INSTANCE_TYPES.join(', ')}); check it is offered ` +
      'in your region: https://docs.aws.amazon.com/opensearch-service/latest/developerguide/limits.html#limits-ultrawarm');
  }
  for (const [prop, type] of [['masterNodeInstanceType', t.masterNodeInstanceType], ['dataNodeInstanceType', t.dataNodeInstanceType]]) {
    const family = Token.isUnresolved(type) ? undefined : instanceFamily(type);
    if (family !== undefined && !KNOWN_FAMILIES.has(family)) {
      Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:opensearchUnknownInstanceType',
        `${prop} ('${type}') is of a family the construct does not know (${family}); check it is offered in your region: ` +
        'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/supported-instance-types.html');
    }
  }
}

/**
 * `OpenSearch_2.19` → { engine: 'OpenSearch', rank: 219 } (major × 100 + minor, so that 1.3 < 1.10);
 * undefined for unknown forms.
 */
export function parseEngineVersion(version: string): { engine: string; rank: number } | undefined {
  if (Token.isUnresolved(version)) return undefined;
  const m = /^(OpenSearch|Elasticsearch)_(\d+)\.(\d+)$/.exec(version);
  if (!m) return undefined;
  return { engine: m[1], rank: Number(m[2]) * 100 + Number(m[3]) };
}
