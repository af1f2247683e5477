import { Aws, CfnResource, CustomResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Construct, IDependable } from 'constructs';

import { LifecycleFunction, SERVICE_TIMEOUT } from './lifecycle-function';

/** What every configuration custom resource of one cluster shares. */
export interface ConfigurationContext {
  readonly fn: LifecycleFunction;
  /** Domain endpoint host name (a token). */
  readonly endpoint: string;
  /** The IAM master user role the function assumes, or the internal master user's secret it reads. */
  readonly masterRoleArn?: string;
  readonly masterSecretArn?: string;
  /** What must exist before the function can reach the domain: the domain, the master role's policy, endpoints. */
  readonly waitFor: IDependable[];
}

/**
 * A custom resource served by the cluster's configuration function, calling the domain as the master user.
 * Endpoints of AWS APIs come from the partition (`UrlSuffix`), and CloudFormation waits for the answer at
 * most `SERVICE_TIMEOUT` instead of an hour. The resource itself holds no data (DESTROY); what its Delete
 * does on the domain is the handler's business (it removes only what it owns).
 */
export function configurationResource(scope: Construct, id: string, resourceType: string, ctx: ConfigurationContext,
  properties: Record<string, unknown>): CustomResource {
  const resource = new CustomResource(scope, id, {
    serviceToken: ctx.fn.function.functionArn,
    resourceType,
    serviceTimeout: SERVICE_TIMEOUT,
    properties: {
      Endpoint: ctx.endpoint,
      Region: Stack.of(scope).region,
      UrlSuffix: Aws.URL_SUFFIX,
      RoleArn: ctx.masterRoleArn,
      SecretArn: ctx.masterSecretArn,
      ...properties,
    },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  resource.node.addDependency(ctx.fn, ...ctx.waitFor);
  return resource;
}

/**
 * The key guard: a custom resource the domain waits for, which stops an update that would change the domain's KMS
 * key (that replaces the domain with an empty one) unless `allowKeyChange`.
 */
export function createKeyGuard(scope: Construct, fn: LifecycleFunction, waitFor: IDependable[], cfnDomain: opensearch.CfnDomain,
  o: { domainName: string; encryptionKey: kms.IKey; allowKeyChange?: boolean }): void {
  const guard = new CustomResource(scope, 'KeyGuard', {
    serviceToken: fn.function.functionArn,
    resourceType: 'Custom::OpenSearchKeyGuard',
    serviceTimeout: SERVICE_TIMEOUT,
    properties: {
      DomainName: o.domainName,
      KmsKeyId: o.encryptionKey.keyId,
      AllowKeyChange: o.allowKeyChange ? 'true' : undefined,
    },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  guard.node.addDependency(fn, ...waitFor);
  cfnDomain.addResourceDependency(guard.node.defaultChild as CfnResource);
}
