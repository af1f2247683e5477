import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * The HTTP methods of the OpenSearch REST API as IAM actions: reads (`GET`, `HEAD`; a search with a body is a
 * `GET` too) and writes (`PUT`, `POST`, `PATCH`, `DELETE`).
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html#ac-reference
 */
export const DOMAIN_READ_ACTIONS = ['es:ESHttpGet', 'es:ESHttpHead'];
export const DOMAIN_WRITE_ACTIONS = ['es:ESHttpDelete', 'es:ESHttpPatch', 'es:ESHttpPost', 'es:ESHttpPut'];

/**
 * The HTTP actions on the domain's indexes and APIs (`<domain ARN>/*`), not on the domain resource itself (whose
 * configuration the es: control-plane actions change). Fine-grained access control still decides per index:
 * map the grantee's role to an OpenSearch role.
 */
export function grantDomainHttp(domainArn: string, grantee: iam.IGrantable, actions: string[]): iam.Grant {
  return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [`${domainArn}/*`] });
}
