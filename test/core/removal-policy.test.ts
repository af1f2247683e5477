import { CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';

import { REMOVE_DATA_ON_DESTROY_CONTEXT, resolveRemovalPolicy } from '../../lib/core/removal-policy';
import { testStack } from '../util/app';

/** The DeletionPolicy and UpdateReplacePolicy that `requested` becomes on a resource, with or without the destroy flag. */
function policiesOf(requested: RemovalPolicy | undefined, flag = false) {
  const stack = testStack('Test', {}, flag ? { context: { [REMOVE_DATA_ON_DESTROY_CONTEXT]: true } } : {});
  // An EBS volume: a stateful resource that supports every policy, SNAPSHOT included.
  const volume = new CfnResource(stack, 'Stateful', { type: 'AWS::EC2::Volume', properties: { AvailabilityZone: 'us-east-1a', Size: 1 } });
  volume.applyRemovalPolicy(resolveRemovalPolicy(volume, requested));
  const resource = Object.values(Template.fromStack(stack).findResources('AWS::EC2::Volume'))[0];
  return { deletion: resource.DeletionPolicy, replace: resource.UpdateReplacePolicy, stack };
}

describe('resolveRemovalPolicy', () => {
  test('defaults to retain-except-on-create, so a rolled-back first deploy deletes what it created', () => {
    expect(resolveRemovalPolicy(testStack(), undefined)).toBe(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    const { deletion, replace } = policiesOf(undefined);
    expect({ deletion, replace }).toEqual({ deletion: 'RetainExceptOnCreate', replace: 'Retain' });
  });

  test('keeps an explicit RETAIN and an explicit RETAIN_ON_UPDATE_OR_DELETE as given', () => {
    expect(policiesOf(RemovalPolicy.RETAIN)).toMatchObject({ deletion: 'Retain', replace: 'Retain' });
    expect(policiesOf(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)).toMatchObject({ deletion: 'RetainExceptOnCreate', replace: 'Retain' });
  });

  test('takes SNAPSHOT without the destroy flag and without a warning: a snapshot keeps the data', () => {
    const { deletion, replace, stack } = policiesOf(RemovalPolicy.SNAPSHOT);
    expect({ deletion, replace }).toEqual({ deletion: 'Snapshot', replace: 'Snapshot' });
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('keeps the default and warns when DESTROY is asked without the context flag', () => {
    const { deletion, stack } = policiesOf(RemovalPolicy.DESTROY);
    expect(deletion).toBe('RetainExceptOnCreate');
    Annotations.fromStack(stack).hasWarning('/Test/Stateful',
      Match.stringLikeRegexp(`removalPolicy destroy is ignored.*${REMOVE_DATA_ON_DESTROY_CONTEXT}=true`));
  });

  test('destroys only when DESTROY is asked and the context flag is set', () => {
    expect(policiesOf(RemovalPolicy.DESTROY, true)).toMatchObject({ deletion: 'Delete', replace: 'Delete' });
  });
});
