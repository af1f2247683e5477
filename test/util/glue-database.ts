import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { IConstruct } from 'constructs';

/**
 * The Glue database `name` of the stack's account and region, imported by ARN (no resource), as a user passes a
 * database another app created. The same name in the same stack gives the same import.
 */
export function gluedb(scope: IConstruct, name: string): glue.IDatabase {
  const stack = Stack.of(scope);
  const id = `GlueDatabase-${name}`;
  const existing = stack.node.tryFindChild(id) as glue.IDatabase | undefined;
  return existing ?? glue.Database.fromDatabaseArn(stack, id, `arn:aws:glue:${stack.region}:${stack.account}:database/${name}`);
}
