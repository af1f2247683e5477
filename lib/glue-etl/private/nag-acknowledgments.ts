import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ManagedPolicyRole } from './managed-policy-role';
import { NagAcknowledgment, acknowledgeNag } from '../../core/nag';

/**
 * Acknowledges, on a Glue role's managed policy, each `AwsSolutions-IAM5` finding the policy has
 * *now*, with the reason that wildcard is needed. The ids are computed from the policy document the
 * way cdk-nag prints them (`Resource::<Bucket.Arn>/raw/*`), so each is exact.
 *
 * Only wildcards this library adds on purpose are recognised; anything else (a grant a user adds
 * later, a new aws-cdk-lib grant) is left for the packs to report.
 */
export function acknowledgeGlueRoleWildcards(role: ManagedPolicyRole): void {
  const cfn = role.policy.node.defaultChild as iam.CfnManagedPolicy;
  const document = Stack.of(role).resolve(cfn.policyDocument) as { Statement?: Statement[] };
  const acks: NagAcknowledgment[] = [];
  const seen = new Set<string>();
  for (const statement of document.Statement ?? []) {
    if (statement.Effect !== 'Allow') continue;
    const findings = [
      ...asArray(statement.Action).filter(a => a.includes('*')).map(a => `Action::${a}`),
      ...asArray(statement.Resource as string | string[] | undefined).map(flatten).filter(r => r.includes('*')).map(r => `Resource::${r}`),
    ];
    for (const finding of findings) {
      if (seen.has(finding)) continue;
      seen.add(finding);
      const reason = reasonFor(finding);
      if (reason) acks.push({ id: `AwsSolutions-IAM5[${finding}]`, reason });
    }
  }
  if (acks.length > 0) acknowledgeNag(cfn, ...acks);
}

interface Statement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Resource?: unknown;
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

function asArray(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** A CloudFormation reference as cdk-nag prints it: `<Logical.Attr>`, `<Logical>`, joins flattened. */
function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  const o = node as Record<string, unknown>;
  if (o['Fn::Join']) {
    const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (o['Fn::Sub']) return flatten(o['Fn::Sub']);
  if (o['Fn::GetAtt']) {
    const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (o['Fn::ImportValue']) return flatten(o['Fn::ImportValue']);
  if (o.Ref) return `<${flatten(o.Ref)}>`;
  return JSON.stringify(node);
}
