import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

// What Glue requires of the connection's security group: "a self-referencing inbound rule for all TCP ports", and
// for outbound traffic "all ports, or a self-referencing rule of Type All TCP".
// https://docs.aws.amazon.com/glue/latest/dg/setup-vpc-for-glue-access.html
// https://docs.aws.amazon.com/glue/latest/dg/start-development-endpoint.html

/**
 * The self-referencing ingress rules of `group` covering all TCP ports, found among the security group ingress
 * resources of its stack (aws-cdk-lib renders a rule whose peer is the group itself as such a resource).
 */
export function selfReferencingIngress(group: ec2.SecurityGroup, except?: ec2.CfnSecurityGroupIngress): ec2.CfnSecurityGroupIngress[] {
  const stack = Stack.of(group);
  const id = json(stack, group.securityGroupId);
  return stack.node.findAll().filter((c): c is ec2.CfnSecurityGroupIngress => c instanceof ec2.CfnSecurityGroupIngress && c !== except)
    .filter(r => json(stack, r.groupId) === id && json(stack, r.sourceSecurityGroupId) === id && coversAllTcp(r.ipProtocol, r.fromPort, r.toPort));
}

/** Whether `group` lets its members send to each other on all TCP ports (all outbound traffic, or a self rule). */
export function allowsEgressToItself(group: ec2.SecurityGroup): boolean {
  if (group.allowAllOutbound) return true;
  const stack = Stack.of(group);
  const id = json(stack, group.securityGroupId);
  const cfn = group.node.defaultChild as ec2.CfnSecurityGroup;
  const inline = (stack.resolve(cfn.securityGroupEgress) ?? []) as Array<{ cidrIp?: string; ipProtocol: string; fromPort?: number; toPort?: number }>;
  if (inline.some(r => r.cidrIp === '0.0.0.0/0' && coversAllTcp(r.ipProtocol, r.fromPort, r.toPort))) return true;
  return stack.node.findAll().some(c => c instanceof ec2.CfnSecurityGroupEgress && json(stack, c.groupId) === id
    && json(stack, c.destinationSecurityGroupId) === id && coversAllTcp(c.ipProtocol, c.fromPort, c.toPort));
}

function coversAllTcp(protocol: string, from: number | undefined, to: number | undefined): boolean {
  return protocol === '-1' || protocol === 'all' || (protocol === 'tcp' && (from ?? 0) === 0 && (to ?? 65535) === 65535);
}

function json(stack: Stack, value: unknown): string {
  return JSON.stringify(stack.resolve(value));
}
