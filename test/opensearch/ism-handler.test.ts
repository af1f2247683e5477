/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * Unit tests of the ISM policy custom resource handler, with the HTTP layer replaced by a fake that
 * records every request and answers from a script.
 */
const { createHandler, signV4 } = require('../../lib/opensearch/assets/ism-handler/index.js');

interface Sent { method: string; url: string; headers: Record<string, string>; body?: string }
type Reply = { statusCode: number; body: string };

/** A fake `request`: answers each call with the first matching route, records everything it was sent. */
function fakeHttp(routes: Array<[RegExp, Reply | ((s: Sent) => Reply)]>) {
  const sent: Sent[] = [];
  const request = async (req: Sent) => {
    sent.push(req);
    const key = `${req.method} ${req.url}`;
    const route = routes.find(([re]) => re.test(key));
    if (!route) return { statusCode: 200, body: '' }; // the CloudFormation response URL
    return typeof route[1] === 'function' ? route[1](req) : route[1];
  };
  return { sent, request };
}

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' };
const now = () => new Date('2026-01-02T03:04:05Z');
const policy = { policy: { description: 'd', default_state: 'hot', states: [], ism_template: [{ index_patterns: ['logs-*'], priority: 100 }] } };

function event(requestType: 'Create' | 'Update' | 'Delete', extra: Record<string, unknown> = {}, physicalId?: string) {
  return {
    RequestType: requestType,
    ResponseURL: 'https://cfn-response.example.com/response?sig=1',
    StackId: 'stack', RequestId: 'req-1', LogicalResourceId: 'Policy',
    PhysicalResourceId: physicalId,
    ResourceProperties: {
      Endpoint: 'vpc-logs.us-east-1.es.amazonaws.com', Region: 'us-east-1', PolicyId: 'logs', Policy: JSON.stringify(policy),
      ...extra,
    },
  };
}

function cfnResponse(sent: Sent[]) {
  const last = sent[sent.length - 1];
  expect(last.method).toBe('PUT');
  expect(last.url).toBe('https://cfn-response.example.com/response?sig=1');
  return JSON.parse(last.body!);
}

describe('ISM policy handler', () => {
  test('signs with SigV4 exactly as the AWS test suite expects (get-vanilla)', () => {
    const headers = signV4({
      method: 'GET', url: 'https://example.amazonaws.com/', service: 'service', region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      now: new Date('2015-08-30T12:36:00Z'),
    });
    expect(headers.Authorization).toBe('AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, '
      + 'SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
  });

  test('create puts a new policy, signed for es, and reports SUCCESS with the policy id', async () => {
    const http = fakeHttp([
      [/^GET https:\/\/vpc-logs.*\/_plugins\/_ism\/policies\/logs$/, { statusCode: 404, body: '{"error":"not found"}' }],
      [/^PUT https:\/\/vpc-logs.*\/_plugins\/_ism\/policies\/logs$/, { statusCode: 201, body: '{"_id":"logs"}' }],
    ]);
    await createHandler({ request: http.request, credentials, now, log: () => undefined })(event('Create'));
    const put = http.sent[1];
    expect(JSON.parse(put.body!)).toEqual(policy);
    expect(put.headers.Authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260102\/us-east-1\/es\/aws4_request, /);
    expect(put.headers['x-amz-security-token']).toBe('token');
    expect(cfnResponse(http.sent)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'logs', Data: { PolicyId: 'logs' } });
  });

  test('update passes the current sequence number and primary term, then moves managed indexes to the new version', async () => {
    const http = fakeHttp([
      [/^GET .*\/policies\/logs$/, { statusCode: 200, body: '{"_id":"logs","_seq_no":7,"_primary_term":2,"policy":{}}' }],
      [/^PUT .*\/policies\/logs\?if_seq_no=7&if_primary_term=2$/, { statusCode: 200, body: '{}' }],
      [/^POST .*\/_plugins\/_ism\/change_policy\/logs-\*$/, { statusCode: 200, body: '{"updated_indices":3,"failures":false}' }],
    ]);
    await createHandler({ request: http.request, credentials, now, log: () => undefined })(event('Update', {}, 'logs'));
    expect(http.sent.map(s => s.method)).toEqual(['GET', 'PUT', 'POST', 'PUT']);
    expect(JSON.parse(http.sent[2].body!)).toEqual({ policy_id: 'logs' });
    expect(cfnResponse(http.sent)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'logs' });
  });

  test('update to a new policy id creates the policy without touching managed indexes', async () => {
    const http = fakeHttp([
      [/^GET .*\/policies\/logs$/, { statusCode: 404, body: '{}' }],
      [/^PUT .*\/policies\/logs$/, { statusCode: 201, body: '{}' }],
    ]);
    await createHandler({ request: http.request, credentials, now, log: () => undefined })(event('Update', {}, 'old-logs'));
    expect(http.sent.map(s => s.method)).toEqual(['GET', 'PUT', 'PUT']);
    expect(cfnResponse(http.sent)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'logs' });
  });

  test('delete removes the policy and treats an already missing policy as deleted', async () => {
    for (const status of [200, 404]) {
      const http = fakeHttp([[/^DELETE .*\/policies\/logs$/, { statusCode: status, body: '{}' }]]);
      await createHandler({ request: http.request, credentials, now, log: () => undefined })(event('Delete', {}, 'logs'));
      expect(http.sent[0].method).toBe('DELETE');
      expect(cfnResponse(http.sent)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'logs' });
    }
  });

  test('delete after a failed create calls nothing on the domain', async () => {
    const http = fakeHttp([]);
    await createHandler({ request: http.request, credentials, now, log: () => undefined })(event('Delete', {}, 'failed-req-0'));
    expect(http.sent).toHaveLength(1);
    expect(cfnResponse(http.sent)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'failed-req-0' });
  });

  test('fails the resource with the domain error when the domain rejects the policy', async () => {
    const http = fakeHttp([
      [/^GET /, { statusCode: 404, body: '{}' }],
      [/^PUT .*policies/, { statusCode: 400, body: '{"error":{"reason":"Invalid state name"}}' }],
    ]);
    await createHandler({ request: http.request, credentials, now, log: () => undefined })(event('Create'));
    const res = cfnResponse(http.sent);
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toContain('HTTP 400');
    expect(res.Reason).toContain('Invalid state name');
    expect(res.PhysicalResourceId).toBe('failed-req-1');
  });

  test('assumes the IAM master user role and signs domain calls with its credentials', async () => {
    const http = fakeHttp([
      [/^POST https:\/\/sts\.us-east-1\.amazonaws\.com\/$/, { statusCode: 200, body:
        '<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAMASTER</AccessKeyId>'
        + '<SecretAccessKey>s</SecretAccessKey><SessionToken>master-token</SessionToken></Credentials></AssumeRoleResult></AssumeRoleResponse>' }],
      [/^GET /, { statusCode: 404, body: '{}' }],
      [/^PUT .*policies/, { statusCode: 201, body: '{}' }],
    ]);
    await createHandler({ request: http.request, credentials, now, log: () => undefined })(
      event('Create', { RoleArn: 'arn:aws:iam::111111111111:role/Master' }));
    expect(http.sent[0].body).toContain('Action=AssumeRole');
    expect(http.sent[0].body).toContain(encodeURIComponent('arn:aws:iam::111111111111:role/Master'));
    expect(http.sent[0].headers.Authorization).toContain('/us-east-1/sts/aws4_request');
    expect(http.sent[2].headers.Authorization).toMatch(/Credential=ASIAMASTER\//);
    expect(http.sent[2].headers['x-amz-security-token']).toBe('master-token');
    expect(cfnResponse(http.sent).Status).toBe('SUCCESS');
  });

  test('reads the internal master user from Secrets Manager and uses basic auth', async () => {
    const http = fakeHttp([
      [/^POST https:\/\/secretsmanager\./, { statusCode: 200, body: JSON.stringify({ SecretString: JSON.stringify({ username: 'admin', password: 'p@ss' }) }) }],
      [/^GET /, { statusCode: 404, body: '{}' }],
      [/^PUT .*policies/, { statusCode: 201, body: '{}' }],
    ]);
    await createHandler({ request: http.request, credentials, now, log: () => undefined })(
      event('Create', { SecretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:master' }));
    expect(http.sent[0].headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(http.sent[2].headers.Authorization).toBe(`Basic ${Buffer.from('admin:p@ss').toString('base64')}`);
    expect(cfnResponse(http.sent).Status).toBe('SUCCESS');
  });

  test('reports FAILED when the master role cannot be assumed', async () => {
    const http = fakeHttp([[/^POST https:\/\/sts/, { statusCode: 403, body: '<Error>AccessDenied</Error>' }]]);
    await createHandler({ request: http.request, credentials, now, log: () => undefined })(
      event('Create', { RoleArn: 'arn:aws:iam::111111111111:role/Master' }));
    const res = cfnResponse(http.sent);
    expect(res).toMatchObject({ Status: 'FAILED' });
    expect(res.Reason).toContain('sts:AssumeRole');
  });
});

describe('role mapping handler', () => {
  const role = { cluster_permissions: ['cluster_composite_ops'], index_permissions: [{ index_patterns: ['logs*'], allowed_actions: ['crud'] }] };
  function mappingEvent(requestType: 'Create' | 'Update' | 'Delete', physicalId?: string) {
    return {
      ...event(requestType, {}, physicalId),
      ResourceType: 'Custom::OpenSearchRoleMapping',
      ResourceProperties: {
        Endpoint: 'vpc-logs.us-east-1.es.amazonaws.com', Region: 'us-east-1',
        SecurityRole: 'firehose_writer', Role: JSON.stringify(role), BackendRoles: ['arn:aws:iam::111111111111:role/Firehose'],
      },
    };
  }

  test('create puts the role, then maps the backend roles to it', async () => {
    const http = fakeHttp([[/^PUT .*_plugins\/_security\/api\//, { statusCode: 200, body: '{"status":"OK"}' }]]);
    await createHandler({ request: http.request, credentials, now, log: () => undefined })(mappingEvent('Create'));
    expect(http.sent[0].url).toBe('https://vpc-logs.us-east-1.es.amazonaws.com/_plugins/_security/api/roles/firehose_writer');
    expect(JSON.parse(http.sent[0].body!)).toEqual(role);
    expect(http.sent[1].url).toBe('https://vpc-logs.us-east-1.es.amazonaws.com/_plugins/_security/api/rolesmapping/firehose_writer');
    expect(JSON.parse(http.sent[1].body!)).toEqual({ backend_roles: ['arn:aws:iam::111111111111:role/Firehose'] });
    expect(cfnResponse(http.sent)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'firehose_writer' });
  });

  test('delete removes the mapping, then the role, and tolerates either being gone', async () => {
    const http = fakeHttp([
      [/^DELETE .*rolesmapping/, { statusCode: 404, body: '{}' }],
      [/^DELETE .*roles\//, { statusCode: 200, body: '{}' }],
    ]);
    await createHandler({ request: http.request, credentials, now, log: () => undefined })(mappingEvent('Delete', 'firehose_writer'));
    expect(http.sent.slice(0, 2).map(s => `${s.method} ${s.url.replace(/^.*api\//, '')}`)).toEqual([
      'DELETE rolesmapping/firehose_writer', 'DELETE roles/firehose_writer']);
    expect(cfnResponse(http.sent).Status).toBe('SUCCESS');
  });

  test('fails the resource when the security plugin rejects the role', async () => {
    const http = fakeHttp([[/^PUT /, { statusCode: 403, body: '{"message":"no permissions"}' }]]);
    await createHandler({ request: http.request, credentials, now, log: () => undefined })(mappingEvent('Create'));
    const res = cfnResponse(http.sent);
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toContain('HTTP 403');
  });
});
