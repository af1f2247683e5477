'use strict';
/**
 * Security plugin resources (fine-grained access control).
 *
 * Custom::OpenSearchRoleMapping: a role this resource owns (tagged in its description, never an existing
 * role of someone else) and the resource's IAM roles merged into the role mapping of the same name: an
 * operator's backend roles, users and hosts in that mapping are kept on create, update and delete.
 *
 * Custom::OpenSearchAuditLog: turns audit logging on in the security plugin (publishing AUDIT_LOGS to
 * CloudWatch alone leaves the log group empty), changing only `config.enabled`. Delete leaves it on.
 * @see https://docs.opensearch.org/latest/security/access-control/api/
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/audit-logs.html
 */
const { unexpected } = require('./domain-client');
const { SafeError } = require('./transport');
const { ownerOf, ownerInDescription } = require('./ism');

function securityPath(kind, name) {
  return `/_plugins/_security/api/${kind}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}

/** Throws a clear error when the security plugin API is not there (fine-grained access control off). */
function checkPluginThere(res) {
  if (res.statusCode === 400 && /no handler found/.test(res.rawForMatching || '')) {
    throw new SafeError('fine-grained access control is not enabled on the domain (the security plugin API is not there); '
      + 'the construct needs it to map IAM roles');
  }
}

async function getResource(call, kind, name) {
  const res = await call('GET', securityPath(kind, name));
  checkPluginThere(res);
  if (res.statusCode === 404) return undefined;
  if (res.statusCode !== 200) throw unexpected(`GET ${securityPath(kind, name)}`, res);
  return res.json[name] || {};
}

async function putResource(call, kind, name, body) {
  const res = await call('PUT', securityPath(kind, name), body);
  checkPluginThere(res);
  if (res.statusCode !== 200 && res.statusCode !== 201) throw unexpected(`PUT ${securityPath(kind, name)}`, res);
}

async function deleteResource(call, kind, name) {
  const res = await call('DELETE', securityPath(kind, name));
  if (res.statusCode !== 200 && res.statusCode !== 404) throw unexpected(`DELETE ${securityPath(kind, name)}`, res);
}

/** The fields of a mapping that PUT takes back (GET adds reserved/hidden/static). */
function mappingBody(mapping, backendRoles) {
  const body = { backend_roles: backendRoles };
  for (const k of ['hosts', 'users', 'and_backend_roles', 'description']) {
    if (mapping[k] !== undefined) body[k] = mapping[k];
  }
  return body;
}

function sameList(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function putRoleAndMapping(call, event) {
  const props = event.ResourceProperties;
  const name = props.SecurityRole;
  const me = ownerOf(event);
  const ours = props.BackendRoles || [];
  const old = event.OldResourceProperties;
  const previouslyOurs = old && old.SecurityRole === name ? old.BackendRoles || [] : [];

  const role = await getResource(call, 'roles', name);
  const roleOwner = role && ownerInDescription(role.description);
  // An untagged role this resource already holds was created by an earlier version of this handler.
  const heldUntagged = !roleOwner && event.RequestType === 'Update' && event.PhysicalResourceId === name;
  if (role && roleOwner !== me && !(roleOwner && roleOwner.startsWith(`${me.split('/')[0]}/`)) && !heldUntagged) {
    throw new SafeError(`the security role '${name}' already exists on the domain and was not created by this stack resource; `
      + 'remove it or write to another index name');
  }
  await putResource(call, 'roles', name, { ...JSON.parse(props.Role), description: `Managed by cdk-analytics-blueprints [owner: cdk-analytics-blueprints ${me}]` });

  const mapping = await getResource(call, 'rolesmapping', name);
  if (!mapping) {
    await putResource(call, 'rolesmapping', name, { backend_roles: ours });
    return;
  }
  const current = mapping.backend_roles || [];
  const desired = current.filter((r) => !previouslyOurs.includes(r) || ours.includes(r));
  for (const r of ours) if (!desired.includes(r)) desired.push(r);
  if (!sameList(current, desired)) await putResource(call, 'rolesmapping', name, mappingBody(mapping, desired));
}

async function removeRoleAndMapping(call, event, log) {
  const props = event.ResourceProperties;
  const name = event.PhysicalResourceId;
  const ours = props.BackendRoles || [];
  const mapping = await getResource(call, 'rolesmapping', name);
  let mappingGone = !mapping;
  if (mapping) {
    const remaining = (mapping.backend_roles || []).filter((r) => !ours.includes(r));
    const othersMapped = remaining.length > 0 || (mapping.users || []).length > 0 || (mapping.hosts || []).length > 0;
    if (othersMapped) {
      await putResource(call, 'rolesmapping', name, mappingBody(mapping, remaining));
      log(JSON.stringify({ level: 'INFO', securityRole: name, action: 'kept: others are mapped to it' }));
    } else {
      await deleteResource(call, 'rolesmapping', name);
      mappingGone = true;
    }
  }
  if (!mappingGone) return;
  const role = await getResource(call, 'roles', name);
  if (role && ownerInDescription(role.description) === ownerOf(event)) await deleteResource(call, 'roles', name);
}

async function handleRoleMapping(event, connect, log) {
  const props = event.ResourceProperties;
  if (event.RequestType === 'Delete') {
    if (event.PhysicalResourceId === props.SecurityRole) {
      await removeRoleAndMapping(await connect({ giveUpOnUnresolvable: true }), event, log);
    }
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  await putRoleAndMapping(await connect(), event);
  return { PhysicalResourceId: props.SecurityRole, Data: { SecurityRole: props.SecurityRole } };
}

async function handleAuditLog(event, connect, log) {
  const physicalId = `audit-log-${event.ResourceProperties.Endpoint}`.slice(0, 200);
  if (event.RequestType === 'Delete') {
    log(JSON.stringify({ level: 'INFO', action: 'audit logging left on in the security plugin' }));
    return { PhysicalResourceId: event.PhysicalResourceId || physicalId };
  }
  const call = await connect();
  const res = await call('GET', securityPath('audit'));
  checkPluginThere(res);
  if (res.statusCode !== 200) throw unexpected(`GET ${securityPath('audit')}`, res);
  if (!(res.json.config && res.json.config.enabled === true)) {
    const patch = await call('PATCH', securityPath('audit'), [{ op: 'add', path: '/config/enabled', value: true }]);
    if (patch.statusCode !== 200) throw unexpected(`PATCH ${securityPath('audit')}`, patch);
  }
  return { PhysicalResourceId: physicalId };
}

module.exports = { handleRoleMapping, handleAuditLog };
