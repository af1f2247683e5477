/**
 * The IAM policy evaluator: @cloud-copilot/iam-simulate (AGPL-3.0, a devDependency used by tests only,
 * never by lib/). Every request goes through its validating `runSimulation` (policy grammar, the action
 * exists, the resource ARN is a resource type of the action), and the decision comes with the statements
 * that decided it.
 *
 * One limitation of iam-simulate 0.1.173 is worked around here: it drops context keys whose name has a
 * variable after a colon (`kms:EncryptionContext:aws:logs:arn`, from `kms:EncryptionContext:${Key}`), so a
 * key policy conditioned on an encryption context would never match. When it dropped such a key, the
 * request is evaluated again with the key kept, by the library's own core `authorize` (the function
 * `runSimulation` calls after validation), loaded from the package's files.
 */
import { isWildcardOnlyAction, type RequestAnalysis, runSimulation, type Simulation, type StatementExplain } from '@cloud-copilot/iam-simulate';
import { createRequire } from 'module';

import { NamedPolicy } from './policies';

/** One request, with everything that decides it. */
export interface SimulationRequest {
  /** An IAM or STS ARN, or a service principal (`logs.us-east-1.amazonaws.com`). */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** The account that owns the resource. */
  readonly resourceAccount: string;
  readonly context: Record<string, string | string[]>;
  readonly identityPolicies: NamedPolicy[];
  readonly resourcePolicy?: NamedPolicy;
  readonly permissionsBoundary?: NamedPolicy;
  readonly serviceControlPolicies?: NamedPolicy[];
}

/** The outcome of a request and why. */
export interface Decision {
  readonly result: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
  /** The deciding statements (or "no statement allows it"), and the statements that almost matched. */
  readonly explanation: string;
}

/** The parts of iam-simulate's core that `runSimulation` uses, typed for the one call made here. */
interface CoreEngine {
  authorize(request: unknown): RequestAnalysis;
}
interface CoreRequest { AwsRequestImpl: new (p: string, r: { resource: string; accountId: string }, a: string, c: unknown, w: boolean) => unknown }
interface CoreContext { RequestContextImpl: new (values: Record<string, string | string[]>) => unknown }
interface PolicyLoader { loadPolicy(doc: unknown, meta: { name: string }): unknown }
interface CoreConstraints { DiscoveryContextKeyConstraints: new (constraints: unknown[]) => unknown }

const simulateRequire = createRequire(require.resolve('@cloud-copilot/iam-simulate'));
const core = {
  engine: simulateRequire('./core_engine/CoreSimulatorEngine.js') as CoreEngine,
  request: simulateRequire('./request/request.js') as CoreRequest,
  context: simulateRequire('./requestContext.js') as CoreContext,
  policy: simulateRequire('@cloud-copilot/iam-policy') as PolicyLoader,
  constraints: simulateRequire('./context_keys/discoveryContextKeyConstraints.js') as CoreConstraints,
};

/** Context keys iam-simulate drops although the action defines them (`service:Name:${Variable}` keys). */
const COLON_VARIABLE_KEYS = [/^kms:EncryptionContext:.+/i, /^kms:RecipientAttestation:.+/i];

/** Evaluates a request as IAM would. Throws when the simulation input is invalid (a policy, an action, an ARN). */
export async function decide(req: SimulationRequest): Promise<Decision> {
  const simulation: Simulation = {
    request: {
      principal: req.principal,
      action: req.action,
      resource: { resource: req.resource, accountId: req.resourceAccount },
      contextVariables: req.context,
    },
    identityPolicies: req.identityPolicies.map(p => ({ name: p.name, policy: p.policy })),
    serviceControlPolicies: req.serviceControlPolicies?.length
      ? [{ orgIdentifier: 'r-root', policies: req.serviceControlPolicies.map(p => ({ name: p.name, policy: p.policy })) }] : [],
    resourceControlPolicies: [],
    resourcePolicy: req.resourcePolicy?.policy,
    permissionBoundaryPolicies: req.permissionsBoundary
      ? [{ name: req.permissionsBoundary.name, policy: req.permissionsBoundary.policy }] : undefined,
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') {
    throw new Error(`Invalid simulation of ${req.action} on ${req.resource} by ${req.principal}: ${JSON.stringify(response.errors)}`);
  }
  if (response.resultType === 'wildcard') {
    // iam-simulate reads a "*" in the request's resource as a pattern to expand into the policies' resources;
    // IAM reads it as a character. Either a request on "*" (an action whose resource types are all optional,
    // such as cloudwatch:PutMetricData: only a policy's literal "*" matches it), or a resource with a "*" in it
    // (an OpenSearch URL path with an index pattern): evaluated as the string it is.
    const analysis = await authorizeWithContext(req, req.context, req.resource === '*');
    return { result: analysis.result, explanation: explain(req, analysis) };
  }
  let analysis = response.result.analysis;
  const ignored = response.result.ignoredContextKeys ?? [];
  const readmitted = req.action.toLowerCase().startsWith('kms:') ? ignored.filter(k => COLON_VARIABLE_KEYS.some(re => re.test(k))) : [];
  if (readmitted.length > 0) {
    const dropped = new Set(ignored.filter(k => !readmitted.includes(k)));
    const context = Object.fromEntries(Object.entries(req.context).filter(([k]) => !dropped.has(k)));
    analysis = await authorizeWithContext(req, context);
  }
  return { result: analysis.result, explanation: explain(req, analysis) };
}

/** The core evaluation `runSimulation` performs after validation, with the context given as is. */
async function authorizeWithContext(req: SimulationRequest, context: Record<string, string | string[]>,
  resourceIsStar = false): Promise<RequestAnalysis> {
  const [service, action] = req.action.split(':');
  const wildcardOnly = resourceIsStar || await isWildcardOnlyAction(service, action);
  const load = (p: NamedPolicy) => core.policy.loadPolicy(p.policy, { name: p.name });
  return core.engine.authorize({
    request: new core.request.AwsRequestImpl(req.principal, { resource: req.resource, accountId: req.resourceAccount }, req.action,
      new core.context.RequestContextImpl(context), wildcardOnly),
    sessionPolicy: undefined,
    identityPolicies: req.identityPolicies.map(load),
    serviceControlPolicies: req.serviceControlPolicies?.length
      ? [{ orgIdentifier: 'r-root', policies: req.serviceControlPolicies.map(load) }] : [],
    resourceControlPolicies: [],
    resourcePolicy: req.resourcePolicy ? load(req.resourcePolicy) : undefined,
    permissionBoundaries: req.permissionsBoundary ? [load(req.permissionsBoundary)] : undefined,
    vpcEndpointPolicies: undefined,
    simulationParameters: { simulationMode: 'Strict', discoveryContextKeyConstraints: new core.constraints.DiscoveryContextKeyConstraints([]) },
    serviceSettings: { s3: {} },
  });
}

interface AnalyzedStatement {
  readonly policyId?: string;
  readonly explain: StatementExplain;
  readonly actionMatch: boolean;
  readonly resourceMatch: boolean;
  readonly principalMatch: string;
  readonly conditionMatch: unknown;
}
interface AnalyzedPolicySet {
  readonly result: string;
  readonly allowStatements: AnalyzedStatement[];
  readonly denyStatements: AnalyzedStatement[];
  readonly unmatchedStatements: AnalyzedStatement[];
}

function label(s: AnalyzedStatement, policyName: string | undefined): string {
  const id = s.explain.identifier;
  return `${policyName ?? s.policyId ?? 'policy'} statement ${/^\d+$/.test(id) ? `#${id}` : `"${id}"`}`;
}

/** Why an Allow statement that names the action and resource did not apply: its failing conditions. */
function nearMiss(s: AnalyzedStatement, policyName: string | undefined): string | undefined {
  if (s.explain.effect !== 'Allow' || !s.actionMatch || !s.resourceMatch || s.principalMatch === 'NoMatch') return undefined;
  const failed = (s.explain.conditions ?? []).filter(c => !c.matches).map(c => {
    const values = ([] as Array<{ value: string }>).concat(c.values).map(v => v.value);
    const got = c.resolvedConditionKeyValue ?? 'absent';
    return `${c.operator} ${c.conditionKeyValue} ${JSON.stringify(values)} (request: ${JSON.stringify(got)})`;
  });
  return failed.length ? `${label(s, policyName)} names the action and resource but its condition fails: ${failed.join('; ')}` : undefined;
}

function describeSet(title: string, set: AnalyzedPolicySet | undefined, policyName?: string): string[] {
  if (!set) return [];
  const lines: string[] = [];
  if (set.denyStatements.length) lines.push(`${title}: denied by ${set.denyStatements.map(s => label(s, policyName)).join(', ')}`);
  else if (set.allowStatements.length) lines.push(`${title}: ${set.result} by ${set.allowStatements.map(s => label(s, policyName)).join(', ')}`);
  else lines.push(`${title}: no statement allows it`);
  for (const s of set.unmatchedStatements) {
    const miss = nearMiss(s, policyName);
    if (miss) lines.push(`  near miss: ${miss}`);
  }
  return lines;
}

function explain(req: SimulationRequest, a: RequestAnalysis): string {
  const lines = [`${req.principal} ${req.action} on ${req.resource}: ${a.result}`];
  if (!req.principal.includes(':')) {
    lines.push('  (a service principal: only the resource policy can allow it)');
  } else {
    lines.push(...describeSet(`identity policies (${req.identityPolicies.map(p => p.name).join(', ') || 'none'})`,
      a.identityAnalysis as AnalyzedPolicySet | undefined).map(l => `  ${l}`));
  }
  lines.push(...describeSet(req.resourcePolicy ? req.resourcePolicy.name : 'resource policy (none)',
    a.resourceAnalysis as AnalyzedPolicySet | undefined, req.resourcePolicy?.name).map(l => `  ${l}`));
  if (req.permissionsBoundary) {
    lines.push(...describeSet(req.permissionsBoundary.name, a.permissionBoundaryAnalysis as AnalyzedPolicySet | undefined).map(l => `  ${l}`));
  }
  if (a.blockedBy?.length) lines.push(`  blocked by: ${a.blockedBy.join(', ')}`);
  return lines.join('\n');
}
