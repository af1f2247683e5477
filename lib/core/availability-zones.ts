import { ContextProvider, Stack, Token } from 'aws-cdk-lib';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';

import { PropsValidator } from './validation';

/**
 * Where the Availability Zones of a stack come from when something reads `stack.availabilityZones`:
 *
 * - `agnostic`: the account or the region is a token; the stack answers `Fn::GetAZs` (no lookup);
 * - `override`: the stack's class overrides the getter (the user's own declaration; called as is);
 * - `context`: the context already holds the result of the lookup (`cdk.context.json` or `-c`);
 * - `lookup`: the stack would report missing context, and the CDK CLI would call
 *   `ec2:DescribeAvailabilityZones` with credentials before it can synthesize the app.
 */
export type StackZoneSource =
  | { readonly kind: 'agnostic' }
  | { readonly kind: 'override' }
  | { readonly kind: 'context'; readonly zones: string[]; readonly key: string }
  | { readonly kind: 'lookup'; readonly key: string };

/** How `stack` would answer `availabilityZones`, found without reading it (reading it is what reports a lookup). */
export function stackZoneSource(stack: Stack): StackZoneSource {
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
    return { kind: 'agnostic' };
  }
  if (overridesAvailabilityZones(stack)) {
    return { kind: 'override' };
  }
  // The key Stack.availabilityZones asks ContextProvider for: `availability-zones:account=…:region=…`.
  const key = ContextProvider.getKey(stack, { provider: cxschema.ContextProvider.AVAILABILITY_ZONE_PROVIDER }).key;
  const value: unknown = stack.node.tryGetContext(key);
  if (Array.isArray(value) && value.every(z => typeof z === 'string')) {
    return { kind: 'context', zones: value as string[], key };
  }
  return { kind: 'lookup', key };
}

/**
 * Runs `build` while `stack.availabilityZones` answers `zones`, then restores the stack's own getter.
 *
 * Why: `ec2.Vpc` reads `stack.availabilityZones` in its constructor even when it is given
 * `availabilityZones`, only to check that the given zones are among the stack's (aws-cdk-lib
 * `aws-ec2/lib/vpc.js`: `resolveStackAvailabilityZones(stack.availabilityZones)`; with dummy values the
 * check is skipped, aws/aws-cdk#21690). In a stack with a concrete account and region, that read is a
 * context lookup: synth reports missing context and the CLI calls AWS, which fails without credentials.
 * The VPC keeps the given zones (`this.availabilityZones = props.availabilityZones`) and nothing else in
 * its constructor reads the stack's, so answering the given zones for the duration of this one
 * synchronous constructor call removes the lookup and changes nothing else. The check it skips is done
 * by `checkAvailabilityZones` instead (region, and the context's zones when the context has them).
 *
 * The alternatives do not work from inside a construct: the context value cannot be set on the stack
 * or the app once they have children (`Node.setContext` throws), and a subclass of `ec2.Vpc` runs its
 * code only after the base constructor has read the stack's zones.
 */
export function withStackAvailabilityZones<T>(stack: Stack, zones: string[], build: () => T): T {
  const own = Object.getOwnPropertyDescriptor(stack, 'availabilityZones');
  Object.defineProperty(stack, 'availabilityZones', { configurable: true, enumerable: false, get: () => zones });
  try {
    return build();
  } finally {
    if (own) {
      Object.defineProperty(stack, 'availabilityZones', own);
    } else {
      delete (stack as unknown as Record<string, unknown>).availabilityZones;
    }
  }
}

/**
 * The checks `ec2.Vpc` would have made, and the lookup it would have needed, as synth errors naming the
 * property:
 * - every given zone belongs to the stack's region when the region is concrete (`us-east-1a` in
 *   `eu-west-1` is an error);
 * - every given zone is among the context's zones when the context has them;
 * - in a stack whose zones would need a lookup, zones must be given.
 * Tokens are skipped.
 */
export function checkAvailabilityZones(v: PropsValidator, stack: Stack, given: string[] | undefined, source: StackZoneSource): void {
  if (given === undefined) {
    if (source.kind === 'lookup') {
      v.fail('availabilityZones', undefined,
        `must be given: stack ${stack.node.path} has an explicit account and region (${stack.account}, ${stack.region}), so the ` +
        'Availability Zones of the VPC would be looked up in your account by the CDK CLI (it needs AWS credentials, and the library ' +
        `never looks anything up at synth). Pass availabilityZones (for example ['${stack.region}a', '${stack.region}b']) here, or ` +
        'network: AnalyticsNetwork.newVpc({ availabilityZones }) to the construct that creates this VPC, or override availabilityZones in ' +
        `your Stack class, or set the context key '${source.key}'`);
    }
    return;
  }
  if (Token.isUnresolved(given)) return;
  v.check(given.length > 0, 'availabilityZones', given, 'must list at least one Availability Zone');
  const region = stack.region;
  for (const zone of given) {
    if (Token.isUnresolved(zone)) continue;
    if (!Token.isUnresolved(region)) {
      // An AZ name is the region's name and a letter (us-east-1a); Local Zones and Wavelength Zones add a
      // hyphenated suffix (us-west-2-lax-1a). https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html
      v.check(new RegExp(`^${escapeRegExp(region)}([a-z]|-[a-z0-9-]+)$`).test(zone), 'availabilityZones', zone,
        `must be an Availability Zone of the stack's region ${region} (for example '${region}a')`);
    }
    if (source.kind === 'context') {
      v.check(source.zones.includes(zone), 'availabilityZones', zone,
        `must be one of the Availability Zones the context holds for this account and region (${source.zones.join(', ')})`);
    }
  }
}

/**
 * True when the stack's class (not aws-cdk-lib's `Stack`) defines `availabilityZones`. The base class is
 * recognized by its own `reportMissingContextKey`, so this holds also when the app loads a second copy of
 * aws-cdk-lib.
 */
function overridesAvailabilityZones(stack: Stack): boolean {
  if (Object.getOwnPropertyDescriptor(stack, 'availabilityZones')) return true;
  for (let proto = Object.getPrototypeOf(stack); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if (Object.getOwnPropertyDescriptor(proto, 'availabilityZones')) {
      return !Object.prototype.hasOwnProperty.call(proto, 'reportMissingContextKey');
    }
  }
  return false;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
