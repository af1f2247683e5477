import { Annotations, CfnDeletionPolicy, CfnResource, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';

/**
 * The removal policy of each part of a warehouse, derived from the cluster's (already resolved) policy.
 *
 * CloudFormation cannot delete what a live cluster still uses: a subnet group, a parameter group, a security
 * group or a subnet in use makes `cdk destroy` fail. So whatever keeps the cluster keeps those too, with the
 * same policy: `RETAIN` keeps them always, `RETAIN_ON_UPDATE_OR_DELETE` (CloudFormation `RetainExceptOnCreate`)
 * keeps them on delete and deletes them, cluster first, when the stack's create rolls back, so that a retry
 * does not collide with what a failed first deploy left behind.
 *
 * `SNAPSHOT` applies to the cluster only (CloudFormation supports it for `AWS::Redshift::Cluster`, not for keys or
 * log groups): Redshift takes a final snapshot and deletes the cluster, so what the cluster used can go, but the
 * key that decrypts the final snapshot and the audit logs are kept (`RETAIN_ON_UPDATE_OR_DELETE`).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
 */
export interface WarehouseRemovalPolicies {
  /** The cluster. */
  readonly cluster: RemovalPolicy;
  /** What holds or decrypts the cluster's data once the cluster is gone: the key, the audit and flow log groups. */
  readonly data: RemovalPolicy;
  /**
   * What the cluster uses while it exists: subnet, parameter and security groups, the Spectrum role, and the
   * VPC and subnets the warehouse created. Applied as DeletionPolicy only: a replaced one is deleted once the
   * cluster uses its replacement.
   */
  readonly clusterDependencies: RemovalPolicy;
}

/** The policies of every part, from the cluster's resolved removal policy. */
export function warehouseRemovalPolicies(cluster: RemovalPolicy): WarehouseRemovalPolicies {
  if (cluster === RemovalPolicy.SNAPSHOT) {
    return { cluster, data: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, clusterDependencies: RemovalPolicy.DESTROY };
  }
  return { cluster, data: cluster, clusterDependencies: cluster };
}

/**
 * Applies `policy` as the DeletionPolicy of the CloudFormation resource of each construct.
 *
 * A kept resource then has `DeletionPolicy` without `UpdateReplacePolicy`, which cfn-lint's W3011 (run by
 * aws-cdk-lib's CloudFormation validation at synth) warns about. That is the intent here, acknowledged on each
 * such resource: the cluster moves to a replaced subnet group, parameter group, security group or role before
 * CloudFormation deletes the old one, so keeping every replaced one would only leave orphans behind.
 */
export function applyDeletionPolicy(policy: RemovalPolicy, ...constructs: IConstruct[]): void {
  for (const c of constructs) {
    const resource = CfnResource.isCfnResource(c) ? c : c.node.defaultChild;
    if (resource && CfnResource.isCfnResource(resource)) {
      resource.applyRemovalPolicy(policy, { applyToUpdateReplacePolicy: false });
      if (policy !== RemovalPolicy.DESTROY) {
        Validations.of(resource).acknowledge({
          id: 'CloudFormation-Validate::W3011',
          reason: 'Kept on stack deletion because the kept cluster still uses it; on replacement the cluster moves to the ' +
            'new one first, so the replaced one is deleted instead of left behind as an orphan.',
        });
      }
    }
  }
}

/** The VPC and subnets of a VPC the warehouse created, which the cluster's network interfaces live in. */
export function networkOf(vpc: ec2.Vpc): IConstruct[] {
  return [vpc, ...vpc.isolatedSubnets, ...vpc.privateSubnets, ...vpc.publicSubnets];
}

/**
 * Warns when a kept cluster sits in subnets of its own stack that `cdk destroy` deletes: CloudFormation cannot
 * delete a subnet that the kept cluster's network interfaces use, so the deletion fails there. Checked at
 * synth, after the user had every chance to set the subnets' policies.
 */
export function warnIfSubnetsDeletedUnderCluster(scope: IConstruct, subnets: ec2.ISubnet[], clusterPolicy: RemovalPolicy): void {
  if (clusterPolicy === RemovalPolicy.DESTROY || clusterPolicy === RemovalPolicy.SNAPSHOT) return;
  scope.node.addValidation({
    validate: () => {
      const stack = Stack.of(scope);
      const deleted = subnets.filter(sn => {
        const resource = sn.node.defaultChild;
        if (!resource || !CfnResource.isCfnResource(resource) || Stack.of(resource) !== stack) return false;
        const policy = resource.cfnOptions.deletionPolicy;
        return policy !== CfnDeletionPolicy.RETAIN && policy !== CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE;
      });
      if (deleted.length > 0) {
        Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:redshiftNetworkDeletedUnderCluster',
          `the cluster is kept when the stack is deleted, but its subnets ${deleted.map(sn => sn.node.path).join(', ')} are deleted: ` +
          'CloudFormation cannot delete a subnet that a kept cluster uses, so cdk destroy fails there. Give these subnets the ' +
          "cluster's removal policy (applyRemovalPolicy on their CfnSubnet), or use a VPC of another stack");
      }
      return [];
    },
  });
}
