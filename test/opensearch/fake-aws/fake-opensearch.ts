/**
 * An in-process OpenSearch Service domain for the handler tests: the REST API of the Index State Management
 * plugin and of the security plugin, behind the two authorization layers of the service (the domain access
 * policy, evaluated by IAM, then fine-grained access control). It enforces what the real plugins enforce and
 * answers with their status codes:
 *
 * - ISM policies live in a config index: a PUT without `if_seq_no`/`if_primary_term` is a create (409 when the
 *   policy exists), a PUT with them is a conditional update (409 when they are stale); an `ism_template` whose
 *   index patterns overlap another policy's at the same priority is rejected (400), and so are index patterns
 *   with characters ISM refuses (`TransportIndexPolicyAction.kt`, `ISMTemplateService.kt` of
 *   opensearch-project/index-management);
 * - `change_policy` moves every managed index it names to the policy, whatever policy manages it now, and
 *   reports indexes it cannot change in `failed_indices` (`TransportChangePolicyAction.kt`); `explain` tells
 *   which policy manages each index;
 * - role and role-mapping resources of the security plugin (GET/PUT/PATCH/DELETE), its audit configuration,
 *   reserved roles, and the plugin being off or not yet initialized (503) right after the domain is created;
 * - 401 for a wrong internal-user password, 403 for a principal the access policy (or, for the account root,
 *   the principal's identity policy) does not allow, and 403 from fine-grained access control for a principal
 *   not mapped to an admin role.
 */
import { globMatch, overlapping } from './glob';

/** A request as the domain sees it, after the router verified its signature (if any). */
export interface DomainRequest {
  readonly method: string;
  /** Path as received on the wire (percent-encoded), without the query string. */
  readonly rawPath: string;
  readonly query: URLSearchParams;
  readonly body?: string;
  /** ARN of the IAM principal that signed the request; undefined when unsigned. */
  readonly principal?: string;
  /** `user:password` of HTTP basic auth, when used. */
  readonly basic?: { user: string; password: string };
}

export interface DomainReply { statusCode: number; body: string }

/** How the domain is set up. */
export interface FakeDomainOptions {
  /** Principals (role ARNs, or `arn:aws:iam::<account>:root`) the domain access policy allows; '*' for anyone. */
  readonly accessPolicyPrincipals: string[];
  /** es:ESHttp* actions each principal's identity policy allows on this domain (consulted when the access policy names the account root). */
  readonly identityPolicies?: Record<string, string[]>;
  /** Backend roles (IAM role ARNs) and internal users with every permission (the master user). */
  readonly admins: string[];
  /** Internal users and their passwords. */
  readonly internalUsers?: Record<string, string>;
  /** Whether fine-grained access control (the security plugin) is on. Default true. */
  readonly securityPlugin?: boolean;
  /** Requests answered with 503 "OpenSearch Security not initialized." before the plugin is ready. Default 0. */
  readonly securityInitializingRequests?: number;
  /** Text added to every error body, so that a test can check it never reaches a reason or a log line. */
  readonly errorBodyMarker?: string;
}

interface StoredPolicy { seqNo: number; primaryTerm: number; version: number; policy: Record<string, unknown> }
interface Index { policyId?: string; inTransition?: boolean }
interface IsmTemplate { index_patterns: string[]; priority: number }

const POLICY_FIELDS = new Set(['policy_id', 'description', 'last_updated_time', 'schema_version', 'error_notification',
  'default_state', 'states', 'ism_template', 'user']);
const ROLE_FIELDS = new Set(['cluster_permissions', 'index_permissions', 'tenant_permissions', 'description']);
const MAPPING_FIELDS = new Set(['backend_roles', 'hosts', 'users', 'and_backend_roles', 'description']);
const RESERVED_ROLES = new Set(['all_access', 'security_manager', 'readall', 'kibana_user']);
/** `Strings.INVALID_FILENAME_CHARS` of OpenSearch, less `*`, which index patterns may contain. */
const INVALID_PATTERN_CHARS = ['\\', '/', '?', '"', '<', '>', '|', ' ', ','];

export class FakeOpenSearchDomain {
  /** ISM policies by id. */
  public readonly policies = new Map<string, StoredPolicy>();
  /** Indexes by name, with the policy that manages each. */
  public readonly indices = new Map<string, Index>();
  /** Security plugin roles and role mappings by name. */
  public readonly roles = new Map<string, Record<string, unknown>>();
  public readonly rolesMapping = new Map<string, Record<string, unknown>>();
  /** Audit configuration of the security plugin (off on a new domain). */
  public auditConfig: Record<string, unknown> = {
    enabled: false,
    audit: { enable_rest: true, enable_transport: true, disabled_rest_categories: ['AUTHENTICATED', 'GRANTED_PRIVILEGES'] },
    compliance: { enabled: true },
  };
  /** Runs after a policy GET is answered; a test uses it to simulate a concurrent writer. */
  public afterPolicyGet?: (id: string) => void;
  private seqNo = 0;
  private initializing: number;

  constructor(private readonly options: FakeDomainOptions) {
    this.initializing = options.securityInitializingRequests ?? 0;
  }

  /** Stores a policy as another writer would (operator, other stack); returns it. */
  public putPolicyDirectly(id: string, policy: Record<string, unknown>): StoredPolicy {
    const stored = { seqNo: this.seqNo++, primaryTerm: 1, version: (this.policies.get(id)?.version ?? 0) + 1, policy: { policy_id: id, ...policy } };
    this.policies.set(id, stored);
    return stored;
  }

  public handle(req: DomainRequest): DomainReply {
    const denied = this.authorize(req);
    if (denied) return denied;
    const path = req.rawPath.split('/').map(decodeURIComponent);
    const [, plugin, api, ...rest] = path;
    if (plugin === '_plugins' && api === '_ism') return this.ism(req, rest);
    if (plugin === '_plugins' && api === '_security') {
      if (this.options.securityPlugin === false) {
        return this.error(400, { error: `no handler found for uri [${req.rawPath}] and method [${req.method}]` });
      }
      return this.security(req, rest);
    }
    return this.error(400, { error: `no handler found for uri [${req.rawPath}] and method [${req.method}]` });
  }

  // ---- authorization: access policy (IAM), then fine-grained access control ----

  private authorize(req: DomainRequest): DomainReply | undefined {
    const action = `es:ESHttp${req.method[0]}${req.method.slice(1).toLowerCase()}`;
    let fgacIdentity: string | undefined;
    if (req.basic) {
      const users = this.options.internalUsers ?? {};
      if (users[req.basic.user] !== req.basic.password) return { statusCode: 401, body: `Unauthorized${this.marker()}` };
      if (!this.options.accessPolicyPrincipals.includes('*')) {
        return this.error(403, { message: `User: anonymous is not authorized to perform: ${action}` });
      }
      fgacIdentity = req.basic.user;
    } else if (req.principal) {
      // Same account: a resource policy naming the role allows it; one naming the account root delegates to
      // the role's identity policy.
      const [, partition, , , account] = req.principal.split(':');
      const byResourcePolicy = this.options.accessPolicyPrincipals.some(p => p === '*' || p === req.principal);
      const byIdentityPolicy = this.options.accessPolicyPrincipals.includes(`arn:${partition}:iam::${account}:root`)
        && (this.options.identityPolicies?.[req.principal] ?? []).includes(action);
      if (!byResourcePolicy && !byIdentityPolicy) {
        return this.error(403, { message: `User: ${req.principal} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action` });
      }
      fgacIdentity = req.principal;
    } else if (!this.options.accessPolicyPrincipals.includes('*')) {
      return this.error(403, { message: `User: anonymous is not authorized to perform: ${action}` });
    }
    if (this.options.securityPlugin === false) return undefined;
    if (this.initializing > 0) {
      this.initializing--;
      return { statusCode: 503, body: `OpenSearch Security not initialized.${this.marker()}` };
    }
    if (!fgacIdentity || !this.options.admins.includes(fgacIdentity)) {
      const reason = `no permissions for [cluster:admin/opendistro/ism/*] and User [name=${fgacIdentity ?? 'anonymous'}, backend_roles=[], requestedTenant=null]`;
      return this.error(403, { error: { root_cause: [{ type: 'security_exception', reason }], type: 'security_exception', reason }, status: 403 });
    }
    return undefined;
  }

  // ---- Index State Management ----

  private ism(req: DomainRequest, rest: string[]): DomainReply {
    const [resource, target] = rest;
    if (resource === 'policies' && target) {
      if (req.method === 'GET') return this.getPolicy(target);
      if (req.method === 'PUT') return this.putPolicy(req, target);
      if (req.method === 'DELETE') {
        const existed = this.policies.delete(target);
        if (existed) this.seqNo++;
        return { statusCode: existed ? 200 : 404, body: JSON.stringify({ _id: target, result: existed ? 'deleted' : 'not_found' }) };
      }
    }
    if (resource === 'explain' && target && req.method === 'GET') return this.explain(target);
    if (resource === 'change_policy' && target && req.method === 'POST') return this.changePolicy(req, target);
    return this.error(400, { error: `no handler found for uri [${req.rawPath}] and method [${req.method}]` });
  }

  private getPolicy(id: string): DomainReply {
    const p = this.policies.get(id);
    if (!p) return this.error(404, { error: { type: 'status_exception', reason: 'Policy not found' }, status: 404 });
    const body = { _id: id, _version: p.version, _seq_no: p.seqNo, _primary_term: p.primaryTerm, policy: p.policy };
    const reply = { statusCode: 200, body: JSON.stringify(body) };
    this.afterPolicyGet?.(id);
    return reply;
  }

  private putPolicy(req: DomainRequest, id: string): DomainReply {
    let body: { policy?: Record<string, unknown> };
    try { body = JSON.parse(req.body ?? ''); } catch { return this.badRequest('parse_exception', 'request body is required'); }
    const policy = body.policy;
    if (!policy || typeof policy !== 'object') return this.badRequest('illegal_argument_exception', 'Required [policy] is missing');
    const unknown = Object.keys(policy).filter(k => !POLICY_FIELDS.has(k));
    if (unknown.length) return this.badRequest('x_content_parse_exception', `Invalid field: [${unknown[0]}] found in Policy.`);
    const states = policy.states as Array<{ name: string }> | undefined;
    if (!Array.isArray(states) || !states.some(s => s.name === policy.default_state)) {
      return this.badRequest('illegal_argument_exception', 'Policy must have a default state that is in its states');
    }
    const templates = (policy.ism_template ?? []) as IsmTemplate[];
    const patterns = templates.flatMap(t => t.index_patterns);
    const formatErrors = patterns.flatMap(p => [
      ...(p.includes('#') ? [`index_pattern [${p}] must not contain a '#'`] : []),
      ...(p.includes(':') ? [`index_pattern [${p}] must not contain a ':'`] : []),
      ...(p.startsWith('_') ? [`index_pattern [${p}] must not start with '_'`] : []),
      ...(INVALID_PATTERN_CHARS.some(c => p.includes(c)) ? [`index_pattern [${p}] must not contain the following characters ${INVALID_PATTERN_CHARS}`] : []),
    ]);
    if (formatErrors.length) return this.badRequest('validation_exception', formatErrors.join('; '));
    for (const t of templates) {
      for (const [otherId, other] of this.policies) {
        if (otherId === id) continue;
        const otherTemplates = (other.policy.ism_template ?? []) as IsmTemplate[];
        if (otherTemplates.some(o => o.priority === t.priority && overlapping(t.index_patterns, o.index_patterns))) {
          return this.badRequest('illegal_argument_exception',
            `New policy ${id} has an ISM template with index pattern [${t.index_patterns}] matching existing policy templates, please use a different priority than ${t.priority}`);
        }
      }
    }
    const ifSeqNo = req.query.get('if_seq_no');
    const ifPrimaryTerm = req.query.get('if_primary_term');
    const existing = this.policies.get(id);
    if (ifSeqNo === null || ifPrimaryTerm === null) {
      if (existing) return this.conflict(id, `version conflict, document already exists (current version [${existing.version}])`);
    } else if (!existing) {
      return this.conflict(id, `version conflict, required seqNo [${ifSeqNo}], primary term [${ifPrimaryTerm}]. but no document was found`);
    } else if (Number(ifSeqNo) !== existing.seqNo || Number(ifPrimaryTerm) !== existing.primaryTerm) {
      return this.conflict(id, `version conflict, required seqNo [${ifSeqNo}], primary term [${ifPrimaryTerm}]. current document has seqNo [${existing.seqNo}] and primary term [${existing.primaryTerm}]`);
    }
    const stored = this.putPolicyDirectly(id, { ...policy, ism_template: templates.length ? templates : null });
    const written = { _id: id, _version: stored.version, _seq_no: stored.seqNo, _primary_term: 1, policy: { policy: stored.policy } };
    return { statusCode: existing ? 200 : 201, body: JSON.stringify(written) };
  }

  /** Expands a comma-separated list of names and patterns against the indexes; undefined names a missing concrete index. */
  private expand(target: string): { names: string[]; missing?: string } {
    const names = new Set<string>();
    for (const part of target.split(',')) {
      if (part.includes('*')) {
        for (const name of this.indices.keys()) if (globMatch(part, name)) names.add(name);
      } else if (this.indices.has(part)) {
        names.add(part);
      } else {
        return { names: [], missing: part };
      }
    }
    return { names: [...names].sort() };
  }

  private explain(target: string): DomainReply {
    const { names, missing } = this.expand(target);
    if (missing) return this.error(404, { error: { type: 'index_not_found_exception', reason: `no such index [${missing}]` }, status: 404 });
    const out: Record<string, unknown> = {};
    let managed = 0;
    for (const name of names) {
      const policyId = this.indices.get(name)!.policyId ?? null;
      if (policyId) managed++;
      out[name] = policyId
        ? { 'index.plugins.index_state_management.policy_id': policyId, 'index.opendistro.index_state_management.policy_id': policyId, index: name, policy_id: policyId, enabled: true }
        : { 'index.plugins.index_state_management.policy_id': null, 'index.opendistro.index_state_management.policy_id': null, enabled: null };
    }
    out.total_managed_indices = managed;
    return { statusCode: 200, body: JSON.stringify(out) };
  }

  private changePolicy(req: DomainRequest, target: string): DomainReply {
    const body = JSON.parse(req.body ?? '{}') as { policy_id?: string };
    if (!body.policy_id || !this.policies.has(body.policy_id)) {
      return this.error(404, { error: { type: 'status_exception', reason: `Could not find policy=${body.policy_id}` }, status: 404 });
    }
    const { names, missing } = this.expand(target);
    if (missing) return this.error(404, { error: { type: 'index_not_found_exception', reason: `no such index [${missing}]` }, status: 404 });
    const failed: Array<{ index_name: string; index_uuid: string; reason: string }> = [];
    let updated = 0;
    for (const name of names) {
      const index = this.indices.get(name)!;
      if (!index.policyId) failed.push({ index_name: name, index_uuid: `uuid-${name}`, reason: 'This index is not being managed' });
      else if (index.inTransition) failed.push({ index_name: name, index_uuid: `uuid-${name}`, reason: 'Cannot change policy while transitioning to new state' });
      else { index.policyId = body.policy_id; updated++; }
    }
    return { statusCode: 200, body: JSON.stringify({ updated_indices: updated, failures: failed.length > 0, failed_indices: failed }) };
  }

  // ---- security plugin ----

  private security(req: DomainRequest, rest: string[]): DomainReply {
    const [api, kind, name] = rest;
    if (api !== 'api') return this.error(400, { error: `no handler found for uri [${req.rawPath}] and method [${req.method}]` });
    if (kind === 'audit') return this.audit(req, name);
    const store = kind === 'roles' ? this.roles : kind === 'rolesmapping' ? this.rolesMapping : undefined;
    const fields = kind === 'roles' ? ROLE_FIELDS : MAPPING_FIELDS;
    if (!store || !name) return this.error(400, { error: `no handler found for uri [${req.rawPath}] and method [${req.method}]` });
    const notFound = () => this.error(404, { status: 'NOT_FOUND', message: `Resource '${name}' not found.` });
    if (RESERVED_ROLES.has(name) && req.method !== 'GET') return this.error(403, { status: 'FORBIDDEN', message: `Resource '${name}' is reserved.` });
    switch (req.method) {
      case 'GET': {
        const r = store.get(name);
        return r ? { statusCode: 200, body: JSON.stringify({ [name]: { ...r, reserved: false, hidden: false, static: false } }) } : notFound();
      }
      case 'PUT': {
        const body = JSON.parse(req.body ?? '{}') as Record<string, unknown>;
        const unknown = Object.keys(body).filter(k => !fields.has(k));
        if (unknown.length) return this.error(400, { status: 'error', reason: `Invalid configuration`, invalid_keys: { keys: unknown.join(',') } });
        const existed = store.has(name);
        store.set(name, body);
        return { statusCode: existed ? 200 : 201, body: JSON.stringify({ status: existed ? 'OK' : 'CREATED', message: `'${name}' ${existed ? 'updated' : 'created'}.` }) };
      }
      case 'PATCH': {
        const current = store.get(name);
        if (!current) return notFound();
        const next = applyPatch({ ...current }, JSON.parse(req.body ?? '[]'));
        if (!next) return this.error(400, { status: 'error', message: 'Invalid JSON patch' });
        store.set(name, next);
        return { statusCode: 200, body: JSON.stringify({ status: 'OK', message: `'${name}' updated.` }) };
      }
      case 'DELETE':
        return store.delete(name) ? { statusCode: 200, body: JSON.stringify({ status: 'OK', message: `'${name}' deleted.` }) } : notFound();
    }
    return this.error(405, { error: 'method not allowed' });
  }

  private audit(req: DomainRequest, sub: string | undefined): DomainReply {
    if (req.method === 'GET' && !sub) return { statusCode: 200, body: JSON.stringify({ _readonly: ['/audit/exclude_sensitive_headers'], config: this.auditConfig }) };
    if (req.method === 'PUT' && sub === 'config') {
      this.auditConfig = JSON.parse(req.body ?? '{}');
      return { statusCode: 200, body: JSON.stringify({ status: 'OK', message: "'config' updated." }) };
    }
    if (req.method === 'PATCH' && !sub) {
      const next = applyPatch({ config: this.auditConfig }, JSON.parse(req.body ?? '[]'));
      if (!next) return this.error(400, { status: 'error', message: 'Invalid JSON patch' });
      this.auditConfig = next.config as Record<string, unknown>;
      return { statusCode: 200, body: JSON.stringify({ status: 'OK', message: 'Resource updated.' }) };
    }
    return this.error(400, { error: `no handler found for uri [${req.rawPath}] and method [${req.method}]` });
  }

  // ---- replies ----

  private marker(): string {
    return this.options.errorBodyMarker ? ` ${this.options.errorBodyMarker}` : '';
  }

  private error(statusCode: number, body: Record<string, unknown>): DomainReply {
    return { statusCode, body: JSON.stringify({ ...body, ...(this.options.errorBodyMarker ? { detail: this.options.errorBodyMarker } : {}) }) };
  }

  private badRequest(type: string, reason: string): DomainReply {
    return this.error(400, { error: { root_cause: [{ type, reason }], type, reason }, status: 400 });
  }

  private conflict(id: string, reason: string): DomainReply {
    return this.error(409, { error: { type: 'version_conflict_engine_exception', reason: `[${id}]: ${reason}` }, status: 409 });
  }
}

/** RFC 6902 add/replace/remove on object members (what the security plugin's PATCH takes); undefined on a bad op. */
function applyPatch(doc: Record<string, unknown>, ops: Array<{ op: string; path: string; value?: unknown }>): Record<string, unknown> | undefined {
  const out = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  for (const op of ops) {
    const keys = op.path.split('/').slice(1);
    let parent = out as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) {
      if (typeof parent[k] !== 'object' || parent[k] === null) return undefined;
      parent = parent[k] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (op.op === 'add' || op.op === 'replace') parent[last] = op.value;
    else if (op.op === 'remove') delete parent[last];
    else return undefined;
  }
  return out;
}
