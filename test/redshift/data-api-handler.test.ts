/**
 * The Data API custom-resource handler against the fake Data API: statements are waited for, failures reach
 * CloudFormation with Redshift's own text, throttling is retried with backoff, and a statement that does not end
 * is cancelled before the deadline. All on a virtual clock: no test waits in real time.
 */
import { REDSHIFT_RESERVED_WORDS } from '../../lib/redshift/private/reserved-words';
import { CLUSTER, groupsEvent, lostFirstReply, OTHER_ROLE, READER_SECRET, schemaEvent, schemaProps, SPECTRUM_ROLE, world } from './data-api-world';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const handlerReservedWords: string[] = require('../../lib/redshift/assets/data-api-handler/reserved-words.js');
const PHYSICAL_ID = `${CLUSTER}/analytics/lake`;
const CREATE_LAKE = `CREATE EXTERNAL SCHEMA IF NOT EXISTS "lake" FROM DATA CATALOG DATABASE 'analytics_platform' IAM_ROLE '${SPECTRUM_ROLE}'`;

describe('Custom::RedshiftExternalSchema', () => {
  test('creates the external schema, waits for each statement to finish, and checks it in svv_external_schemas', async () => {
    const w = world();
    const res = await w.run(schemaEvent('Create'));
    expect(res).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID, Data: { SchemaName: 'lake' } });
    expect(w.api.externalSchemas.get('lake')).toEqual({ database: 'analytics_platform', role: SPECTRUM_ROLE });
    expect(w.api.finishedSql()).toEqual([CREATE_LAKE,
      'SELECT databasename, esoptions FROM svv_external_schemas WHERE schemaname = :schema_name']);
    // The schema name is a bound parameter, not spliced into the query.
    expect(w.api.statements[1].parameters).toEqual({ schema_name: 'lake' });
    // It polled through SUBMITTED/PICKED/STARTED, on the virtual clock only.
    expect(w.api.calls.filter(c => c.operation === 'DescribeStatement').length).toBeGreaterThanOrEqual(6);
    expect(w.elapsed()).toBeLessThan(10_000);
  });

  test('is idempotent: a second create succeeds on the existing schema, which CREATE without IF NOT EXISTS would not', async () => {
    const w = world();
    await w.run(schemaEvent('Create'));
    expect((await w.run(schemaEvent('Create'))).Status).toBe('SUCCESS');
    // The fake's catalog enforces what IF NOT EXISTS avoids.
    const { Id } = await w.api.send('ExecuteStatement', {
      ClusterIdentifier: CLUSTER, Database: 'analytics', SecretArn: schemaProps().SecretArn,
      Sql: CREATE_LAKE.replace(' IF NOT EXISTS', ''),
    }) as { Id: string };
    await w.run(schemaEvent('Create')); // moves the clock on
    expect(w.api.statements.find(s => s.Id === Id)).toMatchObject({ status: 'FAILED', error: 'ERROR: Schema "lake" already exists' });
  });

  test('fails, and changes nothing, when the schema name is taken by a schema on another database', async () => {
    const w = world();
    w.api.externalSchemas.set('lake', { database: 'other_db', role: OTHER_ROLE });
    const res = await w.run(schemaEvent('Create'));
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toBe(`external schema lake already exists on Glue database other_db with another IAM role (${OTHER_ROLE}), so it was not ` +
      'changed: choose another schemaName, or drop that schema first');
    expect(w.api.externalSchemas.get('lake')).toEqual({ database: 'other_db', role: OTHER_ROLE });
  });

  test('fails when a local schema has the name', async () => {
    const w = world();
    w.api.localSchemas.add('lake');
    const res = await w.run(schemaEvent('Create'));
    expect(res.Reason).toMatch(/^schema lake exists in database analytics but is not an external schema/);
  });

  test('a changed catalog database under the same name drops and recreates the schema', async () => {
    const w = world();
    await w.run(schemaEvent('Create'));
    const res = await w.run(schemaEvent('Update', schemaProps({ GlueDatabase: 'curated' }), { physicalId: PHYSICAL_ID, old: schemaProps() }));
    expect(res).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    expect(w.api.externalSchemas.get('lake')).toEqual({ database: 'curated', role: SPECTRUM_ROLE });
    expect(w.api.finishedSql()).toContain('DROP SCHEMA IF EXISTS "lake"');
  });

  test('a replaced definition is not dropped when someone changed the schema outside CloudFormation', async () => {
    const w = world();
    w.api.externalSchemas.set('lake', { database: 'other_db', role: OTHER_ROLE });
    const res = await w.run(schemaEvent('Update', schemaProps({ GlueDatabase: 'curated' }), { physicalId: PHYSICAL_ID, old: schemaProps() }));
    expect(res.Reason).toMatch(/reads Glue database other_db, not analytics_platform as deployed/);
    expect(w.api.externalSchemas.get('lake')?.database).toBe('other_db');
  });

  test('a new schema name creates the new schema; the old one is dropped on its Delete only with DropOnDelete', async () => {
    const w = world();
    await w.run(schemaEvent('Create'));
    const res = await w.run(schemaEvent('Update', schemaProps({ SchemaName: 'lake2' }), { physicalId: PHYSICAL_ID, old: schemaProps() }));
    expect(res.PhysicalResourceId).toBe(`${CLUSTER}/analytics/lake2`);
    expect([...w.api.externalSchemas.keys()].sort()).toEqual(['lake', 'lake2']);
    // CloudFormation's cleanup Delete carries the old properties: kept by default (RETAIN) ...
    await w.run(schemaEvent('Delete', schemaProps(), { physicalId: PHYSICAL_ID }));
    expect(w.api.externalSchemas.has('lake')).toBe(true);
    // ... dropped with DESTROY.
    expect((await w.run(schemaEvent('Delete', schemaProps({ DropOnDelete: 'true' }), { physicalId: PHYSICAL_ID }))).Status).toBe('SUCCESS');
    expect([...w.api.externalSchemas.keys()]).toEqual(['lake2']);
  });

  test('a delete drops nothing that is not this external schema, and nothing after a failed create', async () => {
    const w = world();
    w.api.localSchemas.add('lake');
    expect((await w.run(schemaEvent('Delete', schemaProps({ DropOnDelete: 'true' }), { physicalId: PHYSICAL_ID }))).Status).toBe('SUCCESS');
    expect(w.api.localSchemas.has('lake')).toBe(true);
    const calls = w.api.calls.length;
    await w.run(schemaEvent('Delete', schemaProps({ DropOnDelete: 'true' }), { physicalId: 'failed-req-Create' }));
    expect(w.api.calls.length).toBe(calls);
  });

  test('a delete succeeds when the admin secret is gone with the cluster', async () => {
    const w = world({ secrets: {} });
    expect((await w.run(schemaEvent('Delete', schemaProps({ DropOnDelete: 'true' }), { physicalId: PHYSICAL_ID }))).Status).toBe('SUCCESS');
  });

  test('a delete succeeds when the cluster is gone', async () => {
    const w = world({ clusterIdentifier: 'another-cluster' });
    const res = await w.run(schemaEvent('Delete', schemaProps({ DropOnDelete: 'true' }), { physicalId: PHYSICAL_ID }));
    expect(res.Status).toBe('SUCCESS');
    expect(w.logs.join('\n')).toMatch(/nothing to delete: the cluster or database is gone/);
  });

  test.each([
    ['a Spectrum role the cluster does not have', { associatedRoles: [] },
      `create external schema lake failed: ERROR: User arn:aws:redshift:us-east-1:111111111111:dbuser:${CLUSTER}/warehouse_admin is not authorized to assume IAM Role ${SPECTRUM_ROLE}`],
    ['a catalog database the role may not read', { glueDatabases: { analytics_platform: [OTHER_ROLE] } },
      `create external schema lake failed: ERROR: AccessDeniedException: ${SPECTRUM_ROLE} is not authorized to perform: glue:GetDatabase on resource: arn:aws:glue:us-east-1:111111111111:database/analytics_platform`],
    ['a database that does not exist', { databases: ['dev'] }, 'create external schema lake failed: FATAL: database "analytics" does not exist'],
  ])('a statement that FAILS (%s) fails the resource with the Redshift error text', async (_case, options, reason) => {
    const w = world(options);
    const res = await w.run(schemaEvent('Create'));
    expect(res).toMatchObject({ Status: 'FAILED', Reason: reason, PhysicalResourceId: expect.stringMatching(/^failed-req-\d+-Create$/) });
  });

  test('a user who is not a superuser gets permission denied', async () => {
    const w = world();
    const res = await w.run(schemaEvent('Create', schemaProps({ SecretArn: READER_SECRET })));
    expect(res.Reason).toBe('create external schema lake failed: ERROR: permission denied for database reader');
  });

  test.each([
    ['SchemaName', { SchemaName: 'lake"; DROP TABLE sales; --' }, /^SchemaName "lake\\"; DROP TABLE sales; --" is not a valid name/],
    ['SchemaName', { SchemaName: 'select' }, /^SchemaName select is a reserved word of Redshift$/],
    ['GlueDatabase', { GlueDatabase: "x' IAM_ROLE 'arn" }, /^GlueDatabase .* is not a Glue database name/],
    ['IamRoleArn', { IamRoleArn: `${SPECTRUM_ROLE}' REGION 'eu-west-1` }, /^IamRoleArn is not an IAM role ARN$/],
  ])('fails before any statement when %s would not be safe in SQL', async (_prop, extra, reason) => {
    const w = world();
    const res = await w.run(schemaEvent('Create', schemaProps(extra)));
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toMatch(reason);
    expect(w.api.calls).toEqual([]);
  });

  test('the handler rejects the same reserved words as the constructs', () => {
    expect([...handlerReservedWords].sort()).toEqual([...REDSHIFT_RESERVED_WORDS].sort());
  });

  test('retries throttling (ActiveStatementsExceededException, ThrottlingException) with growing backoff', async () => {
    const w = world();
    w.api.fail('ExecuteStatement', 'ActiveStatementsExceededException', 2);
    w.api.fail('DescribeStatement', 'ThrottlingException', 1);
    const res = await w.run(schemaEvent('Create'));
    expect(res.Status).toBe('SUCCESS');
    // Exponential with jitter (random 0.5 → 75 % of 1 s, 2 s), then the first poll's throttle.
    expect(w.sleeps.slice(0, 3)).toEqual([750, 1500, 750]);
    expect(w.logs.filter(l => l.includes('ActiveStatementsExceededException'))).toHaveLength(2);
  });

  test('retries a cluster the Data API cannot reach for a moment (DatabaseConnectionException)', async () => {
    const w = world();
    w.api.fail('ExecuteStatement', 'DatabaseConnectionException', 2);
    expect((await w.run(schemaEvent('Create'))).Status).toBe('SUCCESS');
  });

  test('the fake refuses results before a statement FINISHED, and for a statement without a result set', async () => {
    const w = world();
    const target = { ClusterIdentifier: CLUSTER, Database: 'analytics', SecretArn: schemaProps().SecretArn };
    const { Id } = await w.api.send('ExecuteStatement', { ...target, Sql: 'SELECT groname FROM pg_group' }) as { Id: string };
    await expect(w.api.send('GetStatementResult', { Id })).rejects.toMatchObject({ name: 'ValidationException' });
    expect(await w.api.send('DescribeStatement', { Id })).toMatchObject({ Status: 'SUBMITTED', HasResultSet: false });
    await expect(w.api.send('DescribeStatement', { Id: 'nope' })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  test('gives up on endless throttling after a bounded number of attempts, with the reason', async () => {
    const w = world();
    w.api.fail('ExecuteStatement', 'ActiveStatementsExceededException', 100);
    const res = await w.run(schemaEvent('Create'));
    expect(res.Reason).toBe('ExecuteStatement kept failing (ActiveStatementsExceededException) after 8 attempts: the account has too many ' +
      'Data API statements running');
    expect(w.elapsed()).toBeLessThan(300_000 - 30_000);
  });

  test('retries AccessDeniedException a few times (IAM propagation of a new policy), then fails', async () => {
    const ok = world();
    ok.api.fail('ExecuteStatement', 'AccessDeniedException', 3);
    expect((await ok.run(schemaEvent('Create'))).Status).toBe('SUCCESS');
    const denied = world();
    denied.api.fail('ExecuteStatement', 'AccessDeniedException', 10, 'User is not authorized to perform: redshift-data:ExecuteStatement');
    const res = await denied.run(schemaEvent('Create'));
    expect(res.Reason).toBe('ExecuteStatement failed: AccessDeniedException: User is not authorized to perform: redshift-data:ExecuteStatement');
    expect(denied.api.calls).toHaveLength(4);
  });

  test('a lost reply to ExecuteStatement is retried with the same ClientToken, so the statement runs once', async () => {
    const w = world({}, lostFirstReply);
    expect((await w.run(schemaEvent('Create'))).Status).toBe('SUCCESS');
    expect(w.api.statements.filter(s => s.sql === CREATE_LAKE)).toHaveLength(1);
    const tokens = w.api.calls.filter(c => c.operation === 'ExecuteStatement').map(c => c.input.ClientToken as string);
    expect(tokens).toHaveLength(3);
    expect(tokens[0]).toBe(tokens[1]);
    expect(tokens[2]).not.toBe(tokens[1]);
  });

  test('a statement that never ends is cancelled before the deadline, and CloudFormation gets FAILED in time', async () => {
    const w = world();
    w.api.stuck = true;
    const res = await w.run(schemaEvent('Create'), 120_000);
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toMatch(/^create external schema lake was still STARTED at the function's deadline and was cancelled/);
    expect(w.api.statements[0].status).toBe('ABORTED');
    expect(w.elapsed()).toBeLessThanOrEqual(120_000 - 30_000);
  });

  test('an unexpected error is named by its type only', async () => {
    const w = world({}, () => async () => { throw new TypeError('secret detail'); });
    const res = await w.run(schemaEvent('Create'));
    expect(res.Reason).toBe('ExecuteStatement failed: TypeError');
  });
});

describe('Custom::RedshiftDatabaseGroups', () => {
  test('creates only the groups that are missing, reading pg_group through every result page', async () => {
    const w = world({ pageSize: 1 });
    w.api.groups.add('etl');
    w.api.groups.add('admins');
    const res = await w.run(groupsEvent('Create', ['etl', 'bi_readers', 'loaders']));
    expect(res).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `${CLUSTER}/groups/WarehouseGroups`, Data: { Created: 'bi_readers,loaders' } });
    expect([...w.api.groups].sort()).toEqual(['admins', 'bi_readers', 'etl', 'loaders']);
    expect(w.api.calls.filter(c => c.operation === 'GetStatementResult')).toHaveLength(2);
    // A second run creates nothing: CREATE GROUP would fail on an existing group.
    expect((await w.run(groupsEvent('Update', ['etl', 'bi_readers', 'loaders'], { physicalId: `${CLUSTER}/groups/WarehouseGroups` }))).Data)
      .toEqual({ Created: '' });
  });

  test('a group created by someone else meanwhile counts as created', async () => {
    const concurrent = { groups: new Set<string>() };
    const w = world({}, send => async (operation, input) => {
      const out = await send(operation, input);
      if (operation === 'GetStatementResult') concurrent.groups.add('etl');
      return out;
    });
    concurrent.groups = w.api.groups;
    expect((await w.run(groupsEvent('Create', ['etl'])))).toMatchObject({ Status: 'SUCCESS', Data: { Created: '' } });
    expect(w.api.statements.find(s => s.sql === 'CREATE GROUP "etl"')?.error).toBe('ERROR: group "etl" already exists');
  });

  test('never drops groups, and checks every name before any statement', async () => {
    const w = world();
    expect((await w.run(groupsEvent('Delete', ['etl'], { physicalId: `${CLUSTER}/groups/WarehouseGroups` }))).Status).toBe('SUCCESS');
    const res = await w.run(groupsEvent('Create', ['etl', 'bi_*']));
    expect(res.Reason).toMatch(/^Groups "bi_\*" is not a valid name/);
    expect(w.api.calls).toEqual([]);
  });
});
