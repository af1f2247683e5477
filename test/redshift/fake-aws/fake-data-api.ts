/**
 * An in-process Redshift Data API over one provisioned cluster, with the rules the handler has to live with:
 * - statements go SUBMITTED → PICKED → STARTED → FINISHED or FAILED (with an `Error` text) as the virtual clock
 *   moves, one after the other in submission order; what a statement changes is visible only once it has
 *   FINISHED, so a handler that does not wait for it sees the old state;
 * - a statement's rows are there only after it FINISHED, and only if it has a result set (else ValidationException);
 * - ExecuteStatement is idempotent per ClientToken; with too many statements running it throws
 *   ActiveStatementsExceededException; unknown clusters and secrets are ValidationExceptions;
 * - the SQL is parsed strictly (anything else is a syntax error), against a catalog: external and local
 *   schemas, groups, the IAM roles associated with the cluster and the Glue databases each role may read.
 *   CREATE EXTERNAL SCHEMA without IF NOT EXISTS fails on an existing schema, CREATE GROUP on an existing group,
 *   and a user who is not a superuser gets "permission denied".
 * Faults can be injected per operation (`fail`), and a `stuck` cluster never finishes a statement.
 * @see https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_DescribeStatement.html
 */

export interface FakeStatement {
  readonly Id: string;
  readonly sql: string;
  readonly parameters: Record<string, string>;
  readonly submittedAt: number;
  readonly clientToken?: string;
  readonly database: string;
  readonly user: string;
  endedAt?: number;
  status: 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';
  error?: string;
  rows?: unknown[][];
}

export interface FakeClusterOptions {
  readonly clusterIdentifier: string;
  readonly region: string;
  readonly account: string;
  readonly databases: string[];
  /** Secrets the Data API can read: ARN → database user. */
  readonly secrets: Record<string, { user: string; superuser: boolean }>;
  /** IAM roles associated with the cluster (`IamRoles`). */
  readonly associatedRoles: string[];
  /** Glue databases of the catalog → the roles whose policies let them read it. */
  readonly glueDatabases: Record<string, string[]>;
  /** Virtual milliseconds a statement runs once started. */
  readonly runMs?: number;
  /** At most this many statements may be running at once. */
  readonly maxActiveStatements?: number;
  /** Rows per GetStatementResult page. */
  readonly pageSize?: number;
}

/** An error as the SDK throws it for a service error: its class name, the service's message and `$metadata`. */
export class DataApiError extends Error {
  public readonly $fault = 'client';
  public readonly $metadata = { httpStatusCode: 400 };
  constructor(public override readonly name: string, message: string) {
    super(message);
  }
}

interface Fault { readonly operation: string; times: number; readonly error: string; readonly message: string }

const IDENT = String.raw`("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const LIT = String.raw`('(?:[^'\\]|'')*')`;
const KEYWORDS = new Set(['GROUP', 'SCHEMA', 'SELECT', 'FROM', 'TABLE', 'USER', 'ALL', 'CREATE', 'DEFAULT', 'WITH']);

export class FakeRedshiftDataApi {
  public readonly statements: FakeStatement[] = [];
  public readonly calls: Array<{ operation: string; input: Record<string, unknown> }> = [];
  public readonly externalSchemas = new Map<string, { database: string; role: string }>();
  public readonly localSchemas = new Set(['public']);
  public readonly groups = new Set<string>();
  public stuck = false;
  private readonly faults: Fault[] = [];
  private readonly o: Required<FakeClusterOptions>;

  constructor(options: FakeClusterOptions, private readonly now: () => number) {
    this.o = { runMs: 1500, maxActiveStatements: 20, pageSize: 100, ...options };
  }

  /** The next `times` calls of `operation` throw `error`. */
  public fail(operation: string, error: string, times = 1, message = `${error} (injected)`): void {
    this.faults.push({ operation, error, times, message });
  }

  /** The SQL of every statement that FINISHED, in order. */
  public finishedSql(): string[] {
    this.advance();
    return this.statements.filter(s => s.status === 'FINISHED').map(s => s.sql);
  }

  public readonly send = async (operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> => {
    this.calls.push({ operation, input });
    this.advance();
    const fault = this.faults.find(f => f.operation === operation && f.times > 0);
    if (fault) {
      fault.times--;
      throw new DataApiError(fault.error, fault.message);
    }
    switch (operation) {
      case 'ExecuteStatement': return this.execute(input);
      case 'DescribeStatement': {
        const s = this.statement(input.Id);
        return { Id: s.Id, Status: s.status, ...(s.error ? { Error: s.error } : {}), HasResultSet: s.status === 'FINISHED' && s.rows !== undefined,
          QueryString: s.sql };
      }
      case 'GetStatementResult': return this.result(input);
      case 'CancelStatement': {
        const s = this.statement(input.Id);
        if (s.status === 'FINISHED' || s.status === 'FAILED' || s.status === 'ABORTED') throw new DataApiError('ValidationException', 'Could not cancel a query that is already in FINISHED state.');
        s.status = 'ABORTED';
        s.endedAt = this.now();
        return { Status: true };
      }
    }
    throw new DataApiError('UnknownOperationException', `the fake has no ${operation}`);
  };

  private execute(input: Record<string, unknown>): Record<string, unknown> {
    if (input.ClusterIdentifier !== this.o.clusterIdentifier) throw new DataApiError('ValidationException', 'Redshift endpoint doesn\'t exist in this region.');
    if (typeof input.SecretArn !== 'string' || !this.o.secrets[input.SecretArn]) {
      throw new DataApiError('ValidationException', 'Secrets Manager can\'t find the specified secret.');
    }
    if (typeof input.Sql !== 'string' || input.Sql.length === 0) throw new DataApiError('ValidationException', 'Sql must not be empty');
    const parameters: Record<string, string> = {};
    for (const p of (input.Parameters ?? []) as Array<{ name: string; value: string }>) parameters[p.name] = p.value;
    const token = input.ClientToken as string | undefined;
    const again = token === undefined ? undefined : this.statements.find(s => s.clientToken === token);
    if (again) {
      if (again.sql !== input.Sql) throw new DataApiError('ValidationException', 'ClientToken was used with another request');
      return { Id: again.Id };
    }
    const active = this.statements.filter(s => s.status === 'SUBMITTED' || s.status === 'PICKED' || s.status === 'STARTED').length;
    if (active >= this.o.maxActiveStatements) {
      throw new DataApiError('ActiveStatementsExceededException', `Active statements exceeded the allowed quota (${this.o.maxActiveStatements}).`);
    }
    const s: FakeStatement = { Id: `stmt-${this.statements.length + 1}`, sql: input.Sql, parameters, submittedAt: this.now(), clientToken: token,
      status: 'SUBMITTED', database: String(input.Database), user: this.o.secrets[input.SecretArn].user };
    this.statements.push(s);
    return { Id: s.Id, ClusterIdentifier: this.o.clusterIdentifier, Database: input.Database };
  }

  private statement(id: unknown): FakeStatement {
    const s = this.statements.find(x => x.Id === id);
    if (!s) throw new DataApiError('ResourceNotFoundException', `Query does not exist: ${String(id)}`);
    return s;
  }

  private result(input: Record<string, unknown>): Record<string, unknown> {
    const s = this.statement(input.Id);
    if (s.status !== 'FINISHED') throw new DataApiError('ValidationException', `Query does not have result. Please check query status with DescribeStatement. (${s.status})`);
    if (!s.rows) throw new DataApiError('ValidationException', 'Query does not have result.');
    const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
    const page = s.rows.slice(start, start + this.o.pageSize);
    const next = start + this.o.pageSize < s.rows.length ? String(start + this.o.pageSize) : undefined;
    return { Records: page.map(r => r.map(v => (v === null ? { isNull: true } : { stringValue: String(v) }))), ...(next ? { NextToken: next } : {}) };
  }

  /** Moves every statement along the virtual clock, one at a time in submission order. */
  private advance(): void {
    const t = this.now();
    let previousEnd = 0;
    for (const s of this.statements) {
      if (s.status === 'FINISHED' || s.status === 'FAILED' || s.status === 'ABORTED') {
        previousEnd = Math.max(previousEnd, s.endedAt ?? s.submittedAt);
        continue;
      }
      const start = Math.max(s.submittedAt + 200, previousEnd);
      const end = start + this.o.runMs;
      if (t < s.submittedAt + 100) s.status = 'SUBMITTED';
      else if (t < start) s.status = 'PICKED';
      else if (this.stuck || t < end) s.status = 'STARTED';
      else {
        this.finish(s);
        s.endedAt = end;
      }
      previousEnd = this.stuck ? Number.POSITIVE_INFINITY : end;
    }
  }

  private finish(s: FakeStatement): void {
    try {
      if (!this.o.databases.includes(s.database)) throw new Error(`FATAL: database "${s.database}" does not exist`);
      s.rows = this.apply(s.sql.replace(/\s+/g, ' ').trim(), s.parameters, s.user);
      s.status = 'FINISHED';
    } catch (e) {
      s.status = 'FAILED';
      s.error = (e as Error).message;
    }
  }

  private superuser(user: string): boolean {
    return Object.values(this.o.secrets).some(x => x.user === user && x.superuser);
  }

  /** Runs one statement against the catalog; returns its rows, or undefined when it has no result set. */
  private apply(sql: string, params: Record<string, string>, user: string): unknown[][] | undefined {
    let m = new RegExp(`^CREATE EXTERNAL SCHEMA( IF NOT EXISTS)? ${IDENT} FROM DATA CATALOG DATABASE ${LIT} IAM_ROLE ${LIT}$`, 'i').exec(sql);
    if (m) {
      const name = ident(m[2]);
      const [database, role] = [lit(m[3]), lit(m[4])];
      if (!this.superuser(user)) throw new Error(`ERROR: permission denied for database ${user}`);
      if (this.externalSchemas.has(name) || this.localSchemas.has(name)) {
        if (m[1]) return undefined;
        throw new Error(`ERROR: Schema "${name}" already exists`);
      }
      if (!this.o.associatedRoles.includes(role)) {
        throw new Error(`ERROR: User arn:aws:redshift:${this.o.region}:${this.o.account}:dbuser:${this.o.clusterIdentifier}/${user} is not authorized to assume IAM Role ${role}`);
      }
      const readers = this.o.glueDatabases[database];
      if (!readers) throw new Error(`ERROR: External database "${database}" does not exist in the data catalog`);
      if (!readers.includes(role)) {
        throw new Error(`ERROR: AccessDeniedException: ${role} is not authorized to perform: glue:GetDatabase on resource: arn:aws:glue:${this.o.region}:${this.o.account}:database/${database}`);
      }
      this.externalSchemas.set(name, { database, role });
      return undefined;
    }
    m = new RegExp(`^DROP SCHEMA( IF EXISTS)? ${IDENT}$`, 'i').exec(sql);
    if (m) {
      const name = ident(m[2]);
      if (!this.superuser(user)) throw new Error(`ERROR: must be owner of schema ${name}`);
      if (!this.externalSchemas.delete(name) && !this.localSchemas.delete(name) && !m[1]) throw new Error(`ERROR: Schema "${name}" does not exist`);
      return undefined;
    }
    m = new RegExp(`^CREATE GROUP ${IDENT}$`, 'i').exec(sql);
    if (m) {
      const name = ident(m[1]);
      if (!this.superuser(user)) throw new Error('ERROR: permission denied to create group');
      if (this.groups.has(name)) throw new Error(`ERROR: group "${name}" already exists`);
      this.groups.add(name);
      return undefined;
    }
    if (/^SELECT groname FROM pg_group$/i.test(sql)) return [...this.groups].map(g => [g]);
    if (/^SELECT databasename, esoptions FROM svv_external_schemas WHERE schemaname = :schema_name$/i.test(sql)) {
      if (!('schema_name' in params)) throw new Error('ERROR: parameter :schema_name is not bound');
      const s = this.externalSchemas.get(params.schema_name);
      return s ? [[s.database, JSON.stringify({ IAM_ROLE: s.role })]] : [];
    }
    throw new Error(`ERROR: syntax error at or near "${sql.split(' ')[0]}"`);
  }
}

/** An identifier as Redshift names it: unquoted ones are lowercased and may not be keywords; quoted ones keep their text. */
function ident(token: string): string {
  if (token.startsWith('"')) return token.slice(1, -1).replace(/""/g, '"').toLowerCase();
  if (KEYWORDS.has(token.toUpperCase())) throw new Error(`ERROR: syntax error at or near "${token}"`);
  return token.toLowerCase();
}

function lit(token: string): string {
  return token.slice(1, -1).replace(/''/g, "'");
}
