import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';

import { StreamingDataLake, StreamingDataLakeProps, StreamingDataLakeSchema } from '../../lib';
import { testStack } from '../util/app';
import { validationMessages } from '../util/validation-messages';

/** What the StreamingDataLake test files share: a two-column schema, the default prefixes and template readers. */
export const COLUMNS: glue.Column[] = [
  { name: 'user_id', type: glue.Schema.STRING },
  { name: 'amount', type: glue.Schema.DOUBLE },
];
export const SCHEMA = StreamingDataLakeSchema.fromColumns(COLUMNS);

export const HOURLY = 'year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/';
export const DAILY_ERRORS = '!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/';

/** A CloudFormation JSON fragment, typed as the assertions library types templates. */
export type Cfn = ReturnType<Template['toJSON']>;

/** The ExtendedS3DestinationConfiguration of the only delivery stream. */
export function destinationOf(template: Template): Cfn {
  const streams = template.findResources('AWS::KinesisFirehose::DeliveryStream');
  return Object.values(streams)[0].Properties.ExtendedS3DestinationConfiguration;
}

/** The statements of the Firehose role's policy. */
export function deliveryStatements(template: Template, lake: StreamingDataLake): Cfn[] {
  const id = Stack.of(lake).getLogicalId(lake.deliveryPolicy.node.defaultChild as iam.CfnManagedPolicy);
  return template.toJSON().Resources[id].Properties.PolicyDocument.Statement;
}

/** Every validation message of a lake built with `props`, without synthesizing. */
export function errorsOf(props: Partial<StreamingDataLakeProps>, stack: Stack = testStack()): string[] {
  new StreamingDataLake(stack, 'Lake', { schema: SCHEMA, ...props });
  return stack.node.findAll().flatMap(validationMessages);
}
