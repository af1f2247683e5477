/**
 * The run-time paths of an `OpenSearchCluster` and its `OpenSearchFirehoseIngestion`: the lifecycle function
 * assumes the master role, which calls the domain's ISM and security APIs (as IAM sees them: es:ESHttp* on
 * the domain, through the domain access policy); the domain publishes its logs; Firehose writes documents to
 * the domain and keeps failed ones, under its prefixes only, in the backup bucket.
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html
 * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-es
 */
import { OpenSearchCluster, OpenSearchFirehoseIngestion } from 'cdk-analytics-blueprints';
import { IConstruct } from 'constructs';

import { s3Kms, source } from '../context';
import { AccessModel, AccessPath } from '../model';

/** The ARN of the first subnet of a VPC domain. */
function domainSubnet(m: AccessModel, cluster: OpenSearchCluster): string {
  const options = m.cfn.resolve(m.cfn.resource(m.logicalId(cluster.domain)).Properties!.VPCOptions) as { SubnetIds: string[] };
  return `arn:aws:ec2:${m.region}:${m.account}:subnet/${options.SubnetIds[0]}`;
}

/** The paths of a cluster: its lifecycle function, master role and log publishing. */
export function openSearchClusterPaths(m: AccessModel, cluster: OpenSearchCluster): AccessPath[] {
  const domainId = m.logicalId(cluster.domain);
  const domain = m.cfn.arn(domainId);
  const why = (s: string) => `${cluster.node.path}: ${s}`;
  const paths: AccessPath[] = [];

  // The domain publishes slow, application and audit logs through the CloudWatch Logs resource policy.
  for (const group of [cluster.slowSearchLogGroup, cluster.slowIndexLogGroup, cluster.appLogGroup, cluster.auditLogGroup]) {
    const arn = m.value(group.logGroupArn).replace(/:\*$/, '');
    for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
      paths.push({ why: why('the domain publishes its logs'), principal: m.service('es.amazonaws.com'), action,
        resource: `${arn}:log-stream:${m.cfn.nameOf(domainId)}-node-1`, context: source(m, domain), expect: 'allow' });
    }
  }

  const fnRole = cluster.lifecycleFunctionRole;
  const master = cluster.masterUserRole;
  if (!fnRole || !master) return paths;
  const fn = m.role(fnRole);
  const fnLogGroup = fnRole.node.scope!.node.findChild('Logs');
  paths.push(
    { why: why('Lambda assumes the lifecycle function role'), principal: m.service('lambda.amazonaws.com'), action: 'sts:AssumeRole',
      resource: m.arnOf(fnRole), expect: 'allow' },
    { why: why('the lifecycle function logs'), principal: fn, action: 'logs:PutLogEvents',
      resource: `${m.cfn.arn(m.logicalId(fnLogGroup)).replace(/:\*$/, '')}:log-stream:2026/12/02/[$LATEST]0123`, expect: 'allow' },
    { why: why('the lifecycle function assumes the master role to call the domain'), principal: fn, action: 'sts:AssumeRole',
      resource: m.arnOf(master), expect: 'allow' },
    { why: why('only the lifecycle function (and principals the user names) may assume the master role'),
      principal: { kind: 'external', label: 'an application role of the account', roleArn: `arn:aws:iam::${m.account}:role/SomeApplication`,
        identityPolicies: [{ name: 'SomeApplication policy', policy: { Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] } }] },
      action: 'sts:AssumeRole', resource: m.arnOf(master), expect: 'deny' },
  );
  if (cluster.vpc) {
    paths.push({ why: why('Lambda creates the function\'s ENI in the domain subnets'), principal: fn, action: 'ec2:CreateNetworkInterface',
      resource: domainSubnet(m, cluster), expect: 'allow' });
  }
  // What the function does with the master role (lib/opensearch/assets/ism-handler): one path per REST call, for
  // each policy and mapping of the template, and the audit configuration of the security plugin.
  const calls: Array<[string, string, string]> = [
    ['es:ESHttpGet', '_plugins/_security/api/audit', 'reads the audit configuration'],
    ['es:ESHttpPatch', '_plugins/_security/api/audit', 'turns audit logging on'],
  ];
  for (const id of m.cfn.ofType('Custom::OpenSearchIsmPolicy')) {
    const p = m.cfn.resolve(m.cfn.resource(id).Properties) as { PolicyId: string; Policy: string };
    const patterns = (JSON.parse(p.Policy).policy.ism_template as Array<{ index_patterns: string[] }>).flatMap(t => t.index_patterns);
    calls.push(
      ['es:ESHttpGet', `_plugins/_ism/policies/${p.PolicyId}`, `reads ISM policy ${p.PolicyId}`],
      ['es:ESHttpPut', `_plugins/_ism/policies/${p.PolicyId}`, `writes ISM policy ${p.PolicyId}`],
      ...patterns.map((pattern): [string, string, string] => ['es:ESHttpGet', `_plugins/_ism/explain/${pattern}`, `finds the indexes ${p.PolicyId} manages`]),
      ['es:ESHttpPost', '_plugins/_ism/change_policy/logs-2026.12.02', `moves the indexes of ${p.PolicyId} to the new version`],
      ['es:ESHttpDelete', `_plugins/_ism/policies/${p.PolicyId}`, `deletes ISM policy ${p.PolicyId} with the stack`]);
  }
  for (const id of m.cfn.ofType('Custom::OpenSearchRoleMapping')) {
    const p = m.cfn.resolve(m.cfn.resource(id).Properties) as { SecurityRole: string };
    for (const kind of ['roles', 'rolesmapping']) {
      calls.push(
        ['es:ESHttpGet', `_plugins/_security/api/${kind}/${p.SecurityRole}`, `reads ${kind} ${p.SecurityRole}`],
        ['es:ESHttpPut', `_plugins/_security/api/${kind}/${p.SecurityRole}`, `writes ${kind} ${p.SecurityRole} (merged with what an operator mapped)`],
        ['es:ESHttpDelete', `_plugins/_security/api/${kind}/${p.SecurityRole}`, `deletes ${kind} ${p.SecurityRole} with the stack`]);
    }
  }
  for (const [action, path, what] of calls) {
    paths.push({ why: why(`the master role ${what}`), principal: m.role(master), action, resource: `${domain}/${path}`, expect: 'allow' });
  }
  // The master role's permissions name this domain only.
  paths.push({ why: why('the master role calls no other domain'), principal: m.role(master), action: 'es:ESHttpGet',
    resource: `arn:aws:es:${m.region}:${m.account}:domain/another-domain/_plugins/_ism/policies/x`, expect: 'deny' });
  return paths;
}

/** The paths of a Firehose ingestion into a cluster. */
export function openSearchIngestionPaths(m: AccessModel, cluster: OpenSearchCluster, ingestion: OpenSearchFirehoseIngestion,
  options: { readonly foreignPrefixes?: string[]; readonly backupBucket: IConstruct }): AccessPath[] {
  const role = m.role(ingestion.role);
  const domain = m.cfn.arn(m.logicalId(cluster.domain));
  const stream = m.cfn.resolve(m.cfn.resource(m.logicalId(ingestion.deliveryStream)).Properties) as
    { AmazonopensearchserviceDestinationConfiguration: { IndexName: string; S3Configuration: { Prefix: string; ErrorOutputPrefix: string } } };
  const dest = stream.AmazonopensearchserviceDestinationConfiguration;
  const index = `${dest.IndexName}-2026-12-02`;
  const bucket = m.value(ingestion.backupBucket.bucketArn);
  const failed = `${bucket}/${dest.S3Configuration.Prefix}2026/12/02/10/delivery-1.gz`;
  const errors = `${bucket}/${dest.S3Configuration.ErrorOutputPrefix.replace('!{firehose:error-output-type}', 'elasticsearch-failed')}2026/12/02/10/x.gz`;
  const why = (s: string) => `${ingestion.node.path}: ${s}`;
  const logStream = (name: string) => `${m.value(ingestion.logGroup.logGroupArn).replace(/:\*$/, '')}:log-stream:${
    m.cfn.nameOf(m.logicalId(ingestion.logGroup.node.findChild(name)))}`;
  const paths: AccessPath[] = [
    { why: why('Firehose assumes its role'), principal: m.service('firehose.amazonaws.com'), action: 'sts:AssumeRole', resource: m.arnOf(ingestion.role),
      context: source(m, m.arnOf(ingestion.deliveryStream)), expect: 'allow' },
    { why: why('Firehose reads the domain configuration'), principal: role, action: 'es:DescribeDomain', resource: domain, expect: 'allow' },
    { why: why('Firehose reads the domain configuration'), principal: role, action: 'es:DescribeDomainConfig', resource: domain, expect: 'allow' },
    { why: why('Firehose bulk-indexes documents'), principal: role, action: 'es:ESHttpPost', resource: `${domain}/_bulk`, expect: 'allow' },
    { why: why('Firehose reads the index mapping'), principal: role, action: 'es:ESHttpGet', resource: `${domain}/${index}/_mapping/_doc`, expect: 'allow' },
    { why: why('Firehose reads the cluster stats'), principal: role, action: 'es:ESHttpGet', resource: `${domain}/_cluster/stats`, expect: 'allow' },
    // IAM lets Firehose POST and PUT anywhere on the domain (AWS's documented Firehose policy): the fine-grained access
    // control role it is mapped to limits it to its indexes, inside OpenSearch, which this simulation does not model.
    { why: why('Firehose deletes no index'), principal: role, action: 'es:ESHttpDelete', resource: `${domain}/${index}`, expect: 'deny' },
    { why: why('Firehose keeps the documents it could not index'), principal: role, action: 's3:PutObject', resource: failed, expect: 'allow' },
    { why: why('Firehose writes its error records'), principal: role, action: 's3:PutObject', resource: errors, expect: 'allow' },
    { why: why('Firehose logs destination errors'), principal: role, action: 'logs:PutLogEvents', resource: logStream('DestinationDelivery'),
      expect: 'allow' },
    { why: why('Firehose logs backup errors'), principal: role, action: 'logs:PutLogEvents', resource: logStream('BackupDelivery'), expect: 'allow' },
    { why: why('Firehose deletes no backup object'), principal: role, action: 's3:DeleteObject', resource: failed, expect: 'deny' },
    { why: why('Firehose reads back no backup object (write-only)'), principal: role, action: 's3:GetObject', resource: failed, expect: 'deny' },
  ];
  for (const prefix of ['other/', ...(options.foreignPrefixes ?? [])]) {
    paths.push(
      { why: why(`Firehose writes nothing under ${prefix} of the backup bucket`), principal: role, action: 's3:PutObject',
        resource: `${bucket}/${prefix}part-0`, expect: 'deny' },
      { why: why(`Firehose reads nothing under ${prefix} of the backup bucket`), principal: role, action: 's3:GetObject',
        resource: `${bucket}/${prefix}part-0`, expect: 'deny' });
  }
  if (ingestion.backupBucket.encryptionKey) {
    paths.push({ why: why('Firehose encrypts the backup objects with the bucket key (S3 calls KMS for it)'), principal: role,
      action: 'kms:GenerateDataKey', resource: m.value(ingestion.backupBucket.encryptionKey.keyArn), context: s3Kms(m, options.backupBucket, failed),
      expect: 'allow' });
  }
  if (cluster.vpc) {
    paths.push({ why: why('Firehose creates its ENI in the domain subnets'), principal: role, action: 'ec2:CreateNetworkInterface',
      resource: domainSubnet(m, cluster), expect: 'allow' });
  }
  return paths;
}
