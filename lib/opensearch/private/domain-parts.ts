import { Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

import { acknowledgeInCompliancePacks } from '../../core/compliance-packs';
import { acknowledgeNag } from '../../core/nag';
import { Topology } from './topology';

/** The topology given to the domain: the user's values, or a safe stand-in for each one that broke a rule. */
export interface SafeTopology extends Omit<Topology, 'engineVersion'> {
  readonly engineVersion: opensearch.EngineVersion;
  readonly zoneAwarenessEnabled: boolean;
}

/**
 * Stand-ins for the properties in `broken` (reported at synth), chosen so that aws-cdk-lib's `Domain` does not
 * throw while the construct builds and hides the other problems of the app.
 */
export function standIns(t: Topology, engineVersion: opensearch.EngineVersion, defaults: { engine: opensearch.EngineVersion; masterType: string;
  dataType: string; warmType: string; }, broken: Set<string>): SafeTopology {
  const volumeBroken = ['volumeSize', 'volumeIops', 'volumeThroughput'].some(k => broken.has(k));
  return {
    ...t,
    engineVersion: broken.has('engineVersion') ? defaults.engine : engineVersion,
    availabilityZoneCount: broken.has('availabilityZoneCount') ? 3 : t.availabilityZoneCount,
    // Subnets in too few zones for the zone count: aws-cdk-lib throws with zone awareness on.
    zoneAwarenessEnabled: !['network.subnets', 'network.vpc', 'network.availabilityZones', 'availabilityZoneCount'].some(k => broken.has(k)),
    masterNodes: broken.has('masterNodes') ? 3 : t.masterNodes,
    masterNodeInstanceType: broken.has('masterNodeInstanceType') ? defaults.masterType : t.masterNodeInstanceType,
    dataNodeInstanceType: broken.has('dataNodeInstanceType') ? defaults.dataType : t.dataNodeInstanceType,
    warmInstanceType: broken.has('warmInstanceType') ? defaults.warmType : t.warmInstanceType,
    coldStorageEnabled: broken.has('coldStorageEnabled') ? false : t.coldStorageEnabled,
    volumeSizeGiB: volumeBroken ? 100 : t.volumeSizeGiB,
    volumeIops: volumeBroken ? 3000 : t.volumeIops,
    volumeThroughput: volumeBroken ? 125 : t.volumeThroughput,
  };
}

/**
 * A domain name (3-28 characters, lowercase letters, digits and hyphens, starting with a letter) that is
 * unique per construct path and stable across deployments.
 */
export function generatedDomainName(scope: Construct): string {
  const hash = Names.uniqueId(scope).slice(-8).toLowerCase();
  const readable = `${Stack.of(scope).stackName}-${scope.node.id}`.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const prefix = /^[a-z]/.test(readable) ? readable : `os-${readable}`;
  return `${prefix.slice(0, 19).replace(/-+$/, '')}-${hash}`;
}

/** The internal master user's secret: a generated password, encrypted with the cluster key. */
export function createMasterUserSecret(scope: Construct, domainName: string, username: string, key: kms.IKey,
  removalPolicy: RemovalPolicy): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, 'MasterUserSecret', {
    description: `Master user of the OpenSearch domain ${domainName}`,
    encryptionKey: key,
    generateSecretString: {
      secretStringTemplate: JSON.stringify({ username }),
      generateStringKey: 'password',
      // OpenSearch requires upper, lower, digit and special characters; these would break JSON or shells.
      excludeCharacters: '{}\'\\*[]()`"/@:',
      passwordLength: 32,
    },
    removalPolicy,
  });
  const reason = 'OpenSearch has no managed rotation for the internal master user: rotating it needs the security plugin API of the domain; rotate it with your own function or prefer OpenSearchMasterUser.iamRole().';
  acknowledgeNag(secret.node.defaultChild!,
    { id: 'AwsSolutions-SMG4', reason },
    ...acknowledgeInCompliancePacks('SecretsManagerRotationEnabled', reason));
  return secret;
}

/** The domain's log groups, and the resource policy that lets the service write to them. */
export interface DomainLogs {
  readonly slowSearch: logs.LogGroup;
  readonly slowIndex: logs.LogGroup;
  readonly app: logs.LogGroup;
  readonly audit: logs.LogGroup;
  readonly resourcePolicy: logs.CfnResourcePolicy;
}

/** One log group per log type of the domain, encrypted with the cluster key, and their resource policy. */
export function createDomainLogs(scope: Construct, domainName: string, domainArn: string, o: { encryptionKey: kms.IKey;
  retention: logs.RetentionDays; removalPolicy: RemovalPolicy; }): DomainLogs {
  const logGroup = (name: string) => new logs.LogGroup(scope, name, {
    encryptionKey: o.encryptionKey,
    retention: o.retention,
    removalPolicy: o.removalPolicy,
  });
  const groups = { slowSearch: logGroup('SlowSearchLogs'), slowIndex: logGroup('SlowIndexLogs'), app: logGroup('AppLogs'), audit: logGroup('AuditLogs') };
  const resourcePolicy = domainLogsResourcePolicy(scope, domainName, domainArn, [groups.slowSearch, groups.slowIndex, groups.app, groups.audit]);
  return { ...groups, resourcePolicy };
}

/**
 * A native resource policy letting OpenSearch Service write to the domain's log groups (instead of
 * aws-cdk-lib's Lambda-backed one, suppressLogsResourcePolicy), scoped to this domain with aws:SourceArn and
 * aws:SourceAccount. Its name is physical and derived from the domain name: it is not retained, so a failed
 * first deployment removes it and the next one can create it again.
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/createdomain-configure-slow-logs.html
 */
export function domainLogsResourcePolicy(scope: Construct, domainName: string, domainArn: string, groups: logs.ILogGroup[]): logs.CfnResourcePolicy {
  const stack = Stack.of(scope);
  return new logs.CfnResourcePolicy(scope, 'LogsResourcePolicy', {
    policyName: `${domainName}-opensearch-logs`,
    policyDocument: stack.toJsonString({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Service: 'es.amazonaws.com' },
        Action: ['logs:PutLogEvents', 'logs:CreateLogStream'],
        Resource: groups.map(g => g.logGroupArn),
        Condition: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnLike: { 'aws:SourceArn': domainArn } },
      }],
    }),
  });
}

/** The nag findings of the domain that follow from the user's network and master-user choices. */
export function acknowledgeDomainFindings(cfnDomain: opensearch.CfnDomain, publicEndpoint: boolean, internalUser: boolean): void {
  if (!publicEndpoint) {
    acknowledgeNag(cfnDomain, {
      id: 'AwsSolutions-OS3',
      reason: 'VPC domain: reachable only inside the VPC through its security group; OpenSearch Service does not support IP-based access policies for VPC domains, so IAM and fine-grained access control authorize requests.',
    });
  } else {
    acknowledgeNag(cfnDomain, {
      id: 'AwsSolutions-OS3',
      reason: 'Every statement but one requires an allowed source IP; the exception is the master user role, which the configuration function assumes from Lambda outside any VPC, whose source IP is not fixed.',
    });
    const reason = 'The user chose AnalyticsNetwork.publicEndpoint: the endpoint is restricted by the source-IP condition and IAM in the access policy, and fine-grained access control authorizes every request.';
    acknowledgeNag(cfnDomain,
      ...acknowledgeInCompliancePacks('OpenSearchInVPCOnly', reason),
      { id: 'AwsSolutions-OS1', reason });
  }
  if (internalUser) {
    acknowledgeNag(cfnDomain, {
      id: 'AwsSolutions-OS5',
      reason: 'An internal master user signs in with HTTP basic auth, which IAM sees as anonymous: the access policy must allow it, and fine-grained access control authenticates and authorizes every request.',
    });
  }
}

/**
 * The service-linked role that lets OpenSearch Service manage the network interfaces of VPC domains, created
 * before the domain. Kept when the stack goes (other domains use it) but removed when a failed first deployment
 * rolls back.
 */
export function createServiceLinkedRole(scope: Construct, cfnDomain: opensearch.CfnDomain): void {
  const slr = new iam.CfnServiceLinkedRole(scope, 'ServiceLinkedRole', {
    awsServiceName: 'opensearchservice.amazonaws.com',
    description: 'Lets OpenSearch Service manage network interfaces of VPC domains',
  });
  slr.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
  cfnDomain.addResourceDependency(slr);
}
