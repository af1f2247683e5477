'use strict';
/**
 * Custom::RedshiftExternalSchema: an external schema on a Glue Data Catalog database, read with the Spectrum role.
 *
 * Properties: ClusterIdentifier, Database, SecretArn (the target), SchemaName, GlueDatabase, IamRoleArn, and
 * DropOnDelete ('true' when the construct's removal policy is DESTROY).
 * - Create: CREATE EXTERNAL SCHEMA IF NOT EXISTS, then svv_external_schemas must show the schema on the same
 *   catalog database and role: a schema of that name made by someone else (or a local schema) fails the
 *   deployment instead of being silently adopted.
 * - Update with a new cluster, database or schema name: the new schema is created (a new physical ID), and
 *   CloudFormation then sends a Delete for the old one, which drops it only if its DropOnDelete was 'true'.
 * - Update of the catalog database or role under the same name: Redshift cannot alter them, so the schema is
 *   dropped and created again (two statements: queries of the schema fail in between). Dropping an external
 *   schema deletes no data: the Glue catalog and the lake are untouched (no DROP EXTERNAL DATABASE).
 * - Delete: keeps the schema unless DropOnDelete is 'true'; then drops it only if it still is this external
 *   schema. A cluster that is gone has nothing left to drop.
 * @see https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_EXTERNAL_SCHEMA.html
 * @see https://docs.aws.amazon.com/redshift/latest/dg/r_DROP_SCHEMA.html
 * @see https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_EXTERNAL_SCHEMAS.html
 */
const { SafeError } = require('./errors');
const sql = require('./sql');

function physicalIdOf(p) {
  return `${p.ClusterIdentifier}/${p.Database}/${p.SchemaName}`;
}

/** The external schema as svv_external_schemas shows it, or undefined. */
async function describe(api, schema) {
  const rows = await api.query(`read the definition of external schema ${schema}`, sql.DESCRIBE_EXTERNAL_SCHEMA,
    [{ name: 'schema_name', value: schema }]);
  if (rows.length === 0) return undefined;
  const [databaseName, options] = rows[0];
  let role;
  try {
    role = JSON.parse(options || '{}').IAM_ROLE;
  } catch {
    role = undefined;
  }
  return { databaseName, role };
}

async function createAndVerify(api, p) {
  await api.run(`create external schema ${p.SchemaName}`, sql.createExternalSchema(p.SchemaName, p.GlueDatabase, p.IamRoleArn));
  const found = await describe(api, p.SchemaName);
  if (!found) {
    throw new SafeError(`schema ${p.SchemaName} exists in database ${p.Database} but is not an external schema: choose another schemaName, `
      + 'or drop or rename the local schema');
  }
  if (found.databaseName !== p.GlueDatabase || (found.role !== undefined && found.role !== p.IamRoleArn)) {
    throw new SafeError(`external schema ${p.SchemaName} already exists on Glue database ${found.databaseName}`
      + `${found.role && found.role !== p.IamRoleArn ? ` with another IAM role (${found.role})` : ''}, so it was not changed: choose another `
      + 'schemaName, or drop that schema first');
  }
}

/** Checks what the handler puts in SQL before any statement runs. */
function check(p) {
  sql.checkIdentifier('SchemaName', p.SchemaName);
  sql.checkGlueDatabase(p.GlueDatabase);
  sql.checkRoleArn(p.IamRoleArn);
}

async function handleExternalSchema(event, connect, log) {
  const p = event.ResourceProperties;
  const physicalId = physicalIdOf(p);
  const data = { SchemaName: p.SchemaName };
  if (event.RequestType === 'Delete') {
    if (!event.PhysicalResourceId || event.PhysicalResourceId.startsWith('failed-')) return { PhysicalResourceId: event.PhysicalResourceId };
    if (p.DropOnDelete !== 'true') {
      log(JSON.stringify({ level: 'INFO', action: `kept external schema ${p.SchemaName} (removal policy is not DESTROY)` }));
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    check(p);
    const api = connect(p);
    const found = await describe(api, p.SchemaName);
    if (found && found.databaseName === p.GlueDatabase) {
      await api.run(`drop external schema ${p.SchemaName}`, sql.dropSchema(p.SchemaName));
    } else {
      log(JSON.stringify({ level: 'INFO', action: `nothing to drop: ${p.SchemaName} is not an external schema on ${p.GlueDatabase}` }));
    }
    return { PhysicalResourceId: event.PhysicalResourceId };
  }

  check(p);
  const api = connect(p);
  const old = event.OldResourceProperties;
  const sameResource = event.RequestType === 'Update' && event.PhysicalResourceId === physicalId;
  if (sameResource && old && (old.GlueDatabase !== p.GlueDatabase || old.IamRoleArn !== p.IamRoleArn)) {
    const found = await describe(api, p.SchemaName);
    if (found && found.databaseName !== old.GlueDatabase) {
      throw new SafeError(`external schema ${p.SchemaName} reads Glue database ${found.databaseName}, not ${old.GlueDatabase} as deployed: `
        + 'it was changed outside CloudFormation, so it was not replaced');
    }
    if (found) await api.run(`drop external schema ${p.SchemaName} to replace it`, sql.dropSchema(p.SchemaName));
  }
  await createAndVerify(api, p);
  return { PhysicalResourceId: physicalId, Data: data };
}

module.exports = { handleExternalSchema };
