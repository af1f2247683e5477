import { Duration, Token } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';

import { PropsValidator, Shown } from '../../core/validation';
import { GlueEtlStart } from '../start';
import { GlueEtlStep } from '../step';
import { DEFAULT_CRAWL_WAIT, DEFAULT_POLL_INTERVAL, LABEL, stepLabel } from './definition';

/**
 * Longest execution of a Standard workflow: one year.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
export const MAX_EXECUTION = Duration.days(365);

/** The props of a `GlueEtlStateMachine` with every default resolved, as the rules read them. */
export interface ResolvedStateMachineProps {
  readonly steps: GlueEtlStep[];
  readonly start: GlueEtlStart;
  readonly stateMachineName?: string;
  readonly timeout: Duration;
  readonly logLevel: sfn.LogLevel;
}

/** Every limit Step Functions, Glue and EventBridge enforce on a `GlueEtlStateMachine`, each citing its source. */
export function checkStateMachineProps(v: PropsValidator, p: ResolvedStateMachineProps): void {
  // StateMachine name: 1-80 characters of letters, digits and - _ (aws-cdk-lib throws on others).
  // https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html
  v.matches('stateMachineName', p.stateMachineName, /^[a-zA-Z0-9_-]{1,80}$/, '1 to 80 letters, digits, _ or -');
  v.check(p.steps.length > 0, 'steps', new Shown('0 entries'), 'must have at least one crawl or job step');

  // TimeoutSeconds: a whole number of seconds; a Standard workflow runs at most one year.
  // https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html
  // https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
  if (wholeSeconds(v, 'timeout', p.timeout)) {
    v.durationInRange('timeout', p.timeout, Duration.seconds(1), MAX_EXECUTION, 'seconds');
  }
  // Without logs, a failed execution leaves only the execution history (90 days), not searchable in CloudWatch.
  v.check(p.logLevel !== sfn.LogLevel.OFF, 'logLevel', p.logLevel, 'must be ALL, ERROR or FATAL: executions must be logged');

  const labels = new Set<string>();
  p.steps.forEach((step, i) => {
    const prop = `steps[${i}]`;
    if (step.problem) v.fail(prop, step.name, step.problem);
    // Glue names: 1-255 characters on one line. https://docs.aws.amazon.com/glue/latest/webapi/API_StartJobRun.html
    v.matches(`${prop}.name`, step.name, /^[^\r\n]{1,255}$/, '1 to 255 characters on one line');
    // State names are at most 80 characters; the label is part of several ("Wait for <label>", "<label> crawl timed out").
    // https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-states.html
    const label = stepLabel(step, i);
    v.matches(`${prop}.label`, step.label, LABEL, '1 to 40 letters, digits, spaces, _ or -');
    v.check(!labels.has(label), `${prop}.label`, label, 'must be unique among the steps: it names their states');
    labels.add(label);
    if (step.kind === 'CRAWL') {
      const interval = step.crawlOptions.pollInterval ?? DEFAULT_POLL_INTERVAL;
      const maxWait = step.crawlOptions.maxWait ?? DEFAULT_CRAWL_WAIT;
      // A Wait state's Seconds is a whole number of seconds ("an integer value from 0 to 99999999").
      // https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
      if (wholeSeconds(v, `${prop}.pollInterval`, interval)) {
        v.durationInRange(`${prop}.pollInterval`, interval, Duration.seconds(1), MAX_EXECUTION, 'seconds');
      }
      if (!interval.isUnresolved() && !maxWait.isUnresolved()) {
        v.check(maxWait.toSeconds({ integral: false }) >= interval.toSeconds({ integral: false }), `${prop}.maxWait`, maxWait,
          `must be at least pollInterval (${interval.toHumanString()})`);
      }
    }
    for (const key of Object.keys(step.jobOptions.arguments ?? {})) {
      // Glue job arguments are '--name'. https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-etl-glue-arguments.html
      if (Token.isUnresolved(key)) continue;
      v.check(/^--[A-Za-z0-9_.-]+$/.test(key), `${prop}.arguments['${key}']`, undefined, "must be a Glue job argument name: '--' then letters, digits, _, . or -");
    }
  });

  if (p.start.kind === 'S3' && p.start.prefix !== undefined && !Token.isUnresolved(p.start.prefix)) {
    v.check(p.start.prefix.length > 0 && !p.start.prefix.startsWith('/'), 'start.prefix', p.start.prefix,
      "must be a non-empty key prefix without a leading '/': it is matched against object keys, which are relative to the " +
      'bucket (leave prefix unset to start on every object)');
  }
}

/**
 * Checks that `value` is a whole number of seconds (TimeoutSeconds and a Wait state's Seconds are integers); returns
 * whether it is.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html
 */
function wholeSeconds(v: PropsValidator, property: string, value: Duration): boolean {
  if (value.isUnresolved()) return false;
  const s = value.toSeconds({ integral: false });
  return v.check(Number.isInteger(s), property, new Shown(`${s} seconds`), 'must be a whole number of seconds (Step Functions takes seconds)');
}
