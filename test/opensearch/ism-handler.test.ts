/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The custom-resource handler (`lib/opensearch/assets/ism-handler`) against an in-process OpenSearch Service
 * domain that enforces what the index-management and security plugins enforce (`fake-aws/`): sequence numbers
 * and 409, template overlap per priority, change_policy and explain, role mappings, the security plugin off or
 * not ready, 401/403, and injected 429, 503, resets and replies that never come.
 */
import {
  auditEvent, BODY_MARKER, FIREHOSE_ROLE, FUNCTION_ROLE, HOST, ismEvent, ismProps, keyGuardEvent, mappingEvent, mappingProps, MASTER_ROLE,
  policyDocument, world, WRITER_ROLE_DOC,
} from './handler-world';

const { signV4 } = require('../../lib/opensearch/assets/ism-handler/index.js');

/** Policies stored on the fake domain, by id, with their index patterns. */
function templatesOf(w: ReturnType<typeof world>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, p] of w.domain.policies) out[id] = p.policy.ism_template ?? null;
  return out;
}

describe('SigV4', () => {
  test('signs exactly as the AWS test suite expects (get-vanilla)', () => {
    const headers = signV4({
      method: 'GET', url: 'https://example.amazonaws.com/', service: 'service', region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      now: new Date('2015-08-30T12:36:00Z'),
    });
    expect(headers.Authorization).toBe('AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, '
      + 'SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
  });
});

describe('ISM policy: create', () => {
  test('puts the policy as the master role and reports SUCCESS with the policy id', async () => {
    const w = world();
    const res = await w.run(ismEvent('Create'));
    expect(res).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'logs', Data: { PolicyId: 'logs' } });
    expect(templatesOf(w)).toEqual({ logs: [{ index_patterns: ['logs-*'], priority: 100 }] });
    expect(w.aws.requests.filter(r => r.host === HOST).every(r => r.principal === MASTER_ROLE)).toBe(true);
  });

  test('fails, without touching it, when a policy of that id exists that this resource did not create', async () => {
    const w = world();
    w.domain.putPolicyDirectly('logs', { description: 'an operator\'s', default_state: 'a', states: [{ name: 'a', actions: [], transitions: [] }], ism_template: null });
    const res = await w.run(ismEvent('Create'));
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toMatch(/ISM policy 'logs' already exists on the domain and was not created by this stack resource/);
    expect(res.Reason).toMatch(/adoptExistingPolicy/);
    expect(w.domain.policies.get('logs')!.policy.description).toBe('an operator\'s');
  });

  test('an update takes over the untagged policy it already holds (created by the handler before owner tags)', async () => {
    const w = world();
    w.domain.putPolicyDirectly('logs', { description: 'Managed by cdk-analytics-blueprints: hot -> delete', default_state: 'a',
      states: [{ name: 'a', actions: [], transitions: [] }], ism_template: [{ index_patterns: ['logs-*'], priority: 100 }] });
    const res = await w.run(ismEvent('Update', ismProps('logs', policyDocument(['logs-*'], 100, '60d')), { physicalId: 'logs', old: ismProps() }));
    expect(res.Status).toBe('SUCCESS');
    expect(w.domain.policies.get('logs')!.policy.description).toMatch(/\[owner: cdk-analytics-blueprints Logs\/SearchIsmPolicyLogs\]$/);
  });

  test('adopts an existing policy when the lifecycle says so', async () => {
    const w = world();
    w.domain.putPolicyDirectly('logs', { description: 'old', default_state: 'a', states: [{ name: 'a', actions: [], transitions: [] }] });
    const res = await w.run(ismEvent('Create', ismProps('logs', policyDocument(), { AdoptExisting: 'true' })));
    expect(res.Status).toBe('SUCCESS');
    expect(templatesOf(w)).toEqual({ logs: [{ index_patterns: ['logs-*'], priority: 100 }] });
  });

  test('explains a template that overlaps another policy at the same priority, without echoing the response', async () => {
    const w = world();
    w.domain.putPolicyDirectly('others', { default_state: 'a', states: [{ name: 'a', actions: [], transitions: [] }],
      ism_template: [{ index_patterns: ['logs-app-*'], priority: 100 }] });
    const res = await w.run(ismEvent('Create'));
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toMatch(
      /its ism_template overlaps the template of another ISM policy at priority 100: give the lifecycle a different priority/);
    expect(JSON.stringify(res)).not.toContain(BODY_MARKER);
  });

  test('waits for the security plugin (503) and retries throttling (429) with growing backoff', async () => {
    const w = world({ domain: { securityInitializingRequests: 3 } });
    w.aws.faults.push({ url: /_ism\/policies/, method: 'PUT', times: 2, fault: { status: 429, body: BODY_MARKER } });
    const res = await w.run(ismEvent('Create'));
    expect(res.Status).toBe('SUCCESS');
    expect(w.sleeps.length).toBe(5);
    expect(w.sleeps[1]).toBeGreaterThan(w.sleeps[0]);
    expect(w.logs.join('\n')).not.toMatch(new RegExp(`${BODY_MARKER}|Signature=|session-secret|session-token|X-Amz-Signature`));
  });
});

describe('ISM policy: update', () => {
  test('re-reads and retries when another writer changed the policy between its read and its write (409)', async () => {
    const w = world();
    await w.run(ismEvent('Create'));
    let once = true;
    w.domain.afterPolicyGet = id => {
      if (once) {
        once = false;
        const current = w.domain.policies.get(id)!;
        w.domain.putPolicyDirectly(id, { ...current.policy });
      }
    };
    const res = await w.run(ismEvent('Update', ismProps('logs', policyDocument(['logs-*'], 100, '60d')), { physicalId: 'logs', old: ismProps() }));
    expect(res.Status).toBe('SUCCESS');
    expect(JSON.stringify(w.domain.policies.get('logs')!.policy.states)).toContain('60d');
  });

  test('moves to the new version only the indexes this policy manages, found with explain', async () => {
    const w = world();
    await w.run(ismEvent('Create'));
    w.domain.putPolicyDirectly('others', { default_state: 'a', states: [{ name: 'a', actions: [], transitions: [] }] });
    w.domain.indices.set('logs-1', { policyId: 'logs' });
    w.domain.indices.set('logs-2', { policyId: 'others' });
    w.domain.indices.set('logs-3', {});
    const res = await w.run(ismEvent('Update', ismProps('logs', policyDocument(['logs-*'], 100, '60d')), { physicalId: 'logs', old: ismProps() }));
    expect(res.Status).toBe('SUCCESS');
    expect(Object.fromEntries([...w.domain.indices].map(([n, i]) => [n, i.policyId]))).toEqual({ 'logs-1': 'logs', 'logs-2': 'others', 'logs-3': undefined });
    const changes = w.aws.requests.filter(r => r.path.includes('change_policy'));
    expect(changes.map(r => decodeURIComponent(r.path))).toEqual(['/_plugins/_ism/change_policy/logs-1']);
  });

  test('reports the indexes change_policy could not move instead of swallowing them', async () => {
    const w = world();
    await w.run(ismEvent('Create'));
    w.domain.indices.set('logs-1', { policyId: 'logs' });
    w.domain.indices.set('logs-2', { policyId: 'logs', inTransition: true });
    const res = await w.run(ismEvent('Update', ismProps('logs', policyDocument(['logs-*'], 100, '60d')), { physicalId: 'logs', old: ismProps() }));
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toMatch(/change_policy moved 1 of 2 indexes managed by 'logs'; not moved: logs-2 \(transitioning between states/);
    expect(JSON.stringify(res)).not.toContain(BODY_MARKER);
  });

  test('renames a policy safely: frees the old template, creates the new policy and moves the old policy\'s indexes to it', async () => {
    const w = world();
    await w.run(ismEvent('Create', ismProps('logs-v1'), { logicalId: 'SearchIsmPolicyLogs' }));
    w.domain.indices.set('logs-1', { policyId: 'logs-v1' });
    const res = await w.run(ismEvent('Update', ismProps('logs-v2'), { physicalId: 'logs-v1', old: ismProps('logs-v1') }));
    expect(res).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'logs-v2' });
    expect(templatesOf(w)).toEqual({ 'logs-v1': null, 'logs-v2': [{ index_patterns: ['logs-*'], priority: 100 }] });
    expect(w.domain.indices.get('logs-1')!.policyId).toBe('logs-v2');
    // CloudFormation then deletes the old physical resource.
    const del = await w.run(ismEvent('Delete', ismProps('logs-v1'), { physicalId: 'logs-v1' }));
    expect(del.Status).toBe('SUCCESS');
    expect([...w.domain.policies.keys()]).toEqual(['logs-v2']);
  });

  test('undoes a rename that ISM rejects, so that the rollback finds the old policy as it was', async () => {
    const w = world();
    await w.run(ismEvent('Create', ismProps('logs-v1')));
    w.domain.indices.set('logs-1', { policyId: 'logs-v1' });
    w.domain.putPolicyDirectly('others', { default_state: 'a', states: [{ name: 'a', actions: [], transitions: [] }],
      ism_template: [{ index_patterns: ['app-*'], priority: 100 }] });
    const res = await w.run(ismEvent('Update', ismProps('logs-v2', policyDocument(['logs-*', 'app-*'])), { physicalId: 'logs-v1', old: ismProps('logs-v1') }));
    expect(res).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'logs-v1' });
    expect(res.Reason).toMatch(/overlaps the template of another ISM policy at priority 100/);
    expect(templatesOf(w)).toEqual({
      'logs-v1': [{ index_patterns: ['logs-*'], priority: 100 }], others: [{ index_patterns: ['app-*'], priority: 100 }],
    });
    expect(w.domain.indices.get('logs-1')!.policyId).toBe('logs-v1');
  });

  test('takes over a policy of another resource of the same stack (a lifecycle whose construct path changed)', async () => {
    const w = world();
    await w.run(ismEvent('Create', ismProps(), { logicalId: 'OldPathIsmPolicyLogs' }));
    const res = await w.run(ismEvent('Create', ismProps('logs', policyDocument(['logs-*'], 100, '60d')), { logicalId: 'NewPathIsmPolicyLogs' }));
    expect(res.Status).toBe('SUCCESS');
    // CloudFormation then deletes the resource at the old path: it no longer owns the policy and leaves it.
    await w.run(ismEvent('Delete', ismProps(), { physicalId: 'logs', logicalId: 'OldPathIsmPolicyLogs' }));
    expect(JSON.stringify(w.domain.policies.get('logs')!.policy.states)).toContain('60d');
  });

  test('signs paths with characters the es service double-encodes (a pattern with +)', async () => {
    const w = world();
    const props = ismProps('app', policyDocument(['app+web-*']));
    await w.run(ismEvent('Create', props));
    w.domain.indices.set('app+web-1', { policyId: 'app' });
    const res = await w.run(ismEvent('Update', ismProps('app', policyDocument(['app+web-*'], 100, '60d')), { physicalId: 'app', old: props }));
    expect(res.Status).toBe('SUCCESS');
    expect(w.aws.requests.filter(r => r.statusCode === 403)).toEqual([]);
  });
});

describe('ISM policy: delete', () => {
  test('deletes a policy this resource created', async () => {
    const w = world();
    await w.run(ismEvent('Create'));
    const res = await w.run(ismEvent('Delete', ismProps(), { physicalId: 'logs' }));
    expect(res).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'logs' });
    expect(w.domain.policies.size).toBe(0);
  });

  test('leaves in place a policy of the same id that it does not own', async () => {
    const w = world();
    w.domain.putPolicyDirectly('logs', { description: 'an operator\'s', default_state: 'a', states: [{ name: 'a', actions: [], transitions: [] }] });
    const res = await w.run(ismEvent('Delete', ismProps(), { physicalId: 'logs' }));
    expect(res.Status).toBe('SUCCESS');
    expect(w.domain.policies.has('logs')).toBe(true);
    expect(w.logs.join('\n')).toMatch(/left in place/);
  });

  test('succeeds when the domain is gone (its endpoint no longer resolves)', async () => {
    const w = world();
    await w.run(ismEvent('Create'));
    w.aws.removeDomain(HOST);
    const res = await w.run(ismEvent('Delete', ismProps(), { physicalId: 'logs' }));
    expect(res.Status).toBe('SUCCESS');
    expect(w.logs.join('\n')).toMatch(/domain is gone/);
  });

  test('calls nothing on the domain after a create that never made a policy', async () => {
    const w = world();
    const res = await w.run(ismEvent('Delete', ismProps(), { physicalId: 'failed-req-Create' }));
    expect(res).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'failed-req-Create' });
    expect(w.aws.requests.filter(r => r.host === HOST)).toEqual([]);
  });
});

describe('robustness', () => {
  test('retries a reset connection and a reply that never comes (per-request timeout)', async () => {
    const w = world();
    w.aws.faults.push({ url: /_ism\/policies/, method: 'GET', times: 1, fault: 'reset' });
    w.aws.faults.push({ url: /_ism\/policies/, method: 'PUT', times: 1, fault: 'hang' });
    const res = await w.run(ismEvent('Create'));
    expect(res.Status).toBe('SUCCESS');
  });

  test('gives up after bounded retries, well before the function times out, and says so', async () => {
    const w = world();
    w.aws.faults.push({ url: /_ism/, times: 1000, fault: { status: 503, body: BODY_MARKER } });
    const res = await w.run(ismEvent('Create'), 120_000);
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toMatch(/GET \/_plugins\/_ism\/policies\/logs kept failing \(HTTP 503\) after \d+ attempts/);
    const attempts = w.aws.requests.filter(r => r.fault === '503').length;
    expect(attempts).toBeGreaterThan(2);
    expect(attempts).toBeLessThanOrEqual(10);
    expect(w.elapsed()).toBeLessThan(120_000 - 10_000);
  });

  test('reaches STS through the partition\'s endpoint (China)', async () => {
    const host = 'vpc-logs-abc123.cn-north-1.es.amazonaws.com.cn';
    const w = world({ region: 'cn-north-1', urlSuffix: 'amazonaws.com.cn', partition: 'aws-cn', host });
    const res = await w.run(ismEvent('Create', ismProps('logs', policyDocument(), {
      Endpoint: host, Region: 'cn-north-1', UrlSuffix: 'amazonaws.com.cn', RoleArn: MASTER_ROLE.replace('arn:aws:', 'arn:aws-cn:'),
    })));
    expect(res.Status).toBe('SUCCESS');
    expect(w.aws.requests.map(r => r.host)).toContain('sts.cn-north-1.amazonaws.com.cn');
  });

  test('puts no secret and no response body into a reason or a log line', async () => {
    const w = world({ domain: { accessPolicyPrincipals: ['*'], admins: ['admin'], internalUsers: { admin: 'S3cret!' } } });
    const secretArn = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:master';
    w.aws.addSecret(secretArn, 'not json S3cret!', [FUNCTION_ROLE]);
    const res = await w.run(ismEvent('Create', ismProps('logs', policyDocument(), { RoleArn: undefined, SecretArn: secretArn })));
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toMatch(/the master user secret is not a JSON object with username and password/);
    expect(JSON.stringify(res) + w.logs.join('\n')).not.toContain('S3cret!');
  });

  test('fails clearly, without retrying, on a wrong internal-user password (401)', async () => {
    const w = world({ domain: { accessPolicyPrincipals: ['*'], admins: ['admin'], internalUsers: { admin: 'right' } } });
    const secretArn = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:master';
    w.aws.addSecret(secretArn, JSON.stringify({ username: 'admin', password: 'wrong' }), [FUNCTION_ROLE]);
    const res = await w.run(ismEvent('Create', ismProps('logs', policyDocument(), { RoleArn: undefined, SecretArn: secretArn })));
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toMatch(/HTTP 401: the domain rejected the master user's credentials/);
    expect(w.aws.requests.filter(r => r.statusCode === 401)).toHaveLength(1);
    expect(JSON.stringify(res) + w.logs.join('\n')).not.toMatch(/wrong|BODY-MARKER/);
  });

  test('fails clearly when the domain access policy does not admit the caller (403)', async () => {
    const w = world({ domain: { accessPolicyPrincipals: ['arn:aws:iam::111111111111:root'], identityPolicies: {} } });
    const res = await w.run(ismEvent('Create'));
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toMatch(
      /HTTP 403: the domain access policy or fine-grained access control denied arn:aws:iam::111111111111:role\/MasterUserRole/);
    expect(JSON.stringify(res)).not.toContain(BODY_MARKER);
  });
});

describe('role mapping', () => {
  test('creates the role and merges its backend role into a mapping an operator already has', async () => {
    const w = world();
    w.domain.rolesMapping.set('firehose_logs', { backend_roles: ['arn:aws:iam::111111111111:role/Analyst'], users: ['alice'] });
    const res = await w.run(mappingEvent('Create'));
    expect(res).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'firehose_logs' });
    expect(w.domain.roles.get('firehose_logs')).toMatchObject({ index_permissions: [{ index_patterns: ['logs*'] }] });
    expect(w.domain.rolesMapping.get('firehose_logs')).toMatchObject({
      backend_roles: ['arn:aws:iam::111111111111:role/Analyst', FIREHOSE_ROLE], users: ['alice'],
    });
  });

  test('on delete removes only its own backend role, and the mapping and role once nobody else is in them', async () => {
    const w = world();
    await w.run(mappingEvent('Create'));
    w.domain.rolesMapping.set('firehose_logs', { ...w.domain.rolesMapping.get('firehose_logs'), users: ['alice'] });
    await w.run(mappingEvent('Delete', mappingProps(), { physicalId: 'firehose_logs' }));
    expect(w.domain.rolesMapping.get('firehose_logs')).toMatchObject({ backend_roles: [], users: ['alice'] });
    expect(w.domain.roles.has('firehose_logs')).toBe(true);

    const w2 = world();
    await w2.run(mappingEvent('Create'));
    await w2.run(mappingEvent('Delete', mappingProps(), { physicalId: 'firehose_logs' }));
    expect(w2.domain.rolesMapping.has('firehose_logs')).toBe(false);
    expect(w2.domain.roles.has('firehose_logs')).toBe(false);
  });

  test('update swaps its backend roles and keeps everyone else\'s', async () => {
    const w = world();
    await w.run(mappingEvent('Create'));
    w.domain.rolesMapping.get('firehose_logs')!.backend_roles = [FIREHOSE_ROLE, 'arn:aws:iam::111111111111:role/Analyst'];
    const next = 'arn:aws:iam::111111111111:role/FirehoseDelivery2';
    await w.run(mappingEvent('Update', mappingProps([next]), { physicalId: 'firehose_logs', old: mappingProps() }));
    expect(w.domain.rolesMapping.get('firehose_logs')!.backend_roles).toEqual(['arn:aws:iam::111111111111:role/Analyst', next]);
  });

  test('refuses to overwrite a security role it did not create', async () => {
    const w = world();
    w.domain.roles.set('firehose_logs', { cluster_permissions: ['cluster_all'] });
    const res = await w.run(mappingEvent('Create'));
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toMatch(/security role 'firehose_logs' already exists on the domain and was not created by this stack resource/);
    expect(w.domain.roles.get('firehose_logs')).toEqual({ cluster_permissions: ['cluster_all'] });
  });

  test('an update takes over the untagged role it already holds (created by the handler before owner tags)', async () => {
    const w = world();
    w.domain.roles.set('firehose_logs', { ...WRITER_ROLE_DOC });
    w.domain.rolesMapping.set('firehose_logs', { backend_roles: [FIREHOSE_ROLE] });
    const res = await w.run(mappingEvent('Update', mappingProps(), { physicalId: 'firehose_logs', old: mappingProps() }));
    expect(res.Status).toBe('SUCCESS');
    expect(w.domain.roles.get('firehose_logs')!.description).toMatch(/owner: cdk-analytics-blueprints Logs\/SearchFirehoseRoleIngest/);
  });

  test('says so when fine-grained access control is off on the domain', async () => {
    const w = world({ domain: { securityPlugin: false } });
    const res = await w.run(mappingEvent('Create'));
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toMatch(/fine-grained access control is not enabled on the domain/);
  });
});

describe('audit log', () => {
  test('turns audit logging on in the security plugin and keeps the operator\'s audit settings', async () => {
    const w = world();
    (w.domain.auditConfig.audit as Record<string, unknown>).ignore_users = ['kibanaserver'];
    const res = await w.run(auditEvent('Create'));
    expect(res.Status).toBe('SUCCESS');
    expect(w.domain.auditConfig).toMatchObject({ enabled: true, audit: { ignore_users: ['kibanaserver'], enable_rest: true } });
    const del = await w.run(auditEvent('Delete', { physicalId: res.PhysicalResourceId as string }));
    expect(del.Status).toBe('SUCCESS');
    expect(w.domain.auditConfig.enabled).toBe(true);
  });
});

describe('KMS key guard', () => {
  test('fails an update that changes the domain\'s key, before CloudFormation deletes and recreates the domain', async () => {
    const w = world();
    const created = await w.run(keyGuardEvent('Create', 'key-1'));
    expect(created.Status).toBe('SUCCESS');
    const res = await w.run(keyGuardEvent('Update', 'key-2', { physicalId: created.PhysicalResourceId as string, old: { DomainName: 'logs', KmsKeyId: 'key-1' } }));
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toMatch(/changing the KMS key of OpenSearch domain logs deletes the domain and creates an empty one/);
    const allowed = await w.run(keyGuardEvent('Update', 'key-2', { physicalId: created.PhysicalResourceId as string, old: { DomainName: 'logs', KmsKeyId: 'key-1' }, allow: true }));
    expect(allowed.Status).toBe('SUCCESS');
    const same = await w.run(keyGuardEvent('Update', 'key-1', { physicalId: created.PhysicalResourceId as string, old: { DomainName: 'logs', KmsKeyId: 'key-1' } }));
    expect(same.Status).toBe('SUCCESS');
  });
});
