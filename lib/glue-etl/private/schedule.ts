import { Token } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';

import { PropsValidator } from '../../core/validation';

/**
 * Glue's schedule syntax: `cron(Minutes Hours Day-of-month Month Day-of-week Year)`, in UTC, six fields, a `?` in
 * one of the two day fields, and no more often than every 5 minutes ("the minimum precision for a schedule is 5
 * minutes"; "cron expressions that lead to rates faster than 5 minutes are not supported"). Glue takes no `rate()`.
 * @see https://docs.aws.amazon.com/glue/latest/dg/monitor-data-warehouse-schedule.html
 */
export const GLUE_MIN_SCHEDULE_MINUTES = 5;

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names accepted instead of numbers (JAN-DEC, SUN-SAT), numbered from `min`. */
  readonly names?: string[];
  /** What the documentation lists for the field, for the message. */
  readonly allowed: string;
  /** Day fields: `?`, and the field's own special forms. */
  readonly special?: RegExp;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: FieldSpec[] = [
  { name: 'Minutes', min: 0, max: 59, allowed: '0-59 with , - * /' },
  { name: 'Hours', min: 0, max: 23, allowed: '0-23 with , - * /' },
  { name: 'Day-of-month', min: 1, max: 31, allowed: '1-31 with , - * ? / L W', special: /^(\?|L|LW|([1-9]|[12][0-9]|3[01])W)$/ },
  { name: 'Month', min: 1, max: 12, names: MONTHS, allowed: '1-12 or JAN-DEC with , - * /' },
  { name: 'Day-of-week', min: 1, max: 7, names: DAYS, allowed: '1-7 or SUN-SAT with , - * ? / L',
    special: /^(\?|L|([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5]))$/ },
  { name: 'Year', min: 1970, max: 2199, allowed: '1970-2199 with , - * /' },
];

/**
 * Checks a Glue schedule (crawler schedule, scheduled workflow start) against the syntax of
 * `GLUE_MIN_SCHEDULE_MINUTES`: cron only, six fields, each field's values and wildcards, `?` in one day field, at most
 * every 5 minutes. Unresolved expressions are skipped.
 * @see https://docs.aws.amazon.com/glue/latest/dg/monitor-data-warehouse-schedule.html
 */
export function checkGlueSchedule(v: PropsValidator, property: string, schedule: glue.TriggerSchedule | undefined): void {
  if (schedule === undefined || Token.isUnresolved(schedule.expressionString)) return;
  const expression = schedule.expressionString.trim();
  if (/^rate\(/i.test(expression)) {
    v.fail(property, expression, 'must be a cron(...) expression: Glue schedules take no rate(...) expressions');
    return;
  }
  const m = /^cron\((.*)\)$/.exec(expression);
  const fields = m ? m[1].trim().split(/\s+/) : [];
  if (fields.length !== 6) {
    v.fail(property, expression, 'must be a cron expression of 6 fields, cron(Minutes Hours Day-of-month Month Day-of-week Year), ' +
      'for example cron(15 12 * * ? *)');
    return;
  }
  let valid = true;
  fields.forEach((field, i) => {
    const spec = FIELDS[i];
    if (!fieldIsValid(field, spec)) {
      valid = false;
      v.fail(property, expression, `has an invalid ${spec.name} field ('${field}'): it takes ${spec.allowed}`);
    }
  });
  if (!valid) return;
  // "You can't specify the Day-of-month and Day-of-week fields in the same cron expression. If you specify a value
  // in one of the fields, you must use a ? (question mark) in the other."
  if ((fields[2] === '?') === (fields[4] === '?')) {
    v.fail(property, expression, "must have '?' in exactly one of Day-of-month and Day-of-week");
    return;
  }
  const gap = shortestGapMinutes(fields[0], fields[1]);
  v.check(gap >= GLUE_MIN_SCHEDULE_MINUTES, property, expression,
    `runs ${gap === 1 ? 'every minute' : `every ${gap} minutes`} at its most frequent: Glue runs schedules at most every ` +
    `${GLUE_MIN_SCHEDULE_MINUTES} minutes`);
}

function fieldIsValid(field: string, spec: FieldSpec): boolean {
  // '?', L, W and # stand alone in the two day fields.
  if (spec.special?.test(field)) return true;
  return field.split(',').every(item => itemIsValid(item, spec));
}

function itemIsValid(item: string, spec: FieldSpec): boolean {
  const [base, step, extra] = item.split('/');
  if (extra !== undefined) return false;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1)) return false;
  if (base === '*') return true;
  const bounds = base.split('-');
  if (bounds.length > 2) return false;
  const values = bounds.map(b => valueOf(b, spec));
  if (values.some(n => n === undefined)) return false;
  return bounds.length === 1 || values[0]! <= values[1]!;
}

function valueOf(token: string, spec: FieldSpec): number | undefined {
  const named = spec.names?.indexOf(token.toUpperCase()) ?? -1;
  const n = named >= 0 ? spec.min + named : /^\d+$/.test(token) ? Number(token) : NaN;
  return n >= spec.min && n <= spec.max ? n : undefined;
}

/** The values a Minutes or Hours field selects (fields already validated). */
function expand(field: string, min: number, max: number): number[] {
  const out = new Set<number>();
  for (const item of field.split(',')) {
    const [base, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [from, to] = base === '*' ? [min, max]
      : base.includes('-') ? base.split('-').map(Number) as [number, number]
        : [Number(base), stepText === undefined ? Number(base) : max];
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * The shortest time between two runs, in minutes, from the Minutes and Hours fields. The gap across the end of an
 * hour counts only when the next hour is selected too (23 to 0 is taken as consecutive: the day fields may allow
 * consecutive days, and a false alarm is better than a schedule Glue rejects).
 */
function shortestGapMinutes(minutesField: string, hoursField: string): number {
  const minutes = expand(minutesField, 0, 59);
  const hours = new Set(expand(hoursField, 0, 23));
  let gap = 24 * 60;
  for (let i = 1; i < minutes.length; i++) gap = Math.min(gap, minutes[i] - minutes[i - 1]);
  const consecutiveHours = [...hours].some(h => hours.has((h + 1) % 24));
  if (consecutiveHours) gap = Math.min(gap, 60 - minutes[minutes.length - 1] + minutes[0]);
  return gap;
}
