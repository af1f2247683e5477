/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The handler under test, wired to the fake AWS network (`fake-aws/`): the function's own credentials, a
 * master role it may assume, one domain, a virtual clock that `sleep` advances (so that backoff costs no real
 * time), and helpers to build CloudFormation events.
 */
import { CFN_RESPONSE_HOST, FakeAws } from './fake-aws/fake-aws';
import { FakeDomainOptions, FakeOpenSearchDomain } from './fake-aws/fake-opensearch';

const { createHandler } = require('../../lib/opensearch/assets/ism-handler/index.js');

export const ACCOUNT = '111111111111';
export const FUNCTION_ROLE = `arn:aws:iam::${ACCOUNT}:role/IsmPolicyFunctionRole`;
export const MASTER_ROLE = `arn:aws:iam::${ACCOUNT}:role/MasterUserRole`;
export const HOST = 'vpc-logs-abc123.us-east-1.es.amazonaws.com';
/** Planted in every error body of the fake: it must never reach a reason, an event or a log line. */
export const BODY_MARKER = 'BODY-MARKER-7f3a9c';
export const STACK_ID = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/Logs/0f1e2d3c-aaaa-bbbb-cccc-111122223333`;

export interface WorldOptions {
  readonly region?: string;
  readonly urlSuffix?: string;
  readonly partition?: string;
  readonly host?: string;
  readonly domain?: Partial<FakeDomainOptions>;
}

export interface World {
  readonly aws: FakeAws;
  readonly domain: FakeOpenSearchDomain;
  readonly logs: string[];
  readonly sleeps: number[];
  /** Virtual milliseconds since the world was made. */
  elapsed(): number;
  /** Runs the handler on `event` with `remainingMs` before the function times out; returns the CloudFormation response. */
  run(event: Record<string, unknown>, remainingMs?: number): Promise<Record<string, unknown>>;
}

export function world(options: WorldOptions = {}): World {
  const region = options.region ?? 'us-east-1';
  const partition = options.partition ?? 'aws';
  const aws = new FakeAws(region, options.urlSuffix ?? 'amazonaws.com', partition);
  const fnRole = FUNCTION_ROLE.replace('arn:aws:', `arn:${partition}:`);
  const master = MASTER_ROLE.replace('arn:aws:', `arn:${partition}:`);
  const credentials = aws.credentialsFor(fnRole);
  aws.allowAssumeRole(master, fnRole);
  const domain = aws.addDomain(options.host ?? HOST, {
    accessPolicyPrincipals: [master], admins: [master], errorBodyMarker: BODY_MARKER, ...options.domain,
  });
  const logs: string[] = [];
  const sleeps: number[] = [];
  const start = Date.parse('2026-01-02T03:04:05Z');
  let t = start;
  const handler = createHandler({
    request: aws.request,
    credentials,
    now: () => new Date(t),
    sleep: async (ms: number) => { sleeps.push(ms); t += ms; },
    random: () => 0.5,
    log: (...a: unknown[]) => logs.push(a.map(String).join(' ')),
    requestTimeoutMs: 50,
  });
  return {
    aws, domain, logs, sleeps,
    elapsed: () => t - start,
    run: async (event, remainingMs = 300_000) => {
      const before = aws.cfnResponses.length;
      const startedAt = t;
      await handler(event, { getRemainingTimeInMillis: () => remainingMs - (t - startedAt) });
      aws.releaseHangs();
      if (aws.cfnResponses.length !== before + 1) throw new Error(`expected one CloudFormation response, got ${aws.cfnResponses.length - before}`);
      return aws.cfnResponses[aws.cfnResponses.length - 1];
    },
  };
}

/** An ISM policy document as the construct renders it. */
export function policyDocument(patterns: string[] = ['logs-*'], priority = 100, deleteAfter = '30d'): Record<string, unknown> {
  return {
    policy: {
      description: 'Managed by cdk-analytics-blueprints: hot -> delete',
      default_state: 'hot',
      states: [
        { name: 'hot', actions: [], transitions: [{ state_name: 'delete', conditions: { min_index_age: deleteAfter } }] },
        { name: 'delete', actions: [{ delete: {} }], transitions: [] },
      ],
      ism_template: [{ index_patterns: patterns, priority }],
    },
  };
}

type RequestType = 'Create' | 'Update' | 'Delete';

interface EventOptions {
  readonly physicalId?: string;
  readonly old?: Record<string, unknown>;
  readonly logicalId?: string;
}

function event(resourceType: string, requestType: RequestType, props: Record<string, unknown>, o: EventOptions = {}): Record<string, unknown> {
  return {
    RequestType: requestType,
    ResponseURL: `https://${CFN_RESPONSE_HOST}/response?X-Amz-Signature=presigned`,
    StackId: STACK_ID,
    RequestId: `req-${requestType}`,
    LogicalResourceId: o.logicalId ?? 'SearchIsmPolicyLogs',
    ResourceType: resourceType,
    ...(o.physicalId !== undefined ? { PhysicalResourceId: o.physicalId } : {}),
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:fn', ...props },
    ...(o.old ? { OldResourceProperties: o.old } : {}),
  };
}

/** The properties of a `Custom::OpenSearchIsmPolicy` as the construct writes them. */
export function ismProps(policyId = 'logs', doc = policyDocument(), extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { Endpoint: HOST, Region: 'us-east-1', UrlSuffix: 'amazonaws.com', PolicyId: policyId, Policy: JSON.stringify(doc), RoleArn: MASTER_ROLE, ...extra };
}

export function ismEvent(requestType: RequestType, props = ismProps(), o: EventOptions = {}): Record<string, unknown> {
  return event('Custom::OpenSearchIsmPolicy', requestType, props, o);
}

export const FIREHOSE_ROLE = `arn:aws:iam::${ACCOUNT}:role/FirehoseDelivery`;
export const WRITER_ROLE_DOC = {
  cluster_permissions: ['cluster_composite_ops', 'cluster_monitor'],
  index_permissions: [{ index_patterns: ['logs*'], allowed_actions: ['create_index', 'manage', 'crud'] }],
};

export function mappingProps(backendRoles = [FIREHOSE_ROLE], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Endpoint: HOST, Region: 'us-east-1', UrlSuffix: 'amazonaws.com', RoleArn: MASTER_ROLE,
    SecurityRole: 'firehose_logs', Role: JSON.stringify(WRITER_ROLE_DOC), BackendRoles: backendRoles, ...extra,
  };
}

export function mappingEvent(requestType: RequestType, props = mappingProps(), o: EventOptions = {}): Record<string, unknown> {
  return event('Custom::OpenSearchRoleMapping', requestType, props, { logicalId: 'SearchFirehoseRoleIngest', ...o });
}

export function auditEvent(requestType: RequestType, o: EventOptions = {}): Record<string, unknown> {
  return event('Custom::OpenSearchAuditLog', requestType,
    { Endpoint: HOST, Region: 'us-east-1', UrlSuffix: 'amazonaws.com', RoleArn: MASTER_ROLE }, { logicalId: 'SearchAuditLog', ...o });
}

export function keyGuardEvent(requestType: RequestType, keyId: string, o: EventOptions & { allow?: boolean } = {}): Record<string, unknown> {
  return event('Custom::OpenSearchKeyGuard', requestType,
    { DomainName: 'logs', KmsKeyId: keyId, ...(o.allow ? { AllowKeyChange: 'true' } : {}) }, { logicalId: 'SearchKeyGuard', ...o });
}
