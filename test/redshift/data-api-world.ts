/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The Data API handler under test, wired to the fake Data API (`fake-aws/fake-data-api.ts`) of one cluster, a
 * virtual clock that `sleep` advances (backoff and polling cost no real time), and a recorder for the
 * CloudFormation response URL.
 */
import { DataApiError, FakeClusterOptions, FakeRedshiftDataApi } from './fake-aws/fake-data-api';

const { createHandler } = require('../../lib/redshift/assets/data-api-handler/index.js');

export const ACCOUNT = '111111111111';
export const CLUSTER = 'analytics-warehouse';
export const ADMIN_SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:redshift!${CLUSTER}-warehouse_admin-AbCdEf`;
export const READER_SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:reader-AbCdEf`;
export const SPECTRUM_ROLE = `arn:aws:iam::${ACCOUNT}:role/SpectrumRole`;
export const OTHER_ROLE = `arn:aws:iam::${ACCOUNT}:role/OtherRole`;

export interface World {
  readonly api: FakeRedshiftDataApi;
  readonly logs: string[];
  readonly sleeps: number[];
  /** Virtual milliseconds since the world was made. */
  elapsed(): number;
  /** Runs the handler with `remainingMs` before the function times out; returns the CloudFormation response. */
  run(event: Record<string, unknown>, remainingMs?: number): Promise<Record<string, unknown>>;
}

/** `send` wrappers: what happens around the fake (a lost reply, a concurrent change). */
export type SendWrapper = (send: FakeRedshiftDataApi['send']) => FakeRedshiftDataApi['send'];

export function world(options: Partial<FakeClusterOptions> = {}, wrap: SendWrapper = s => s): World {
  const start = Date.parse('2026-01-02T03:04:05Z');
  let t = start;
  const api = new FakeRedshiftDataApi({
    clusterIdentifier: CLUSTER, region: 'us-east-1', account: ACCOUNT, databases: ['analytics'],
    secrets: { [ADMIN_SECRET]: { user: 'warehouse_admin', superuser: true }, [READER_SECRET]: { user: 'reader', superuser: false } },
    associatedRoles: [SPECTRUM_ROLE, OTHER_ROLE],
    glueDatabases: { analytics_platform: [SPECTRUM_ROLE], curated: [SPECTRUM_ROLE], other_db: [OTHER_ROLE] },
    ...options,
  }, () => t);
  const logs: string[] = [];
  const sleeps: number[] = [];
  const responses: Array<Record<string, unknown>> = [];
  const handler = createHandler({
    send: wrap(api.send),
    request: async (r: { body: string }) => {
      responses.push(JSON.parse(r.body));
      return { statusCode: 200 };
    },
    now: () => new Date(t),
    sleep: async (ms: number) => { sleeps.push(ms); t += ms; },
    random: () => 0.5,
    log: (...a: unknown[]) => logs.push(a.map(String).join(' ')),
  });
  return {
    api, logs, sleeps,
    elapsed: () => t - start,
    run: async (event, remainingMs = 300_000) => {
      const before = responses.length;
      const startedAt = t;
      await handler(event, { getRemainingTimeInMillis: () => remainingMs - (t - startedAt) });
      if (responses.length !== before + 1) throw new Error(`expected one CloudFormation response, got ${responses.length - before}`);
      return responses[responses.length - 1];
    },
  };
}

/** A wrapper whose first ExecuteStatement reaches the service but whose reply is lost (connection reset). */
export const lostFirstReply: SendWrapper = send => {
  let lost = false;
  return async (operation, input) => {
    const out = await send(operation, input);
    if (operation === 'ExecuteStatement' && !lost) {
      lost = true;
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }
    return out;
  };
};

type RequestType = 'Create' | 'Update' | 'Delete';

export interface EventOptions {
  readonly physicalId?: string;
  readonly old?: Record<string, unknown>;
}

let requests = 0;

function event(resourceType: string, logicalId: string, requestType: RequestType, props: Record<string, unknown>, o: EventOptions) {
  return {
    RequestType: requestType,
    ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/presigned',
    StackId: `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/Platform/0f1e2d3c`,
    // Unique per request, as CloudFormation's are (the handler derives its ClientTokens from it).
    RequestId: `req-${++requests}-${requestType}`,
    LogicalResourceId: logicalId,
    ResourceType: resourceType,
    ...(o.physicalId !== undefined ? { PhysicalResourceId: o.physicalId } : {}),
    ResourceProperties: { ServiceToken: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:fn`, ...props },
    ...(o.old ? { OldResourceProperties: o.old } : {}),
  };
}

/** The properties of a `Custom::RedshiftExternalSchema` as the construct writes them. */
export function schemaProps(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ClusterIdentifier: CLUSTER, Database: 'analytics', SecretArn: ADMIN_SECRET,
    SchemaName: 'lake', GlueDatabase: 'analytics_platform', IamRoleArn: SPECTRUM_ROLE, ...extra,
  };
}

export function schemaEvent(requestType: RequestType, props = schemaProps(), o: EventOptions = {}): Record<string, unknown> {
  return event('Custom::RedshiftExternalSchema', 'WarehouseLakeSchema', requestType, props, o);
}

export function groupsEvent(requestType: RequestType, groups: unknown, o: EventOptions = {}): Record<string, unknown> {
  return event('Custom::RedshiftDatabaseGroups', 'WarehouseGroups', requestType,
    { ClusterIdentifier: CLUSTER, Database: 'analytics', SecretArn: ADMIN_SECRET, Groups: groups }, o);
}

export { DataApiError };
