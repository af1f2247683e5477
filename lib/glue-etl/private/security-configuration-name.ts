import { Names, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as crypto from 'crypto';

/**
 * A name for a Glue security configuration that changes with its encryption settings: the construct's unique name
 * and the first 8 hex digits of a hash of the rendered `EncryptionConfiguration` (keys by their references).
 *
 * `AWS::Glue::SecurityConfiguration` requires a name and is replaced on any change of its encryption; CloudFormation
 * cannot replace a resource under the same name, so a name that only depends on the construct path (aws-cdk-lib's
 * default) makes every such change fail. With the content in the name, the replacement gets a new name, the jobs
 * and crawlers follow it (they refer to it), and the old one is deleted.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-glue-securityconfiguration.html
 */
export function nameByContent(configuration: glue.ISecurityConfiguration): string {
  const cfn = configuration.node.defaultChild as glue.CfnSecurityConfiguration;
  const content = JSON.stringify(Stack.of(configuration).resolve(cfn.encryptionConfiguration));
  const hash = crypto.createHash('sha256').update(content).digest('hex').slice(0, 8);
  // Names of Glue objects are at most 255 characters.
  return `${Names.uniqueResourceName(configuration, { maxLength: 200 })}-${hash}`;
}
