import { Annotations, Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

import { PropsValidator, Shown } from '../../core/validation';

/**
 * Names of Glue jobs, crawlers, workflows and connections: 1 to 255 characters of the "single-line string
 * pattern" (no line break or other control character but tab).
 * @see https://docs.aws.amazon.com/glue/latest/webapi/API_Job.html (Name)
 * @see https://docs.aws.amazon.com/glue/latest/webapi/API_Crawler.html (Name)
 * @see https://docs.aws.amazon.com/glue/latest/webapi/API_Workflow.html (Name)
 */
export function checkGlueName(v: PropsValidator, property: string, name: string | undefined): void {
  v.matches(property, name, /^[^\x00-\x08\x0A-\x1F\x7F]{1,255}$/u, '1 to 255 characters on one line (no line break or control character)');
}

/**
 * Names that become Athena-readable Data Catalog names (databases, table prefixes): lowercase letters, digits and
 * underscores. Glue stores names in lowercase and Athena reads no other character without quoting.
 * @see https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html
 */
export function checkCatalogName(v: PropsValidator, property: string, name: string | undefined, min: number, max: number): void {
  v.matches(property, name, new RegExp(`^[a-z0-9_]{${min},${max}}$`), `lowercase letters, digits and underscores (${min}-${max} characters)`);
}

/**
 * Warns when a value of an enum (aws-cdk-lib's, or an enum-like class's `of()`) is not one of its members: TypeScript
 * lets any string through a cast (`'9.0' as glue.GlueVersion`), and a new value Glue does not know fails only at deploy.
 */
export function warnUnknownValue(scope: IConstruct, property: string, value: string | undefined, known: readonly string[], what: string,
  knownBy: string = 'aws-cdk-lib'): void {
  if (value === undefined || Token.isUnresolved(value) || known.includes(value)) return;
  Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:glueUnknownValue',
    `${property} ('${value}') is not a ${what} ${knownBy} knows (${known.join(', ')}): Glue rejects it at deploy unless it is new`);
}

/**
 * A list with at least `min` entries (the upper bound, if any, is checked elsewhere): the library's own check that a
 * list the construct renders is not empty, with `why` saying what an empty one would mean.
 */
export function atLeastEntries(v: PropsValidator, property: string, items: readonly unknown[] | undefined, min: number, why: string): void {
  if (items === undefined || Token.isUnresolved(items)) return;
  v.check(items.length >= min, property, new Shown(`${items.length} entries`), `must have at least ${min} ${min === 1 ? 'entry' : 'entries'}: ${why}`);
}

/**
 * A duration CloudFormation takes as a whole number of `unit`, at least `min` of them; returns whether it is valid
 * (aws-cdk-lib throws converting a fraction, so an invalid value gets a stand-in). Its callers: a job's
 * NotifyDelayAfter (Integer minutes, at least 1) and a workflow's BatchWindow (Integer seconds, 1-900, whose range
 * the caller checks).
 * @see https://docs.aws.amazon.com/glue/latest/webapi/API_NotificationProperty.html
 * @see https://docs.aws.amazon.com/glue/latest/webapi/API_EventBatchingCondition.html
 */
export function wholeDuration(v: PropsValidator, property: string, value: Duration | undefined, unit: 'minutes' | 'seconds', min: number,
  field: string): boolean {
  if (value === undefined || value.isUnresolved()) return true;
  const amount = unit === 'minutes' ? value.toMinutes({ integral: false }) : value.toSeconds({ integral: false });
  const atLeast = min > 0 && unit === 'minutes' ? `, at least ${min}` : '';
  return v.check(Number.isInteger(amount) && amount >= min, property, new Shown(`${amount} ${unit}`),
    `must be a whole number of ${unit}${atLeast} (Glue takes ${field} in ${unit})`);
}
