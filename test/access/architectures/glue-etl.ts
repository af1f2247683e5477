/**
 * The run-time paths of a `GlueEtlPipeline`: Glue assumes each job's and crawler's role; jobs read their
 * script, read their source prefixes and write (only) their target prefixes with the lake key, keep
 * bookmarks encrypted with the security configuration's key, log to encrypted log groups, create their
 * ENIs in the connection's subnet and use the one catalog database; crawlers read their paths and write
 * tables and partitions.
 * @see https://docs.aws.amazon.com/glue/latest/dg/create-service-policy.html
 * @see https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html
 */
import { GlueEtlPipeline } from 'cdk-analytics-blueprints';
import { IConstruct } from 'constructs';

import { logsKms, s3Kms } from '../context';
import { AccessModel, AccessPath, Principal } from '../model';

/** What a job or crawler of the pipeline reads and writes, as the example configures it. */
export interface GlueWorkload {
  /** The job's or crawler's role. */
  readonly role: IConstruct;
  /** Its name in test names. */
  readonly name: string;
  /** The Glue log group prefix of its kind: `jobs`, `python-jobs` or `crawlers`. */
  readonly kind: 'jobs' | 'python-jobs' | 'crawlers';
  /** The job resource, whose script Glue loads with the role (jobs only). */
  readonly job?: IConstruct;
  readonly readPrefixes: string[];
  readonly writePrefixes: string[];
  /** Prefixes of the bucket the workload must neither read nor write. */
  readonly foreignPrefixes: string[];
}

/** The paths of a pipeline's jobs and crawlers. */
export function glueEtlPaths(m: AccessModel, pipeline: GlueEtlPipeline, workloads: GlueWorkload[]): AccessPath[] {
  const bucket = m.value(pipeline.bucket.bucketArn);
  const lakeKey = pipeline.bucket.encryptionKey ? m.value(pipeline.bucket.encryptionKey.keyArn) : undefined;
  const opsKey = m.value(pipeline.encryptionKey.keyArn);
  const database = m.value(pipeline.database.databaseName);
  const config = m.value(pipeline.securityConfiguration.securityConfigurationName);
  const glue = (r: string) => `arn:aws:glue:${m.region}:${m.account}:${r}`;
  const connection = pipeline.network?.connection;
  const subnet = pipeline.network ? `arn:aws:ec2:${m.region}:${m.account}:subnet/${m.value(pipeline.network.subnet.subnetId)}` : undefined;

  return workloads.flatMap(w => {
    const role: Principal = m.role(w.role);
    const roleName = m.cfn.nameOf(m.logicalId(w.role));
    const why = (s: string) => `${w.name}: ${s}`;
    const obj = (prefix: string, file = 'part-00000.parquet') => `${bucket}/${prefix}${file}`;
    // With a security configuration, Glue names the log group after the configuration and the role.
    // https://docs.aws.amazon.com/glue/latest/webapi/API_JobRun.html (LogGroupName)
    const logGroup = w.kind === 'crawlers' ? `/aws-glue/crawlers-role/${roleName}-${config}` : `/aws-glue/${w.kind}-${roleName}-${config}`;
    const logGroupArn = `arn:aws:logs:${m.region}:${m.account}:log-group:${logGroup}`;
    const paths: AccessPath[] = [
      { why: why('Glue assumes the role'), principal: m.service('glue.amazonaws.com'), action: 'sts:AssumeRole', resource: m.arnOf(w.role),
        expect: 'allow' },
      { why: why('Glue creates the encrypted log group'), principal: role, action: 'logs:CreateLogGroup', resource: logGroupArn, expect: 'allow' },
      { why: why('Glue associates the security configuration key with the log group'), principal: role, action: 'logs:AssociateKmsKey',
        resource: logGroupArn, expect: 'allow' },
      { why: why('Glue writes the run log'), principal: role, action: 'logs:PutLogEvents', resource: `${logGroupArn}:log-stream:jr_0001`,
        expect: 'allow' },
      ...['kms:GenerateDataKey', 'kms:Decrypt'].map((action): AccessPath => ({
        why: why('CloudWatch Logs encrypts the run log with the security configuration key'), principal: m.service(`logs.${m.region}.amazonaws.com`),
        action, resource: opsKey, context: logsKms(logGroupArn), expect: 'allow' })),
      ...['glue:GetDatabase', 'glue:GetTable', 'glue:CreateTable', 'glue:UpdateTable', 'glue:BatchCreatePartition'].flatMap(action =>
        [glue('catalog'), glue(`database/${database}`), ...(action === 'glue:GetDatabase' ? [] : [glue(`table/${database}/events`)])]
          .map((resource): AccessPath => ({
          why: why('reads and registers tables and partitions of the pipeline database'), principal: role, action, resource, expect: 'allow' }))),
      { why: why('uses no other catalog database'), principal: role, action: 'glue:GetTable', resource: glue('table/other_database/events'),
        expect: 'deny' },
      { why: why('deletes no table'), principal: role, action: 'glue:DeleteTable', resource: glue(`table/${database}/events`), expect: 'deny' },
      { why: why('lists the lake bucket'), principal: role, action: 's3:ListBucket', resource: bucket, expect: 'allow' },
    ];
    if (connection && subnet) {
      paths.push(
        { why: why('reads the NETWORK connection'), principal: role, action: 'glue:GetConnection',
          resource: glue(`connection/${m.value(connection.connectionName)}`), expect: 'allow' },
        { why: why('Glue creates its ENI in the connection subnet'), principal: role, action: 'ec2:CreateNetworkInterface', resource: subnet,
          expect: 'allow' },
        { why: why('Glue tags its ENI'), principal: role, action: 'ec2:CreateTags',
          resource: `arn:aws:ec2:${m.region}:${m.account}:network-interface/eni-0123456789abcdef0`,
          context: { 'aws:TagKeys': ['aws-glue-service-resource'], 'aws:RequestTag/aws-glue-service-resource': 'true' }, expect: 'allow' },
        { why: why('tags no ENI with other tags'), principal: role, action: 'ec2:CreateTags',
          resource: `arn:aws:ec2:${m.region}:${m.account}:network-interface/eni-0123456789abcdef0`,
          context: { 'aws:TagKeys': ['Name'], 'aws:RequestTag/Name': 'x' }, expect: 'deny' });
    }
    if (w.kind !== 'crawlers') {
      paths.push(
        ...['kms:GenerateDataKey', 'kms:Decrypt'].map((action): AccessPath => ({
          why: why('encrypts and decrypts its job bookmarks with the security configuration key (CSE-KMS: the role calls KMS)'),
          principal: role, action, resource: opsKey, expect: 'allow' })),
        { why: why('publishes its job metrics'), principal: role, action: 'cloudwatch:PutMetricData', resource: '*',
          context: { 'cloudwatch:namespace': 'Glue' }, expect: 'allow' },
        { why: why('publishes no metric outside the Glue namespace'), principal: role, action: 'cloudwatch:PutMetricData', resource: '*',
          context: { 'cloudwatch:namespace': 'Custom' }, expect: 'deny' },
        { why: why('writes temporary files'), principal: role, action: 's3:PutObject', resource: obj('glue/temporary/', 'tmp-1'), expect: 'allow' });
      if (w.job) {
        const script = m.cfn.str((m.cfn.resource(m.logicalId(w.job)).Properties!.Command as { ScriptLocation: unknown }).ScriptLocation);
        paths.push({ why: why('Glue loads the job script with the role'), principal: role, action: 's3:GetObject',
          resource: `arn:aws:s3:::${script.replace(/^s3:\/\//, '')}`, expect: 'allow' });
      }
    }
    for (const prefix of w.readPrefixes) {
      paths.push(
        { why: why(`reads its source ${prefix}`), principal: role, action: 's3:GetObject', resource: obj(prefix), expect: 'allow' },
        ...(w.writePrefixes.includes(prefix) ? [] : [
          { why: why(`never writes its source ${prefix}`), principal: role, action: 's3:PutObject', resource: obj(prefix), expect: 'deny' as const },
          { why: why(`never deletes its source ${prefix}`), principal: role, action: 's3:DeleteObject', resource: obj(prefix), expect: 'deny' as const },
        ]));
    }
    for (const prefix of w.writePrefixes) {
      paths.push(
        { why: why(`writes its target ${prefix}`), principal: role, action: 's3:PutObject', resource: obj(prefix), expect: 'allow' },
        { why: why(`replaces files of its target ${prefix} (Spark commit)`), principal: role, action: 's3:DeleteObject', resource: obj(prefix),
          expect: 'allow' });
    }
    for (const prefix of w.foreignPrefixes) {
      paths.push(
        { why: why(`reads nothing under ${prefix}`), principal: role, action: 's3:GetObject', resource: obj(prefix), expect: 'deny' },
        { why: why(`writes nothing under ${prefix}`), principal: role, action: 's3:PutObject', resource: obj(prefix), expect: 'deny' });
    }
    if (lakeKey) {
      const some = w.writePrefixes[0] ?? w.readPrefixes[0];
      const ctx = s3Kms(m, pipeline.bucket, obj(some));
      paths.push({ why: why('decrypts lake objects (S3 calls KMS for it)'), principal: role, action: 'kms:Decrypt', resource: lakeKey, context: ctx,
        expect: 'allow' });
      if (w.writePrefixes.length || w.kind !== 'crawlers') {
        paths.push({ why: why('encrypts what it writes with the lake key (S3 calls KMS for it)'), principal: role, action: 'kms:GenerateDataKey',
          resource: lakeKey, context: ctx, expect: 'allow' });
      }
    }
    return paths;
  });
}
