import { Template } from 'aws-cdk-lib/assertions';

import { OpenSearchLogsStack } from '../../examples/opensearch-logs';
import { TEST_ENV, testApp } from '../util/app';
import { nagAcknowledgments, nagFindings } from '../util/nag';

describe('examples/opensearch-logs', () => {
  let stack: OpenSearchLogsStack;
  let template: Template;
  beforeAll(() => {
    stack = new OpenSearchLogsStack(testApp(), 'OpenSearchLogs', { env: TEST_ENV });
    template = Template.fromStack(stack);
  });

  test('synthesizes the template in the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('needs no context lookup (no AWS call at synth)', () => {
    const assembly = (stack.node.root as import('aws-cdk-lib').App).synth();
    expect(assembly.manifest.missing).toBeUndefined();
  });

  test('passes AwsSolutions, HIPAA Security, NIST 800-53 R5 and PCI DSS 3.2.1 with no unacknowledged finding', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('acknowledges only these findings, each on one resource (contract list)', () => {
    expect(nagAcknowledgments(stack.search)).toEqual([
      'Domain/Resource AwsSolutions-OS3',
      'IsmPolicyFunction/Function/Resource HIPAA.Security-LambdaConcurrency',
      'IsmPolicyFunction/Function/Resource HIPAA.Security-LambdaDLQ',
      'IsmPolicyFunction/Function/Resource NIST.800.53.R5-LambdaConcurrency',
      'IsmPolicyFunction/Function/Resource NIST.800.53.R5-LambdaDLQ',
      'IsmPolicyFunction/Function/Resource PCI.DSS.321-LambdaConcurrency',
      'IsmPolicyFunction/Function/Resource PCI.DSS.321-LambdaDLQ',
      'IsmPolicyFunction/Role/Policy/Resource AwsSolutions-IAM5[Resource::*]',
      `MasterUserRole/Policy/Resource AwsSolutions-IAM5[Resource::arn:aws:es:us-east-1:111111111111:domain/${stack.search.domainName}/*]`,
      // Not a nag finding: the AZ names of the created VPC are literal by design (lib/core/secure-vpc.ts).
      'Network/Vpc/DomainSubnet1/Subnet CloudFormation-Validate::W3010',
      'Network/Vpc/DomainSubnet2/Subnet CloudFormation-Validate::W3010',
      'Network/Vpc/DomainSubnet3/Subnet CloudFormation-Validate::W3010',
    ]);
    expect(nagAcknowledgments(stack.ingestion)).toEqual([
      // The backup bucket is the core DataBucket, with its own contract (test/core/core.test.ts).
      ...['AwsSolutions-S1', 'HIPAA.Security-S3BucketLoggingEnabled', 'HIPAA.Security-S3BucketReplicationEnabled',
        'HIPAA.Security-S3DefaultEncryptionKMS', 'NIST.800.53.R5-S3BucketLoggingEnabled', 'NIST.800.53.R5-S3BucketReplicationEnabled',
        'NIST.800.53.R5-S3DefaultEncryptionKMS', 'PCI.DSS.321-S3BucketLoggingEnabled', 'PCI.DSS.321-S3BucketReplicationEnabled',
        'PCI.DSS.321-S3DefaultEncryptionKMS'].map(id => `Backup/AccessLogs/Resource ${id}`),
      'Backup/Bucket/Resource HIPAA.Security-S3BucketReplicationEnabled',
      'Backup/Bucket/Resource NIST.800.53.R5-S3BucketReplicationEnabled',
      'Backup/Bucket/Resource PCI.DSS.321-S3BucketReplicationEnabled',
      'Role/Policy/Resource AwsSolutions-IAM5[Resource::*]',
      // Write-only, under the stream's two prefixes of the backup bucket.
      'Role/Policy/Resource AwsSolutions-IAM5[Resource::<IngestBackupBucket08D17C60.Arn>/errors/logs/*]',
      'Role/Policy/Resource AwsSolutions-IAM5[Resource::<IngestBackupBucket08D17C60.Arn>/failed/logs/*]',
      'Role/Policy/Resource AwsSolutions-IAM5[Resource::<SearchDomain62FD613E.Arn>/*]',
      'Role/Policy/Resource AwsSolutions-IAM5[Resource::<SearchDomain62FD613E.Arn>/_nodes/*/stats]',
      'Role/Policy/Resource AwsSolutions-IAM5[Resource::<SearchDomain62FD613E.Arn>/logs*/_mapping/*]',
      'Role/Policy/Resource AwsSolutions-IAM5[Resource::<SearchDomain62FD613E.Arn>/logs*/_stats]',
    ]);
    // Nothing else in the stack is acknowledged.
    expect(nagAcknowledgments(stack).filter(a => !a.startsWith('Search/') && !a.startsWith('Ingest/'))).toEqual([]);
  });
});
