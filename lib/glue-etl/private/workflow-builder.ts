import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

import { ManagedPolicyRole } from '../../core/managed-policy-role';
import { describe, PropsValidator, validateAtSynthAndNow } from '../../core/validation';
import { GlueWorkflowDefinition, GlueWorkflowNodeState, GlueWorkflowWaitFor } from '../workflow';
import { atLeastEntries, checkGlueName, wholeDuration } from './glue-rules';
import { sendBucketEventsToEventBridge } from './lake-bucket';
import { checkGlueSchedule } from './schedule';

/** A crawler or job a workflow can run, by the name the user gave it. */
export type WorkflowNode = { kind: 'crawler'; crawler: glue.CfnCrawler } | { kind: 'job'; job: glue.IJob };

/** States a trigger condition can watch, per kind of node. */
// https://docs.aws.amazon.com/glue/latest/webapi/API_Condition.html: "the only job states that a trigger can
// listen for are SUCCEEDED, STOPPED, FAILED, and TIMEOUT. The only crawler states ... SUCCEEDED, FAILED, and CANCELLED."
const ALLOWED_STATES: Record<WorkflowNode['kind'], GlueWorkflowNodeState[]> = {
  job: [GlueWorkflowNodeState.SUCCEEDED, GlueWorkflowNodeState.STOPPED, GlueWorkflowNodeState.FAILED, GlueWorkflowNodeState.TIMEOUT],
  crawler: [GlueWorkflowNodeState.SUCCEEDED, GlueWorkflowNodeState.FAILED, GlueWorkflowNodeState.CANCELLED],
};

/** Maximum actions of one trigger ("Jobs per trigger"). https://docs.aws.amazon.com/general/latest/gr/glue.html */
const MAX_ACTIONS_PER_TRIGGER = 50;

/** What the builder creates. */
export interface BuiltWorkflow {
  readonly workflow: glue.Workflow;
  readonly startRule?: events.Rule;
}

/**
 * Builds a Glue workflow from its typed description: one start trigger, then one conditional
 * trigger per step. Every reference is checked at synth.
 */
export function buildWorkflow(scope: Construct, def: GlueWorkflowDefinition, nodes: Map<string, WorkflowNode>,
  bucket: s3.IBucket): BuiltWorkflow {
  const steps = def.then ?? [];
  const reported = validateAtSynthAndNow(scope, v => validateWorkflow(v, def, nodes));

  const workflow = new glue.Workflow(scope, 'Workflow', {
    workflowName: def.workflowName,
    description: `ETL workflow of ${scope.node.path}`,
    maxConcurrentRuns: def.maxConcurrentRuns ?? 1,
  });
  const actions = (names: string[]) => names.flatMap(name => {
    const node = nodes.get(name);
    if (!node) return [];
    return [node.kind === 'job' ? glue.Action.job(node.job) : glue.Action.crawler(node.crawler)];
  });

  let startRule: events.Rule | undefined;
  switch (def.start.kind) {
    case 'SCHEDULED':
      workflow.addScheduledTrigger('StartTrigger', { actions: actions(def.run), schedule: def.start.triggerSchedule!, startOnCreation: true });
      break;
    case 'EVENT': {
      const s3Options = def.start.s3Options ?? {};
      // A window validation reported keeps Glue's default until fixed: the L2 throws on a fraction of a second.
      const batchWindow = reported.has('workflow.start.batchWindow') ? undefined : s3Options.batchWindow;
      workflow.addEventTrigger('StartTrigger', {
        actions: actions(def.run),
        eventBatchingCondition: { batchSize: s3Options.batchSize ?? 1, batchWindow: batchWindow ?? Duration.seconds(900) },
      });
      startRule = new events.Rule(scope, 'WorkflowStartRule', {
        description: `Starts the Glue workflow of ${scope.node.path} when objects are created`,
        eventPattern: {
          source: ['aws.s3'],
          detailType: ['Object Created'],
          detail: {
            bucket: { name: [bucket.bucketName] },
            ...(s3Options.prefix ? { object: { key: [{ prefix: s3Options.prefix }] } } : {}),
          },
        },
      });
      sendBucketEventsToEventBridge(scope, bucket);
      // EventBridge assumes the role for a rule of this account ("aws:SourceArn: the ARN of the rule that is sending
      // the event"). The rule's own ARN would make the rule and the role depend on each other: rules of this region.
      // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-conditions.html
      const stack = Stack.of(scope);
      const role = new ManagedPolicyRole(scope, 'WorkflowStartRole', {
        assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
          conditions: {
            StringEquals: { 'aws:SourceAccount': stack.account },
            ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*' }) },
          },
        }),
      });
      role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'StartWorkflow', actions: ['glue:notifyEvent'], resources: [workflow.workflowArn] }));
      // aws-events-targets has no Glue workflow target: EventBridge takes the workflow ARN and a role.
      startRule.addTarget({ bind: () => ({ arn: workflow.workflowArn, role }) });
      break;
    }
    default:
      workflow.addOnDemandTrigger('StartTrigger', { actions: actions(def.run) });
  }

  steps.forEach((step, i) => {
    const state = step.state ?? GlueWorkflowNodeState.SUCCEEDED;
    const conditions = step.after.flatMap(name => {
      const node = nodes.get(name);
      if (!node) return [];
      return [node.kind === 'job'
        ? glue.Condition.job(node.job, state as unknown as glue.JobState)
        : glue.Condition.crawler(node.crawler, state as unknown as glue.CrawlerState)];
    });
    const trigger = workflow.addConditionalTrigger(`Step${i + 1}Trigger`, {
      actions: actions(step.run),
      predicate: { logical: (step.waitFor ?? GlueWorkflowWaitFor.ALL) as unknown as glue.PredicateLogical, conditions },
      // A conditional trigger only fires once activated.
      startOnCreation: true,
    });
    // The L2 renders an event batching condition on conditional triggers too; Glue reads it for EVENT
    // triggers only, so it is left out of the template rather than shown with made-up values.
    if (trigger instanceof glue.CfnTrigger) {
      trigger.addPropertyDeletionOverride('EventBatchingCondition');
    }
  });
  return { workflow, startRule };
}

/**
 * The condition of step `p` on `name`, its `j`th `after` entry: on a node the workflow runs before it, in a state Glue
 * can watch for that kind of node. (A function of its own so that the source of the state rule cites it alone.)
 */
function checkCondition(v: PropsValidator, p: string, j: number, name: string, node: WorkflowNode, state: GlueWorkflowNodeState,
  started: Set<string>): void {
  // A condition on a node the workflow never runs would never fire.
  v.check(started.has(name), `${p}.after[${j}]`, name, 'must be run by workflow.run or an earlier step of workflow.then: a condition on a node the workflow never runs never fires');
  // "The only job states that a trigger can listen for are SUCCEEDED, STOPPED, FAILED, and TIMEOUT. The only crawler
  // states that a trigger can listen for are SUCCEEDED, FAILED, and CANCELLED."
  // https://docs.aws.amazon.com/glue/latest/webapi/API_Condition.html
  v.check(ALLOWED_STATES[node.kind].includes(state), `${p}.state`, state,
    `must be one of ${ALLOWED_STATES[node.kind].map(describe).join(', ')} for the ${node.kind} '${name}'`);
}

function validateWorkflow(v: PropsValidator, def: GlueWorkflowDefinition, nodes: Map<string, WorkflowNode>): void {
  const known = [...nodes.keys()];
  const allowed = known.length > 0 ? `one of ${known.map(describe).join(', ')}` : 'a crawler or job of this pipeline (there are none)';
  const checkNames = (property: string, names: string[]) => names.forEach((name, i) =>
    v.check(nodes.has(name), `${property}[${i}]`, name, `must name a crawler or job of this pipeline: ${allowed}`));

  checkGlueName(v, 'workflow.workflowName', def.workflowName);
  checkGlueSchedule(v, 'workflow.start.schedule', def.start.triggerSchedule);
  // A trigger has at least one action and at most 50 ("Jobs per trigger").
  // https://docs.aws.amazon.com/general/latest/gr/glue.html
  // https://docs.aws.amazon.com/glue/latest/webapi/API_CreateTrigger.html (Actions: required)
  v.countInRange('workflow.run', def.run, 1, MAX_ACTIONS_PER_TRIGGER);
  checkNames('workflow.run', def.run);
  const started = new Set(def.run);
  (def.then ?? []).forEach((step, i) => {
    const p = `workflow.then[${i}]`;
    atLeastEntries(v, `${p}.after`, step.after, 1, 'the step runs when the jobs and crawlers it names finish');
    // https://docs.aws.amazon.com/general/latest/gr/glue.html ("Jobs per trigger": 50)
    // https://docs.aws.amazon.com/glue/latest/webapi/API_CreateTrigger.html (Actions: required)
    v.countInRange(`${p}.run`, step.run, 1, MAX_ACTIONS_PER_TRIGGER);
    checkNames(`${p}.after`, step.after);
    checkNames(`${p}.run`, step.run);
    const state = step.state ?? GlueWorkflowNodeState.SUCCEEDED;
    step.after.forEach((name, j) => {
      const node = nodes.get(name);
      if (node) checkCondition(v, p, j, name, node, state, started);
    });
    step.run.forEach(name => started.add(name));
  });

  const s3Options = def.start.s3Options;
  if (s3Options) {
    // EventBatchingCondition: BatchSize 1-100, BatchWindow 1-900 seconds.
    // https://docs.aws.amazon.com/glue/latest/webapi/API_EventBatchingCondition.html
    v.integerInRange('workflow.start.batchSize', s3Options.batchSize, 1, 100);
    if (wholeDuration(v, 'workflow.start.batchWindow', s3Options.batchWindow, 'seconds', 0, 'BatchWindow')) {
      v.durationInRange('workflow.start.batchWindow', s3Options.batchWindow, Duration.seconds(1), Duration.seconds(900));
    }
  }
  // MaxConcurrentRuns is an Integer; the API states no minimum, and 1 is the least that lets a run start.
  // https://docs.aws.amazon.com/glue/latest/webapi/API_CreateWorkflow.html
  v.wholeNumber('workflow.maxConcurrentRuns', def.maxConcurrentRuns, 1);
}
