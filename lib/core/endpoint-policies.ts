import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';

/**
 * Statements for the policy of an S3 gateway endpoint that let a workload in the VPC reach the
 * AWS-owned buckets it needs. An endpoint policy replaces the endpoint's default full access, so a
 * policy that admits only this account's buckets (`SecureVpc`'s default) blocks them unless they are
 * added: pass these to `SecureVpc`'s `s3EndpointPolicyStatements`.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html#vpc-endpoints-policies-s3
 */
export class S3EndpointAccess {
  /**
   * The AWS-owned buckets an EMR on EC2 cluster reads and writes from a private subnet (releases
   * emr-5.30.0 and later, the ones `EmrCluster` accepts), as the EMR Management Guide lists them:
   * the Amazon Linux 2 and 2023 package repositories and the EMR repository (read), the EMR instance
   * data buckets of emr-8.0.0 and later (read), the EMR system log bucket (write, when logging is on;
   * `aws157-logs-prod` in us-east-1, `aws157-logs-prod-<region>` elsewhere) and the persistent
   * application UI bucket (read and write). Both forms of the names that differ by region are listed,
   * so the statements hold in any region, also an unresolved one.
   *
   * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/private-subnet-iampolicy.html
   */
  public static emrClusters(scope: IConstruct): iam.PolicyStatement[] {
    const region = Stack.of(scope).region;
    const objects = (...buckets: string[]) => buckets.map(b => `arn:${Aws.PARTITION}:s3:::${b}/*`);
    return [
      new iam.PolicyStatement({
        sid: 'EmrAmazonLinuxAndEmrRepositories',
        principals: [new iam.StarPrincipal()],
        actions: ['s3:GetObject'],
        resources: objects(
          `amazonlinux.${region}.amazonaws.com`, `amazonlinux-2-repos-${region}`, // emr-5.30.0 to emr-6.15.0 (Amazon Linux 2)
          `al2023-repos-${region}-de612dc2`, // emr-7.0.0 and later (Amazon Linux 2023)
          `repo.${region}.emr.amazonaws.com`, // emr-5.22.0 and later
          `aws157-instance-data-0-prod-${region}`, `aws157-instance-data-1-prod-${region}`, // emr-8.0.0 and later
          `aws157-instance-data-bucket-0-prod-${region}`, `aws157-instance-data-bucket-1-prod-${region}`, // the same in ap-southeast-2
        ),
      }),
      new iam.PolicyStatement({
        sid: 'EmrSystemLogs',
        principals: [new iam.StarPrincipal()],
        // The guide's actions, as it gives them: what the EMR agent calls on its own bucket is the service's.
        actions: ['s3:Put*'],
        resources: objects('aws157-logs-prod', `aws157-logs-prod-${region}`),
      }),
      new iam.PolicyStatement({
        sid: 'EmrPersistentApplicationUi',
        principals: [new iam.StarPrincipal()],
        // The guide's actions, as it gives them, on this AWS-owned bucket's objects only.
        actions: ['s3:Put*', 's3:Get*', 's3:Create*', 's3:Abort*', 's3:List*'],
        resources: objects(`prod.${region}.appinfo.src`),
      }),
    ];
  }

  private constructor() {}
}

/**
 * S3 gateway endpoint statement: any request through the endpoint, for buckets owned by this account
 * only (`aws:ResourceAccount`), so the VPC cannot write data to another account's bucket. Which
 * operations a caller may run stays the business of its IAM policy and of the bucket policy; the
 * endpoint only decides which buckets can be reached, hence `s3:*`.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount
 */
export function bucketsOfThisAccountStatement(scope: IConstruct): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'BucketsOfThisAccount',
    principals: [new iam.StarPrincipal()],
    actions: ['s3:*'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:ResourceAccount': Stack.of(scope).account } },
  });
}

/** S3 gateway endpoint statement: any request through the endpoint, for `buckets` and their objects only. */
export function givenBucketsStatement(buckets: s3.IBucket[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'GivenBuckets',
    principals: [new iam.StarPrincipal()],
    actions: ['s3:*'],
    resources: buckets.flatMap(b => [b.bucketArn, b.arnForObjects('*')]),
  });
}

/**
 * Interface endpoint statement: any request through the endpoint, by principals of this account only
 * (`aws:PrincipalAccount`). An endpoint serves one service, and what a principal may do there is its IAM
 * policy's business: the endpoint decides whose requests it carries, hence `*` for actions and resources.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
 */
export function principalsOfThisAccountStatement(scope: IConstruct): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'PrincipalsOfThisAccount',
    principals: [new iam.StarPrincipal()],
    actions: ['*'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:PrincipalAccount': Stack.of(scope).account } },
  });
}
