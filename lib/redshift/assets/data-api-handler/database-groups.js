'use strict';
/**
 * Custom::RedshiftDatabaseGroups: database groups that must exist, such as the user groups WLM queues route by.
 *
 * Properties: ClusterIdentifier, Database, SecretArn (the target), Groups (names).
 * - Create and Update: reads pg_group and creates the groups that are missing (CREATE GROUP has no IF NOT
 *   EXISTS); a group created by someone else in between ("already exists") counts as created.
 * - Groups are never dropped, on update or delete: a group holds no data, and DROP GROUP fails while the group
 *   holds privileges, which would block the stack's deletion.
 * @see https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_GROUP.html
 * @see https://docs.aws.amazon.com/redshift/latest/dg/r_PG_GROUP.html
 */
const { SafeError } = require('./errors');
const sql = require('./sql');

async function handleDatabaseGroups(event, connect, log) {
  const p = event.ResourceProperties;
  if (event.RequestType === 'Delete') {
    log(JSON.stringify({ level: 'INFO', action: 'kept the database groups (groups are never dropped)' }));
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const groups = Array.isArray(p.Groups) ? p.Groups : [];
  if (groups.length === 0) throw new SafeError('Groups must name at least one group');
  for (const g of groups) sql.checkIdentifier('Groups', g);
  const api = connect(p);
  const existing = new Set((await api.query('list the database groups', sql.LIST_GROUPS)).map(r => r[0]));
  const created = [];
  for (const g of [...new Set(groups)]) {
    if (existing.has(g)) continue;
    try {
      await api.run(`create group ${g}`, sql.createGroup(g));
      created.push(g);
    } catch (e) {
      if (!(e instanceof SafeError && /already exists/i.test(e.sqlError || ''))) throw e;
      log(JSON.stringify({ level: 'INFO', action: `group ${g} was created by someone else meanwhile` }));
    }
  }
  log(JSON.stringify({ level: 'INFO', action: 'database groups ensured', created }));
  return { PhysicalResourceId: `${p.ClusterIdentifier}/groups/${event.LogicalResourceId}`, Data: { Created: created.join(',') } };
}

module.exports = { handleDatabaseGroups };
