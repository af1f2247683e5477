import * as iam from 'aws-cdk-lib/aws-iam';
import { IDependable } from 'constructs';

/**
 * A view of `role` on which policy additions are accepted and dropped.
 *
 * aws-cdk-lib's Firehose S3 destination always calls `bucket.grantReadWrite(role)`, which allows
 * `s3:DeleteObject*` and `s3:PutObject` on the whole bucket. The issue asks for a role that writes only
 * under the lake's two prefixes, so the delivery stream is given this view: every grant the L2 makes
 * (source, bucket, schema, logs, processor) is reported as added but not attached, and
 * `StreamingDataLake` attaches its own scoped statements to the real role instead. The real role is
 * unchanged otherwise (same ARN, same trust policy). `policy` is the scoped policy, returned as what
 * the L2 resources depend on, so they are created after it.
 */
export function withDroppedGrants(role: iam.IRole, policy: IDependable): iam.IRole {
  const view: iam.IRole = new Proxy(role, {
    get(target, property, receiver) {
      switch (property) {
        case 'grantPrincipal':
          return view;
        case 'addToPrincipalPolicy':
          return (_statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult => ({ statementAdded: true, policyDependable: policy });
        case 'addToPolicy':
          return (_statement: iam.PolicyStatement): boolean => true;
        default: {
          const value = Reflect.get(target, property, receiver === view ? target : receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        }
      }
    },
  });
  return view;
}
