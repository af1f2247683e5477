/**
 * Runtime access of the core network and bucket grants, as a user builds them: a `SecureVpc` whose flow logs
 * are encrypted with a key of the app (named and unnamed log groups) or its own key; a `DataBucket` granted
 * read to one `ManagedPolicyRole` and read-write on a prefix to another. The flow logs service may assume the
 * delivery role only for flow logs of this account; CloudWatch Logs may use a passed key for the flow log
 * group; the grants' exact actions are enough for what readers and writers do, and no more.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

import { DataBucket, ManagedPolicyRole, SecureVpc } from '../../lib';
import { testStack } from '../util/app';
import { logsKms, s3Kms, source } from './context';
import { generatedPaths } from './generated';
import { AccessModel, AccessPath } from './model';
import { proveAccess } from './prove';

const stack = testStack('CoreNetwork');
const appKey = new kms.Key(stack, 'AppKey', { enableKeyRotation: true });
const named = new SecureVpc(stack, 'Named', {
  availabilityZones: ['us-east-1a', 'us-east-1b'], flowLogEncryptionKey: appKey, flowLogGroupName: '/vpc/named',
});
const unnamed = new SecureVpc(stack, 'Unnamed', { availabilityZones: ['us-east-1a', 'us-east-1b'], cidr: '10.1.0.0/16', flowLogEncryptionKey: appKey });
new SecureVpc(stack, 'OwnKey', { availabilityZones: ['us-east-1a', 'us-east-1b'], cidr: '10.2.0.0/16' });
const lake = new DataBucket(stack, 'Lake');
const reader = new ManagedPolicyRole(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
const writer = new ManagedPolicyRole(stack, 'Writer', { assumedBy: new iam.AccountRootPrincipal() });
lake.grantRead(reader);
lake.grantReadWrite(writer, 'curated/*');
const m = AccessModel.of(stack);

const flowLogs = m.service('vpc-flow-logs.amazonaws.com');
const logsService = m.service(`logs.${m.region}.amazonaws.com`);
const role = m.arnOf(named.flowLogRole);
const key = m.value(appKey.keyArn);
const otherAccountFlowLog = 'arn:aws:ec2:us-east-1:222222222222:vpc-flow-log/fl-0123456789abcdef0';
const bucket = m.arnOf(lake.bucket);
const lakeKey = m.value(lake.encryptionKey.keyArn);
const curated = `${bucket}/curated/events/part-0000.parquet`;
const raw = `${bucket}/raw/2026/12/02/batch-1.json`;
const byS3 = (object: string) => s3Kms(m, lake.bucket, object);

const paths: AccessPath[] = [
  // Flow logs: the trust policy's aws:SourceAccount and aws:SourceArn (generated paths prove the allowed case).
  { why: 'the flow logs service cannot be made to deliver another account\'s flow log with this role (confused deputy)',
    principal: flowLogs, action: 'sts:AssumeRole', resource: role,
    context: { 'aws:SourceAccount': '222222222222', 'aws:SourceArn': otherAccountFlowLog }, expect: 'deny' },
  { why: 'the trust policy admits flow logs only, not another resource of this account that the service might act for',
    principal: flowLogs, action: 'sts:AssumeRole', resource: role,
    context: source(m, `arn:aws:ec2:${m.region}:${m.account}:transit-gateway-attachment/tgw-attach-0123456789abcdef0`), expect: 'deny' },
  // The passed key: CloudWatch Logs may use it for the named flow log group, and the unnamed one, only.
  { why: 'CloudWatch Logs encrypts the named flow log group with the key the user passed', principal: logsService,
    action: 'kms:GenerateDataKey', resource: key, context: logsKms(m.value(named.flowLogGroup.logGroupArn)), expect: 'allow' },
  { why: 'CloudWatch Logs encrypts the unnamed flow log group with the key the user passed', principal: logsService,
    action: 'kms:GenerateDataKey', resource: key, context: logsKms(m.value(unnamed.flowLogGroup.logGroupArn)), expect: 'allow' },
  { why: 'CloudWatch Logs of another account cannot use the key', principal: logsService, action: 'kms:GenerateDataKey', resource: key,
    context: logsKms('arn:aws:logs:us-east-1:222222222222:log-group:/vpc/named'), expect: 'deny' },
  // DataBucket.grantRead on a ManagedPolicyRole: the exact actions suffice to list and read, and write nothing.
  { why: 'a reader lists the bucket', principal: m.role(reader), action: 's3:ListBucket', resource: bucket, expect: 'allow' },
  { why: 'a reader reads an object', principal: m.role(reader), action: 's3:GetObject', resource: raw, expect: 'allow' },
  { why: 'a reader decrypts it (S3 calls KMS for it)', principal: m.role(reader), action: 'kms:Decrypt', resource: lakeKey,
    context: byS3(raw), expect: 'allow' },
  { why: 'a reader writes nothing', principal: m.role(reader), action: 's3:PutObject', resource: raw, expect: 'deny' },
  { why: 'a reader generates no data key (it cannot encrypt uploads)', principal: m.role(reader), action: 'kms:GenerateDataKey',
    resource: lakeKey, context: byS3(raw), expect: 'deny' },
  { why: 'a reader reads no noncurrent version (not granted)', principal: m.role(reader), action: 's3:GetObjectVersion', resource: raw,
    expect: 'deny' },
  // DataBucket.grantReadWrite on curated/*: the prefix, list included, and nothing that destroys versions.
  { why: 'a writer lists its prefix', principal: m.role(writer), action: 's3:ListBucket', resource: bucket,
    context: { 's3:prefix': 'curated/events/' }, expect: 'allow' },
  { why: 'a writer lists no other prefix', principal: m.role(writer), action: 's3:ListBucket', resource: bucket,
    context: { 's3:prefix': 'raw/' }, expect: 'deny' },
  { why: 'a writer writes under its prefix', principal: m.role(writer), action: 's3:PutObject', resource: curated, expect: 'allow' },
  { why: 'a writer encrypts the upload (S3 asks KMS for a data key)', principal: m.role(writer), action: 'kms:GenerateDataKey',
    resource: lakeKey, context: byS3(curated), expect: 'allow' },
  { why: 'a writer completes a multipart upload (S3 decrypts the parts)', principal: m.role(writer), action: 'kms:Decrypt',
    resource: lakeKey, context: byS3(curated), expect: 'allow' },
  { why: 'a writer aborts a failed multipart upload', principal: m.role(writer), action: 's3:AbortMultipartUpload', resource: curated,
    expect: 'allow' },
  { why: 'a writer deletes (a delete marker) under its prefix', principal: m.role(writer), action: 's3:DeleteObject', resource: curated,
    expect: 'allow' },
  { why: 'a writer removes no version for good', principal: m.role(writer), action: 's3:DeleteObjectVersion', resource: curated,
    expect: 'deny' },
  { why: 'a writer writes nothing outside its prefix', principal: m.role(writer), action: 's3:PutObject', resource: raw, expect: 'deny' },
  { why: 'a writer changes no object ACL or tag', principal: m.role(writer), action: 's3:PutObjectTagging', resource: curated, expect: 'deny' },
];

describe('core network and DataBucket grants: runtime access', () => {
  proveAccess(m, [...paths, ...generatedPaths(m)]);
});
