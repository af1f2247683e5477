import { ManagedPolicyRole } from '../../core/managed-policy-role';
import { acknowledgeNag, NagAcknowledgment, wildcardFindings } from '../../core/nag';

/**
 * Acknowledges, on a Glue role's managed policy, each `AwsSolutions-IAM5` finding the policy has
 * *now*, with the reason that wildcard is needed. The ids are computed from the policy document the
 * way cdk-nag prints them (`Resource::<Bucket.Arn>/raw/*`), so each is exact.
 *
 * Only wildcards this library adds on purpose are recognised; anything else (a grant a user adds
 * later, a new aws-cdk-lib grant) is left for the packs to report.
 */
export function acknowledgeGlueRoleWildcards(role: ManagedPolicyRole): void {
  const acks: NagAcknowledgment[] = [];
  for (const finding of wildcardFindings(role.policy)) {
    const reason = reasonFor(finding);
    if (reason) acks.push({ id: `AwsSolutions-IAM5[${finding}]`, reason });
  }
  if (acks.length > 0) acknowledgeNag(role.policy.node.defaultChild!, ...acks);
}

function reasonFor(finding: string): string | undefined {
  const [kind, value] = [finding.slice(0, finding.indexOf('::')), finding.slice(finding.indexOf('::') + 2)];
  if (kind === 'Action') {
    if (/^kms:(GenerateDataKey|ReEncrypt)\*$/.test(value)) {
      return 'Action groups of aws-cdk-lib key grants (encrypt/decrypt); the statement names the specific keys of the lake and security configuration.';
    }
    if (/^s3:(Abort|DeleteObject|GetBucket|GetObject|List)\*$/.test(value)) {
      return 'Action groups of aws-cdk-lib bucket grants; the statement is scoped to the lake prefixes (or the CDK asset bucket) listed in this policy.';
    }
    return undefined;
  }
  if (value === '*') {
    return 'ec2 Describe* and the ENI create/delete Glue performs for the NETWORK connection have no resource-level permissions; ' +
      'cloudwatch:PutMetricData is limited to the Glue namespace by condition.';
  }
  if (/:network-interface\/\*$/.test(value)) {
    return 'Glue tags the ENIs it creates at run time; the ids are unknown and the statement only allows the aws-glue-service-resource tag key.';
  }
  if (/:table\/.+\/\*$/.test(value)) {
    return 'Tables of the one pipeline database, created by crawlers and jobs at run time, so their names are unknown at deploy time.';
  }
  if (/:log-group:\/aws-glue\/(jobs|python-jobs|crawlers)\*(:\*)?$/.test(value)) {
    return 'Glue names its log groups and streams at run time under /aws-glue/ (e.g. /aws-glue/jobs/<security-configuration>-role/<role>/output).';
  }
  if (/cdk-[a-z0-9]+-assets-/.test(value) && value.endsWith('/*')) {
    return 'Read of the CDK asset bucket that holds the job script and libraries; asset keys are content hashes only known at synth.';
  }
  if (value.endsWith('/*')) {
    return 'Objects under one lake prefix this job or crawler reads or writes; object keys are produced at run time.';
  }
  return undefined;
}
