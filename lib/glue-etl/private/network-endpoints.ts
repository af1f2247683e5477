import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';

import { scanOnce } from './stack-scans';

/**
 * An AWS API a Glue job in a subnet without a route out reaches only through an interface endpoint.
 * @see https://docs.aws.amazon.com/glue/latest/dg/vpc-interface-endpoints.html
 */
export interface GlueEndpointService {
  /** Construct id of the endpoint this construct creates. */
  readonly id: string;
  readonly service: ec2.InterfaceVpcEndpointAwsService;
  /** Name in messages. */
  readonly title: string;
}

/**
 * What a job calls: the Data Catalog, connections and bookmarks (Glue), its logs (CloudWatch Logs), job metrics
 * (CloudWatch) and the security configuration's key (KMS).
 */
export const GLUE_ENDPOINT_SERVICES: GlueEndpointService[] = [
  { id: 'GlueEndpoint', service: ec2.InterfaceVpcEndpointAwsService.GLUE, title: 'Glue' },
  { id: 'LogsEndpoint', service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS, title: 'CloudWatch Logs' },
  { id: 'MonitoringEndpoint', service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING, title: 'CloudWatch' },
  { id: 'KmsEndpoint', service: ec2.InterfaceVpcEndpointAwsService.KMS, title: 'KMS' },
];

/**
 * Whether `subnet` has a route out of the VPC for the jobs' network interfaces: yes for a private subnet with egress
 * (NAT), no for an isolated subnet, and no for a public one too (Glue gives its interfaces no public IP address);
 * undefined when the VPC does not say (a subnet imported on its own).
 */
export function subnetHasRouteOut(vpc: ec2.IVpc, subnet: ec2.ISubnet): boolean | undefined {
  const same = (s: ec2.ISubnet) => s === subnet || (!Token.isUnresolved(s.subnetId) && s.subnetId === subnet.subnetId);
  if (vpc.privateSubnets.some(same)) return true;
  if (vpc.isolatedSubnets.some(same) || vpc.publicSubnets.some(same)) return false;
  return undefined;
}

/** The S3 gateway endpoints, defined in the VPC's stack, on the route table of `subnet`. */
export function s3GatewayEndpointsOf(vpc: ec2.IVpc, subnet: ec2.ISubnet): ec2.CfnVPCEndpoint[] {
  const stack = Stack.of(vpc);
  const routeTable = json(stack, subnet.routeTable?.routeTableId);
  const s3 = json(stack, ec2.GatewayVpcEndpointAwsService.S3.name);
  return endpointsOf(vpc).filter(e => (e.vpcEndpointType ?? 'Gateway') === 'Gateway' && json(stack, e.serviceName) === s3
    && ((stack.resolve(e.routeTableIds) ?? []) as unknown[]).some(id => JSON.stringify(id) === routeTable));
}

/**
 * The services of `GLUE_ENDPOINT_SERVICES` the VPC has an interface endpoint for, defined in its stack (or only
 * those under `within`: a VPC a construct has just created has no endpoint outside that construct yet).
 */
export function interfaceEndpointServicesOf(vpc: ec2.IVpc, within?: IConstruct): GlueEndpointService[] {
  const stack = Stack.of(vpc);
  const names = new Set(endpointsOf(vpc, within).filter(e => e.vpcEndpointType === 'Interface').map(e => json(stack, e.serviceName)));
  return GLUE_ENDPOINT_SERVICES.filter(s => names.has(json(stack, s.service.name)));
}

/** The CloudFormation VPC endpoints of `vpc` defined in its stack (under `within` when given). */
function endpointsOf(vpc: ec2.IVpc, within?: IConstruct): ec2.CfnVPCEndpoint[] {
  const stack = Stack.of(vpc);
  const vpcId = json(stack, vpc.vpcId);
  if (within) return endpointsByVpc(stack, within.node.findAll()).get(vpcId) ?? [];
  // Once per validation sweep: every Glue network of the stack checks the endpoints of its VPC.
  return scanOnce(stack, 'endpointsByVpc', () => endpointsByVpc(stack, stack.node.findAll())).get(vpcId) ?? [];
}

/** The VPC endpoints of `stack` among `constructs`, by their resolved `VpcId`. */
function endpointsByVpc(stack: Stack, constructs: IConstruct[]): Map<string, ec2.CfnVPCEndpoint[]> {
  const byVpc = new Map<string, ec2.CfnVPCEndpoint[]>();
  for (const c of constructs) {
    if (!(c instanceof ec2.CfnVPCEndpoint) || Stack.of(c) !== stack) continue;
    const vpcId = json(stack, c.vpcId);
    const endpoints = byVpc.get(vpcId);
    if (endpoints) endpoints.push(c);
    else byVpc.set(vpcId, [c]);
  }
  return byVpc;
}

function json(stack: Stack, value: unknown): string {
  return JSON.stringify(stack.resolve(value));
}
