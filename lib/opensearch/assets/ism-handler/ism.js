'use strict';
/**
 * Custom::OpenSearchIsmPolicy: one Index State Management policy, owned by one stack resource.
 *
 * Ownership: the handler appends `[owner: cdk-analytics-blueprints <stack>/<logical id>]` to the policy's
 * description. Create never overwrites a policy that another owner made (unless `AdoptExisting` is 'true');
 * a policy owned by another resource of the same stack is taken over (a lifecycle whose construct path
 * changed). Delete removes only a policy this resource owns.
 *
 * Writes are conditional (`if_seq_no`/`if_primary_term`, as the plugin requires for an update); a 409 means
 * another writer got there first, so the policy is read again and the write retried.
 *
 * Indexes keep the policy version they started with; after an update, `change_policy` moves to the new
 * version the indexes that this policy manages — found with `explain`, never every index matching the
 * patterns — and reports any it could not move.
 *
 * A renamed policy id (same resource, new PolicyId): the old policy's ism_template is removed first (ISM
 * rejects two templates whose patterns overlap at one priority), the new policy is created, the old policy's
 * indexes move to it, and CloudFormation then deletes the old policy. A failure undoes what was done.
 * @see https://docs.opensearch.org/latest/im-plugin/ism/api/
 */
const { unexpected } = require('./domain-client');
const { SafeError } = require('./transport');

const OWNER_TAG = 'owner: cdk-analytics-blueprints ';
const MAX_CONFLICT_RETRIES = 5;

function policyPath(id) {
  return `/_plugins/_ism/policies/${encodeURIComponent(id)}`;
}

/** `<stack name>/<logical id>` of the resource of `event`. */
function ownerOf(event) {
  return `${String(event.StackId).split('/')[1]}/${event.LogicalResourceId}`;
}

function ownerInDescription(description) {
  const m = /\[owner: cdk-analytics-blueprints ([^\]]+)\]\s*$/.exec(description || '');
  return m ? m[1] : undefined;
}

function withOwner(document, owner, { template = true } = {}) {
  const policy = { ...document.policy };
  const description = (policy.description || '').replace(/\s*\[owner: [^\]]*\]\s*$/, '');
  policy.description = `${description} [${OWNER_TAG}${owner}]`.trim();
  if (!template) delete policy.ism_template;
  return { policy };
}

function patternsOf(document) {
  const templates = (document && document.policy && document.policy.ism_template) || [];
  return templates.flatMap((t) => t.index_patterns || []);
}

async function getPolicy(call, id) {
  const res = await call('GET', policyPath(id));
  if (res.statusCode === 404) return undefined;
  if (res.statusCode !== 200 || typeof res.json._seq_no !== 'number') throw unexpected(`GET ${policyPath(id)}`, res);
  return { seqNo: res.json._seq_no, primaryTerm: res.json._primary_term, owner: ownerInDescription((res.json.policy || {}).description) };
}

/** Explains a 400 from a policy PUT in our own words. */
function rejected(id, document, res) {
  const label = `PUT ${policyPath(id)}`;
  if (res.statusCode === 400 && /matching existing policy templates/.test(res.rawForMatching || '')) {
    const priority = ((document.policy.ism_template || [])[0] || {}).priority;
    return new SafeError(`${label}: ISM rejected the policy because its ism_template overlaps the template of another ISM policy at `
      + `priority ${priority}: give the lifecycle a different priority, or change its indexPatterns`);
  }
  if (res.statusCode === 400 && res.type === 'validation_exception') {
    return new SafeError(`${label}: ISM rejected an index pattern of the policy (it must not contain # : \\ / ? " < > | , or a space, `
      + 'nor start with _)');
  }
  return unexpected(label, res);
}

/**
 * Puts `document` (with the owner tag) as policy `id`: a create when `current` is undefined, else a
 * conditional update. On 409 reads the policy again and retries; `decide(current)` says whether the write
 * may go ahead on what was read (it throws when not).
 */
async function writePolicy(call, id, document, current, decide) {
  for (let attempt = 1; ; attempt++) {
    const path = current
      ? `${policyPath(id)}?if_seq_no=${current.seqNo}&if_primary_term=${current.primaryTerm}`
      : policyPath(id);
    const res = await call('PUT', path, document);
    if (res.statusCode === 200 || res.statusCode === 201) return { created: !current };
    if (res.statusCode !== 409) throw rejected(id, document, res);
    if (attempt >= MAX_CONFLICT_RETRIES) {
      throw new SafeError(`PUT ${policyPath(id)}: the policy kept changing under the deployment (HTTP 409 ${attempt} times)`);
    }
    current = await getPolicy(call, id);
    decide(current);
  }
}

/**
 * Whether `owner` (of an existing policy) lets the resource of `event` write it: its own, one of its stack, one it
 * may adopt, or an untagged one this resource already holds as its physical id (a policy an earlier version of
 * this handler created, before it tagged owners).
 */
function mayWrite(event, id, current, adopt) {
  if (!current) return;
  const me = ownerOf(event);
  const stack = `${me.split('/')[0]}/`;
  const heldUntagged = !current.owner && event.RequestType === 'Update' && event.PhysicalResourceId === id;
  if (current.owner === me || (current.owner && current.owner.startsWith(stack)) || adopt || heldUntagged) return;
  throw new SafeError(`the ISM policy '${id}' already exists on the domain and was not created by this stack resource `
    + `(${current.owner ? `its owner is ${current.owner}` : 'it has no owner tag'}); remove it, choose another policyId, `
    + 'or set adoptExistingPolicy: true on the lifecycle to take it over');
}

/** Creates policy `id` or takes it over (see `mayWrite`); returns whether it was created. */
async function putOwnedPolicy(call, event, id, document, adopt) {
  const current = await getPolicy(call, id);
  const decide = (c) => mayWrite(event, id, c, adopt);
  decide(current);
  const { created } = await writePolicy(call, id, withOwner(document, ownerOf(event)), current, decide);
  return created;
}

/** Names of the indexes matching `patterns` that `policyId` manages (ISM explain). */
async function indexesManagedBy(call, policyId, patterns) {
  const names = new Set();
  for (const pattern of new Set(patterns)) {
    const path = `/_plugins/_ism/explain/${encodeURIComponent(pattern)}`;
    const res = await call('GET', path);
    if (res.statusCode === 404) continue;
    if (res.statusCode !== 200) throw unexpected(`GET ${path}`, res);
    for (const [name, info] of Object.entries(res.json)) {
      if (name === 'total_managed_indices' || !info || typeof info !== 'object') continue;
      const managedBy = info.policy_id || info['index.plugins.index_state_management.policy_id'];
      if (managedBy === policyId) names.add(name);
    }
  }
  return [...names].sort();
}

const FAILURE_REASONS = [
  [/transition/i, 'transitioning between states; deploy again once it settled'],
  [/not being managed/i, 'no longer managed by ISM'],
];

/** Moves the indexes `fromId` manages (among `patterns`) to policy `toId`; throws when some could not move. */
async function moveIndexes(call, fromId, toId, patterns) {
  const names = await indexesManagedBy(call, fromId, patterns);
  const failed = [];
  let moved = 0;
  for (let i = 0; i < names.length; i += 50) {
    const batch = names.slice(i, i + 50);
    const path = `/_plugins/_ism/change_policy/${batch.map(encodeURIComponent).join(',')}`;
    const res = await call('POST', path, { policy_id: toId });
    if (res.statusCode !== 200) throw unexpected('POST /_plugins/_ism/change_policy', res);
    moved += typeof res.json.updated_indices === 'number' ? res.json.updated_indices : 0;
    for (const f of res.json.failed_indices || []) {
      const known = FAILURE_REASONS.find(([re]) => re.test(String(f.reason || '')));
      failed.push(`${f.index_name} (${known ? known[1] : 'rejected by ISM'})`);
    }
  }
  if (failed.length > 0) {
    const shown = failed.slice(0, 10).join(', ') + (failed.length > 10 ? `, and ${failed.length - 10} more` : '');
    throw new SafeError(`change_policy moved ${moved} of ${names.length} indexes managed by '${fromId}'; not moved: ${shown}`);
  }
  return moved;
}

async function createOrUpdate(call, event, log) {
  const props = event.ResourceProperties;
  const id = props.PolicyId;
  const document = JSON.parse(props.Policy);
  const adopt = props.AdoptExisting === 'true';
  const old = event.OldResourceProperties;
  const previousId = event.RequestType === 'Update' && old && event.PhysicalResourceId === old.PolicyId ? old.PolicyId : undefined;

  if (previousId === undefined) {
    await putOwnedPolicy(call, event, id, document, adopt);
    return;
  }
  const oldDocument = JSON.parse(old.Policy);
  const patterns = [...patternsOf(oldDocument), ...patternsOf(document)];
  if (previousId === id) {
    await putOwnedPolicy(call, event, id, document, adopt);
    const moved = await moveIndexes(call, id, id, patterns);
    log(JSON.stringify({ level: 'INFO', policy: id, indexesMovedToNewVersion: moved }));
    return;
  }
  await renamePolicy(call, event, previousId, oldDocument, id, document, adopt, patterns, log);
}

async function renamePolicy(call, event, oldId, oldDocument, id, document, adopt, patterns, log) {
  const me = ownerOf(event);
  let freed = false;
  let created = false;
  const oldPolicy = await getPolicy(call, oldId);
  if (oldPolicy && oldPolicy.owner === me) {
    await writePolicy(call, oldId, withOwner(oldDocument, me, { template: false }), oldPolicy, () => undefined);
    freed = true;
  }
  try {
    created = await putOwnedPolicy(call, event, id, document, adopt);
    const moved = await moveIndexes(call, oldId, id, patterns);
    log(JSON.stringify({ level: 'INFO', renamedFrom: oldId, policy: id, indexesMoved: moved }));
  } catch (e) {
    // Undo, best effort, so that the rollback finds the old policy as it was.
    try {
      if (created) {
        await moveIndexes(call, id, oldId, patterns).catch(() => undefined);
        await call('DELETE', policyPath(id));
      }
      if (freed) {
        const current = await getPolicy(call, oldId);
        if (current) await writePolicy(call, oldId, withOwner(oldDocument, me), current, () => undefined);
      }
    } catch (undoError) {
      log(JSON.stringify({ level: 'ERROR', undo: 'incomplete', policy: oldId, error: undoError instanceof SafeError ? undoError.message : 'unexpected' }));
    }
    throw e;
  }
}

async function remove(call, event, log) {
  const id = event.PhysicalResourceId;
  const current = await getPolicy(call, id);
  if (!current) return;
  if (current.owner !== ownerOf(event)) {
    log(JSON.stringify({ level: 'INFO', policy: id, action: 'left in place', reason: current.owner ? `owned by ${current.owner}` : 'not created by this stack resource' }));
    return;
  }
  const res = await call('DELETE', policyPath(id));
  if (res.statusCode !== 200 && res.statusCode !== 404) throw unexpected(`DELETE ${policyPath(id)}`, res);
}

/** Handles one Custom::OpenSearchIsmPolicy event; `connect(opts)` returns the domain client. */
async function handleIsmPolicy(event, connect, log) {
  const props = event.ResourceProperties;
  if (event.RequestType === 'Delete') {
    // A create that failed before a policy existed has no policy id as physical id: nothing to delete.
    if (event.PhysicalResourceId === props.PolicyId) {
      await remove(await connect({ giveUpOnUnresolvable: true }), event, log);
    }
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  await createOrUpdate(await connect(), event, log);
  return { PhysicalResourceId: props.PolicyId, Data: { PolicyId: props.PolicyId } };
}

module.exports = { handleIsmPolicy, ownerOf, ownerInDescription };
