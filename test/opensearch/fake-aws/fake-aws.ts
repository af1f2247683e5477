/**
 * The network the custom-resource handler talks to, in process: STS, Secrets Manager and OpenSearch Service
 * domains of one partition and region, and the CloudFormation response URL. Every signed request is verified
 * (SigV4, service-specific canonical URI); callers are IAM principals identified by their access keys; STS
 * issues session credentials only to callers a role trusts. Unknown host names fail like DNS (ENOTFOUND), so a
 * handler that builds an endpoint for the wrong partition fails here as it would in the account.
 *
 * Faults a real network has can be injected in front of everything: an HTTP status (429, 5xx), a connection
 * reset, or a reply that never comes (`hang`), each for a number of matching requests.
 */
import { DomainReply, FakeDomainOptions, FakeOpenSearchDomain } from './fake-opensearch';
import { SignatureError, verifySigV4 } from './sigv4-verifier';

export interface FakeHttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | number>;
  readonly body?: string;
}

export interface FakeHttpResponse { statusCode: number; body: string }

/** A fault served instead of the real answer to the next `times` requests that match. */
export interface Fault {
  readonly method?: string;
  /** Matched against `<host><path>`. */
  readonly url?: RegExp;
  times: number;
  readonly fault: { status: number; body?: string } | 'reset' | 'hang';
}

/** One request as recorded, for assertions (never with its headers). */
export interface RecordedRequest {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly principal?: string;
  readonly statusCode?: number;
  readonly fault?: string;
}

export interface Credentials { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

export const CFN_RESPONSE_HOST = 'cfn-response.example.com';

export class FakeAws {
  public readonly requests: RecordedRequest[] = [];
  /** Bodies the handler sent to the CloudFormation response URL. */
  public readonly cfnResponses: Array<Record<string, unknown>> = [];
  public readonly faults: Fault[] = [];
  private readonly keys = new Map<string, { secret: string; token?: string; arn: string }>();
  private readonly trust = new Map<string, Set<string>>();
  private readonly assumeGrants = new Map<string, Set<string>>();
  private readonly secrets = new Map<string, { value: string; readers: Set<string> }>();
  private readonly domains = new Map<string, FakeOpenSearchDomain>();
  private readonly hanging: Array<() => void> = [];
  private sessions = 0;

  constructor(
    public readonly region = 'us-east-1',
    public readonly urlSuffix = 'amazonaws.com',
    public readonly partition = 'aws',
  ) {}

  /** Long-term credentials of `arn` (the function's own role). */
  public credentialsFor(arn: string): Credentials {
    const c = { accessKeyId: `AKIA${this.keys.size.toString().padStart(4, '0')}`, secretAccessKey: `secret-of-${arn}`, sessionToken: `token-${this.keys.size}` };
    this.keys.set(c.accessKeyId, { secret: c.secretAccessKey, token: c.sessionToken, arn });
    return c;
  }

  /**
   * Adds `principal` to the trust policy of `roleArn`. A role ARN is trusted by name; the account root
   * (`arn:aws:iam::<account>:root`) delegates to the callers' identity policies (`grantAssumeRole`), as IAM does.
   */
  public allowAssumeRole(roleArn: string, principal: string): void {
    if (!this.trust.has(roleArn)) this.trust.set(roleArn, new Set());
    this.trust.get(roleArn)!.add(principal);
  }

  /** The identity policy of `callerArn` allows sts:AssumeRole on `roleArn`. */
  public grantAssumeRole(callerArn: string, roleArn: string): void {
    if (!this.assumeGrants.has(callerArn)) this.assumeGrants.set(callerArn, new Set());
    this.assumeGrants.get(callerArn)!.add(roleArn);
  }

  private mayAssume(caller: string, roleArn: string): boolean {
    const trusted = this.trust.get(roleArn) ?? new Set();
    if (trusted.has(caller)) return true;
    const [, partition, , , account] = caller.split(':');
    return trusted.has(`arn:${partition}:iam::${account}:root`) && (this.assumeGrants.get(caller)?.has(roleArn) ?? false);
  }

  public addSecret(arn: string, value: string, readers: string[]): void {
    this.secrets.set(arn, { value, readers: new Set(readers) });
  }

  public addDomain(host: string, options: FakeDomainOptions): FakeOpenSearchDomain {
    const domain = new FakeOpenSearchDomain(options);
    this.domains.set(host, domain);
    return domain;
  }

  /** Takes the domain off the network: its host name no longer resolves (a deleted domain). */
  public removeDomain(host: string): void {
    this.domains.delete(host);
  }

  /** Answers every request that still hangs (call at the end of a test). */
  public releaseHangs(): void {
    this.hanging.splice(0).forEach(release => release());
  }

  /** The `request` dependency of the handler. */
  public readonly request = async (req: FakeHttpRequest): Promise<FakeHttpResponse> => {
    const u = new URL(req.url);
    const rawPath = req.url.replace(/^https:\/\/[^/]+/, '').split('?')[0];
    const fault = this.faults.find(f => f.times > 0 && (!f.method || f.method === req.method) && (!f.url || f.url.test(`${u.host}${rawPath}`)));
    if (fault) {
      fault.times--;
      const name = typeof fault.fault === 'string' ? fault.fault : String(fault.fault.status);
      this.requests.push({ method: req.method, host: u.host, path: rawPath, fault: name });
      if (fault.fault === 'reset') throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
      if (fault.fault === 'hang') {
        return new Promise(resolve => this.hanging.push(() => resolve({ statusCode: 504, body: 'released' })));
      }
      return { statusCode: fault.fault.status, body: fault.fault.body ?? '' };
    }
    const reply = this.route(req, u, rawPath);
    return reply;
  };

  private route(req: FakeHttpRequest, u: URL, rawPath: string): FakeHttpResponse {
    const record = (statusCode: number, principal?: string) =>
      this.requests.push({ method: req.method, host: u.host, path: rawPath, principal, statusCode });
    if (u.host === CFN_RESPONSE_HOST) {
      this.cfnResponses.push(JSON.parse(req.body ?? '{}'));
      record(200);
      return { statusCode: 200, body: '' };
    }
    const sts = `sts.${this.region}.${this.urlSuffix}`;
    const sm = `secretsmanager.${this.region}.${this.urlSuffix}`;
    const domain = this.domains.get(u.host);
    if (u.host !== sts && u.host !== sm && !domain) {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${u.host}`), { code: 'ENOTFOUND' });
    }

    const auth = String(Object.entries(req.headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1] ?? '');
    let principal: string | undefined;
    if (auth.startsWith('AWS4-HMAC-SHA256')) {
      try {
        const v = verifySigV4(req, key => this.keys.get(key)?.secret);
        const expectedService = u.host === sts ? 'sts' : u.host === sm ? 'secretsmanager' : 'es';
        if (v.service !== expectedService || v.region !== this.region) throw new SignatureError(`Credential should be scoped to a valid region and service ${expectedService}.`);
        const key = this.keys.get(v.accessKeyId)!;
        const token = Object.entries(req.headers).find(([k]) => k.toLowerCase() === 'x-amz-security-token')?.[1];
        if (key.token !== undefined && token !== key.token) throw new SignatureError('The security token included in the request is invalid.');
        principal = key.arn;
      } catch (e) {
        record(403);
        const message = (e as Error).message;
        return u.host === sts
          ? { statusCode: 403, body: `<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>${message}</Message></Error></ErrorResponse>` }
          : { statusCode: 403, body: JSON.stringify({ message }) };
      }
    }

    let reply: DomainReply;
    if (u.host === sts) reply = this.assumeRole(req, principal);
    else if (u.host === sm) reply = this.getSecretValue(req, principal);
    else {
      const basic = /^Basic (.+)$/.exec(auth);
      const decoded = basic ? Buffer.from(basic[1], 'base64').toString('utf8') : undefined;
      const sep = decoded ? decoded.indexOf(':') : -1;
      reply = domain!.handle({
        method: req.method, rawPath, query: u.searchParams, body: req.body, principal,
        basic: decoded ? { user: decoded.slice(0, sep), password: decoded.slice(sep + 1) } : undefined,
      });
    }
    record(reply.statusCode, principal);
    return reply;
  }

  private assumeRole(req: FakeHttpRequest, caller: string | undefined): DomainReply {
    const form = new URLSearchParams(req.body ?? '');
    const roleArn = form.get('RoleArn') ?? '';
    if (form.get('Action') !== 'AssumeRole') return { statusCode: 400, body: '<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>' };
    if (!caller || !this.mayAssume(caller, roleArn)) {
      return {
        statusCode: 403,
        body: `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}</Message></Error></ErrorResponse>`,
      };
    }
    const id = `ASIA${(this.sessions++).toString().padStart(6, '0')}`;
    const secret = `session-secret-${id}`;
    const token = `session-token-${id}`;
    this.keys.set(id, { secret, token, arn: roleArn });
    return {
      statusCode: 200,
      body: `<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>${id}</AccessKeyId><SecretAccessKey>${secret}</SecretAccessKey>`
        + `<SessionToken>${token}</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>`,
    };
  }

  private getSecretValue(req: FakeHttpRequest, caller: string | undefined): DomainReply {
    const target = Object.entries(req.headers).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1];
    if (target !== 'secretsmanager.GetSecretValue') return { statusCode: 400, body: JSON.stringify({ __type: 'UnknownOperationException' }) };
    const { SecretId } = JSON.parse(req.body ?? '{}') as { SecretId: string };
    const secret = this.secrets.get(SecretId);
    if (!secret) return { statusCode: 400, body: JSON.stringify({ __type: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret." }) };
    if (!caller || !secret.readers.has(caller)) {
      return { statusCode: 400, body: JSON.stringify({ __type: 'AccessDeniedException', Message: `User: ${caller} is not authorized to perform: secretsmanager:GetSecretValue` }) };
    }
    return { statusCode: 200, body: JSON.stringify({ ARN: SecretId, Name: 'master', SecretString: secret.value }) };
  }
}
