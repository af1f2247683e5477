import { Token } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';

/**
 * The name of a Glue database as IAM policies should spell it: the name given to a `glue.Database` of this app when it
 * has one (so that ARNs, and the nag acknowledgments keyed by them, read `database/analytics`, not a reference to the
 * resource), else `databaseName` (the name in an imported database's ARN, or a reference to a generated name).
 */
export function glueDatabaseName(database: glue.IDatabase): string {
  const cfn = database instanceof glue.Database ? database.node.defaultChild : undefined;
  const input = cfn instanceof glue.CfnDatabase ? cfn.databaseInput as glue.CfnDatabase.DatabaseInputProperty : undefined;
  const given = input?.name;
  return given !== undefined && !Token.isUnresolved(given) ? given : database.databaseName;
}
