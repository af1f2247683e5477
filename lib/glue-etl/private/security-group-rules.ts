import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

import { scanOnce } from './stack-scans';

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
  return rulesByGroup(stack, ec2.CfnSecurityGroupIngress).get(id)?.filter(r => r !== except
    && json(stack, r.sourceSecurityGroupId) === id && coversAllTcp(r.ipProtocol, r.fromPort, r.toPort)) ?? [];
}

/** Whether `group` lets its members send to each other on all TCP ports (all outbound traffic, or a self rule). */
export function allowsEgressToItself(group: ec2.SecurityGroup): boolean {
  if (group.allowAllOutbound) return true;
  const stack = Stack.of(group);
  const id = json(stack, group.securityGroupId);
  const cfn = group.node.defaultChild as ec2.CfnSecurityGroup;
  const inline = (stack.resolve(cfn.securityGroupEgress) ?? []) as Array<{ cidrIp?: string; ipProtocol: string; fromPort?: number; toPort?: number }>;
  if (inline.some(r => r.cidrIp === '0.0.0.0/0' && coversAllTcp(r.ipProtocol, r.fromPort, r.toPort))) return true;
  return (rulesByGroup(stack, ec2.CfnSecurityGroupEgress).get(id) ?? [])
    .some(c => json(stack, c.destinationSecurityGroupId) === id && coversAllTcp(c.ipProtocol, c.fromPort, c.toPort));
}

/**
 * The ingress (or egress) rule resources of `stack`, by their resolved `GroupId`; once per validation sweep, since
 * every Glue network of the stack checks the rules of its security group.
 */
function rulesByGroup<T extends ec2.CfnSecurityGroupIngress | ec2.CfnSecurityGroupEgress>(stack: Stack,
  type: new (...args: never[]) => T): Map<string, T[]> {
  return scanOnce(stack, `rulesByGroup:${type.name}`, () => {
    const byGroup = new Map<string, T[]>();
    for (const c of stack.node.findAll()) {
      if (!(c instanceof type)) continue;
      const id = json(stack, c.groupId);
      const rules = byGroup.get(id);
      if (rules) rules.push(c);
      else byGroup.set(id, [c]);
    }
    return byGroup;
  });
}

function coversAllTcp(protocol: string, from: number | undefined, to: number | undefined): boolean {
  return protocol === '-1' || protocol === 'all' || (protocol === 'tcp' && (from ?? 0) === 0 && (to ?? 65535) === 65535);
}

function json(stack: Stack, value: unknown): string {
  return JSON.stringify(stack.resolve(value));
}
