import { Stack, StackProps, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * A stack whose Availability Zones are fixed instead of looked up: `ec2.Vpc` reads the stack's AZs even
 * when it is given explicit ones, and in a stack with a concrete account and region that read is a
 * context lookup (an AWS call at synth). The first three AZ names of the region are used.
 */
export class FixedAzStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
  }

  public override get availabilityZones(): string[] {
    return Token.isUnresolved(this.region) ? super.availabilityZones : ['a', 'b', 'c'].map(az => `${this.region}${az}`);
  }
}
