/**
 * The run-time paths of a `RedshiftWarehouse`:
 * - Redshift of the warehouse's region assumes the Spectrum role (the regional principal its trust policy names),
 *   which reads (only) the lake objects, decrypts them and reads the table definitions of the Glue databases it
 *   was given;
 * - Redshift publishes its event notifications (failed snapshots, a stopped cross-region copy) to their topic and
 *   uses the topic key;
 * - the deployer can have Redshift create the KMS grants the cluster needs on the cluster key, and nobody can
 *   create a grant for anything but an AWS resource.
 * @see https://docs.aws.amazon.com/redshift/latest/dg/c-spectrum-iam-policies.html
 * @see https://docs.aws.amazon.com/redshift/latest/mgmt/authorizing-redshift-service.html#authorizing-redshift-service-regions
 * @see https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-event-notifications.html
 */
import { RedshiftWarehouse } from 'cdk-analytics-blueprints';
import { IConstruct } from 'constructs';

import { logsKms, s3Kms } from '../context';
import { AccessModel, AccessPath, Principal } from '../model';

/** What the example gives Spectrum. */
export interface RedshiftPathOptions {
  /** The lake buckets (their bucket constructs). */
  readonly lakeBuckets: IConstruct[];
  readonly glueDatabases: string[];
}

/** The role CloudFormation deploys with: it may do anything its account's key policies let it. */
export function deployer(m: AccessModel): Principal {
  return {
    kind: 'external', label: 'the deployment role', roleArn: `arn:aws:iam::${m.account}:role/cdk-deploy`,
    identityPolicies: [{ name: 'AdministratorAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
  };
}

/**
 * CreateCluster (and CreateSnapshotCopyGrant) have Redshift create KMS grants on the deployer's behalf
 * (`kms:GrantIsForAWSResource` true, through Redshift). A key the library created also refuses a direct grant
 * (a key the user passed keeps the user's policy).
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
 */
export function redshiftGrantPaths(m: AccessModel, keyArn: string, why: string, libraryKey: boolean): AccessPath[] {
  const via = { 'kms:ViaService': `redshift.${m.region}.amazonaws.com` };
  const paths: AccessPath[] = [
    { why: `${why}: Redshift creates the grant it uses the key through`, principal: deployer(m), action: 'kms:CreateGrant', resource: keyArn,
      context: { ...via, 'kms:GrantIsForAWSResource': 'true' }, expect: 'allow' },
  ];
  if (libraryKey) {
    paths.push({ why: `${why}: nobody creates a grant for anything but an AWS resource`, principal: deployer(m), action: 'kms:CreateGrant',
      resource: keyArn, context: { 'kms:GrantIsForAWSResource': 'false' }, expect: 'deny' });
  }
  return paths;
}

/**
 * The Data API function of a warehouse that has external schemas or database groups: Lambda assumes its role; the
 * role runs statements on this cluster only, follows only the statements it ran (Redshift sends the statement
 * owner's user ID as `redshift-data:statement-owner-iam-userid`), and, as the Data API reads the admin secret with
 * the caller's permissions, reads that secret only and decrypts it only through Secrets Manager for that secret.
 * @see https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-access.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonredshiftdataapi.html
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
 */
export function redshiftDataApiPaths(m: AccessModel, warehouse: RedshiftWarehouse): AccessPath[] {
  const fn = warehouse.node.tryFindChild('DataApiFunction');
  if (!fn) return [];
  const why = (s: string) => `${warehouse.node.path}: the Data API function ${s}`;
  const roleConstruct = fn.node.findChild('Role');
  const role = m.role(roleConstruct);
  const roleId = m.cfn.str(m.cfn.getAtt(m.logicalId(roleConstruct), 'RoleId'));
  const userId = `${roleId}:access-simulation`;
  const cluster = m.arnOf(warehouse.cluster);
  const secret = m.value(warehouse.adminSecretArn);
  const key = m.value(warehouse.encryptionKey.keyArn);
  const viaSecretsManager = { 'kms:ViaService': `secretsmanager.${m.region}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': secret };
  const logGroup = m.arnOf(fn.node.findChild('Logs'));
  return [
    { why: why('runs as its role (Lambda assumes it)'), principal: m.service('lambda.amazonaws.com'), action: 'sts:AssumeRole',
      resource: m.arnOf(roleConstruct), expect: 'allow' },
    { why: why('runs SQL on the warehouse\'s cluster'), principal: role, action: 'redshift-data:ExecuteStatement', resource: cluster, expect: 'allow' },
    { why: why('runs SQL on no other cluster'), principal: role, action: 'redshift-data:ExecuteStatement',
      resource: cluster.replace(/:cluster:.*$/, ':cluster:other-cluster'), expect: 'deny' },
    ...['redshift-data:DescribeStatement', 'redshift-data:GetStatementResult', 'redshift-data:CancelStatement'].flatMap(action => [
      { why: why(`follows the statements it ran (${action})`), principal: role, action, resource: '*',
        context: { 'aws:userid': userId, 'redshift-data:statement-owner-iam-userid': userId }, expect: 'allow' as const },
      { why: why(`cannot follow statements someone else ran (${action})`), principal: role, action, resource: '*',
        context: { 'aws:userid': userId, 'redshift-data:statement-owner-iam-userid': 'AROAOTHERPRINCIPAL:analyst' }, expect: 'deny' as const },
    ]),
    { why: why('reads the admin secret (the Data API reads it with the caller\'s permissions)'), principal: role,
      action: 'secretsmanager:GetSecretValue', resource: secret, expect: 'allow' },
    { why: why('reads no other secret'), principal: role, action: 'secretsmanager:GetSecretValue',
      resource: `arn:aws:secretsmanager:${m.region}:${m.account}:secret:other-AbCdEf`, expect: 'deny' },
    { why: why('decrypts the admin secret, which Secrets Manager does with the cluster key'), principal: role, action: 'kms:Decrypt',
      resource: key, context: viaSecretsManager, expect: 'allow' },
    { why: why('cannot decrypt with the cluster key directly'), principal: role, action: 'kms:Decrypt', resource: key, expect: 'deny' },
    { why: why('cannot decrypt another secret with the cluster key'), principal: role, action: 'kms:Decrypt', resource: key,
      context: { ...viaSecretsManager, 'kms:EncryptionContext:SecretARN': `arn:aws:secretsmanager:${m.region}:${m.account}:secret:other-AbCdEf` },
      expect: 'deny' },
    { why: why('writes its log'), principal: role, action: 'logs:PutLogEvents',
      resource: `${logGroup.replace(/:\*$/, '')}:log-stream:2026/01/02/[$LATEST]abc`, expect: 'allow' },
  ];
}

/** The paths of one warehouse. */
export function redshiftPaths(m: AccessModel, warehouse: RedshiftWarehouse, options: RedshiftPathOptions): AccessPath[] {
  const why = (s: string) => `${warehouse.node.path}: ${s}`;
  const clusterKey = m.value(warehouse.encryptionKey.keyArn);
  const libraryKey = warehouse.node.tryFindChild('Key') === warehouse.encryptionKey;
  const paths: AccessPath[] = [
    ...redshiftGrantPaths(m, clusterKey, why('the cluster is encrypted with its key'), libraryKey),
    ...eventPaths(m, warehouse, why),
    ...redshiftDataApiPaths(m, warehouse),
  ];
  if (libraryKey) {
    // The key policy lets CloudWatch Logs use the key for this cluster's log groups only (the allows are generated).
    paths.push({ why: why('CloudWatch Logs cannot use the cluster key for a log group of someone else'), principal: m.service(`logs.${m.region}.amazonaws.com`),
      action: 'kms:GenerateDataKey', resource: clusterKey, context: logsKms(`arn:aws:logs:${m.region}:${m.account}:log-group:/aws/lambda/other`),
      expect: 'deny' });
  }
  const role = warehouse.spectrumRole;
  if (!role) return paths;
  const spectrum = m.role(role);
  const glue = (r: string) => `arn:aws:glue:${m.region}:${m.account}:${r}`;
  paths.push(
    { why: why('Redshift of the warehouse region assumes the Spectrum role for external schema queries'),
      principal: m.service(`redshift.${m.region}.amazonaws.com`), action: 'sts:AssumeRole', resource: m.arnOf(role), expect: 'allow' },
    { why: why('Redshift of another region cannot assume the Spectrum role'),
      principal: m.service('redshift.eu-west-3.amazonaws.com'), action: 'sts:AssumeRole', resource: m.arnOf(role), expect: 'deny' },
  );
  for (const b of options.lakeBuckets) {
    const bucket = m.arnOf(b);
    const obj = `${bucket}/clicks/event_type=click/year=2026/month=12/day=02/hour=10/delivery-1`;
    const encryption = m.cfn.resolve(m.cfn.resource(m.logicalId(b)).Properties?.BucketEncryption) as
      { ServerSideEncryptionConfiguration: Array<{ ServerSideEncryptionByDefault: { KMSMasterKeyID?: string } }> };
    const key = encryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID;
    paths.push(
      { why: why('Spectrum lists the lake partitions'), principal: spectrum, action: 's3:ListBucket', resource: bucket, expect: 'allow' },
      { why: why('Spectrum reads the lake files'), principal: spectrum, action: 's3:GetObject', resource: obj, expect: 'allow' },
      { why: why('Spectrum never writes the lake'), principal: spectrum, action: 's3:PutObject', resource: obj, expect: 'deny' },
      { why: why('Spectrum never deletes from the lake'), principal: spectrum, action: 's3:DeleteObject', resource: obj, expect: 'deny' },
    );
    if (key) {
      paths.push({ why: why('Spectrum decrypts the lake files (S3 calls KMS for it)'), principal: spectrum, action: 'kms:Decrypt', resource: key,
        context: s3Kms(m, b, obj), expect: 'allow' });
    }
  }
  for (const db of options.glueDatabases) {
    for (const action of ['glue:GetTable', 'glue:GetPartitions']) {
      for (const resource of [glue('catalog'), glue(`database/${db}`), glue(`table/${db}/clicks`)]) {
        paths.push({ why: why(`Spectrum reads the table definitions of ${db}`), principal: spectrum, action, resource, expect: 'allow' });
      }
    }
    paths.push(
      { why: why(`Spectrum changes no table of ${db}`), principal: spectrum, action: 'glue:UpdateTable', resource: glue(`table/${db}/clicks`),
        expect: 'deny' },
      { why: why(`Spectrum creates no table in ${db}`), principal: spectrum, action: 'glue:CreateTable', resource: glue(`table/${db}/clicks`),
        expect: 'deny' });
  }
  paths.push({ why: why('Spectrum reads no other catalog database'), principal: spectrum, action: 'glue:GetTable',
    resource: glue('table/other_db/clicks'), expect: 'deny' });
  return paths;
}

/**
 * Redshift publishes each event subscription's notifications to its topic and, for an encrypted topic, uses the
 * key (SNS calls KMS with the topic as encryption context). Redshift documents no aws:SourceArn/aws:SourceAccount
 * for its event publishing, so none is sent here: the policies must admit it without them.
 */
function eventPaths(m: AccessModel, warehouse: RedshiftWarehouse, why: (s: string) => string): AccessPath[] {
  return warehouse.eventSubscriptions.flatMap(subscription => {
    const topicArn = m.value(subscription.snsTopicArn!);
    const what = why(`Redshift publishes the ${subscription.sourceType ?? 'every'} events of subscription ${subscription.subscriptionName}`);
    const paths: AccessPath[] = [{ why: what, principal: m.service('redshift.amazonaws.com'), action: 'sns:Publish', resource: topicArn,
      context: { 'aws:SourceOwner': m.account }, expect: 'allow' }];
    const topicId = m.resourceIdOf(topicArn);
    const keyRef = topicId === undefined ? undefined : m.cfn.resource(topicId).Properties?.KmsMasterKeyId;
    if (keyRef !== undefined) {
      const key = m.cfn.str(keyRef);
      const keyArn = key.startsWith('arn:') ? key : m.cfn.arn(key);
      for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
        paths.push({ why: `${what}, encrypted: SNS uses the topic key for Redshift`, principal: m.service('redshift.amazonaws.com'), action,
          resource: keyArn, context: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn }, expect: 'allow' });
      }
      paths.push({ why: `${what}: the topic key serves Redshift for SNS topics only`, principal: m.service('redshift.amazonaws.com'),
        action: 'kms:Decrypt', resource: keyArn, expect: 'deny' });
    }
    return paths;
  });
}
