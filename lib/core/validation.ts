import { Duration, Size, SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** One problem: the property it is about, and the message without the construct path. */
interface Problem {
  readonly property: string;
  readonly message: string;
}

/**
 * Collects every problem with a construct's props in one pass, so a user sees all of them at once
 * instead of fixing them one synth at a time.
 *
 * Each check is tied to one rule and writes one message in the form
 * `<property> (<given>) must be <allowed>`. Values that are unresolved tokens are skipped: they are only
 * known at deploy time and guessing would reject valid apps.
 *
 * Use it from `node.addValidation` (or `validateAtSynth`) so that the checks run at synth, after every
 * `add*` call, and return `messages`: aws-cdk-lib prints each one after the construct path
 * (`[MyStack/Lake] capacity.shardCount (0) must be ...`), so a message that named the path itself would
 * show it twice. `errors` has the path in front, for a message read on its own.
 *
 * ```ts
 * this.node.addValidation({ validate: () => {
 *   const v = new PropsValidator(this);
 *   v.integerInRange('shardCount', props.shardCount, 1, 500);
 *   return v.messages;
 * } });
 * ```
 *
 * The validator records which properties broke a rule (`failed`), so that a construct that builds its
 * resources anyway can give those a safe stand-in without checking the value a second time.
 *
 * Not exported from the package: it is the library's own tool.
 */
export class PropsValidator {
  private readonly problems: Problem[] = [];
  private readonly path: string;

  constructor(scope: IConstruct) {
    this.path = scope.node.path;
  }

  /**
   * Every problem found so far, as `node.addValidation` returns them: without the construct path, which
   * aws-cdk-lib prints in front of each (`[<path>] <property> (<given>) <rule>`).
   */
  public get messages(): string[] {
    return this.problems.map(p => p.message);
  }

  /** Every problem found so far, each a complete message that starts with the construct path. */
  public get errors(): string[] {
    return this.problems.map(p => `${this.path}: ${p.message}`);
  }

  /** The properties that broke a rule so far, in the order they were first reported. */
  public get failedProperties(): Set<string> {
    return new Set(this.problems.map(p => p.property));
  }

  /** Whether `property` broke a rule: the construct then builds with a safe stand-in for it. */
  public failed(property: string): boolean {
    return this.problems.some(p => p.property === property);
  }

  /** Records a problem in the standard form: `<property> (<given>) <rule>`. */
  public fail(property: string, given: unknown, rule: string): void {
    const shown = given === undefined ? '' : ` (${describe(given)})`;
    this.problems.push({ property, message: `${property}${shown} ${rule}` });
  }

  /** Records a problem against `property` when `condition` is false. Returns the condition. */
  public check(condition: boolean, property: string, given: unknown, rule: string): boolean {
    if (!condition) {
      this.fail(property, given, rule);
    }
    return condition;
  }

  /** A number in `[min, max]` (inclusive). `unit` is appended to the allowed range in the message. */
  public inRange(property: string, value: number | undefined, min: number, max: number, unit = ''): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    const u = unit ? ` ${unit}` : '';
    this.check(value >= min && value <= max, property, value, `must be between ${min} and ${max}${u}`);
  }

  /** A whole number in `[min, max]` (inclusive). */
  public integerInRange(property: string, value: number | undefined, min: number, max: number, unit = ''): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    const u = unit ? ` ${unit}` : '';
    this.check(Number.isInteger(value) && value >= min && value <= max, property, value,
      `must be a whole number between ${min} and ${max}${u}`);
  }

  /**
   * A whole number of at least `min` (and at most `max`, when given), for counts that AWS takes as
   * integers. Returns whether the value is known and valid.
   */
  public wholeNumber(property: string, value: number | undefined, min: number, max?: number, unit = ''): boolean {
    if (value === undefined || Token.isUnresolved(value)) return false;
    const u = unit ? ` ${unit}` : '';
    const ok = Number.isInteger(value) && value >= min && (max === undefined || value <= max);
    const rule = max === undefined ? `must be a whole number of at least ${min}${u}` : `must be a whole number between ${min} and ${max}${u}`;
    return this.check(ok, property, value, rule);
  }

  /**
   * A duration that CloudFormation takes as a whole number of `unit`: aws-cdk-lib throws (without a construct
   * path) converting a fraction. `why` says which field takes it, for example 'Glue takes the timeout in
   * minutes'. Returns whether the value is known and whole, so that range checks run only on values that can
   * be shown in `unit` (a stand-in asks `failed`). The given value is shown in `unit`: `toHumanString()`
   * would round '90.5 seconds' to '1 minute 30 seconds'.
   */
  public wholeDuration(property: string, value: Duration | undefined, unit: DurationUnit, why?: string): boolean {
    if (value === undefined || value.isUnresolved()) return false;
    const amount = toUnit(value, unit);
    return this.check(Number.isInteger(amount), property, new Shown(`${amount} ${unit}`),
      `must be a whole number of ${unit}${why ? ` (${why})` : ''}`);
  }

  /** A size that a field takes in whole MiB; `why` names the field. Returns whether it is known and whole. */
  public wholeMebibytes(property: string, value: Size | undefined, why?: string): boolean {
    if (value === undefined || value.isUnresolved()) return false;
    return this.check(Number.isInteger(value.toMebibytes({ rounding: SizeRoundingBehavior.NONE })), property, value,
      `must be a whole number of MiB${why ? ` (${why})` : ''}`);
  }

  /** A number of at least `min`. */
  public atLeast(property: string, value: number | undefined, min: number, unit = ''): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    const u = unit ? ` ${unit}` : '';
    this.check(value >= min, property, value, `must be at least ${min}${u}`);
  }

  /** A number of at most `max`. */
  public atMost(property: string, value: number | undefined, max: number, unit = ''): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    const u = unit ? ` ${unit}` : '';
    this.check(value <= max, property, value, `must be at most ${max}${u}`);
  }

  /** One of a fixed list of values. */
  public oneOf<T>(property: string, value: T | undefined, allowed: readonly T[]): void {
    if (value === undefined || (typeof value === 'string' || typeof value === 'number') && Token.isUnresolved(value)) return;
    this.check(allowed.includes(value), property, value, `must be one of ${allowed.map(describe).join(', ')}`);
  }

  /** A whole multiple of `divisor`; `divisorName` says where the divisor comes from. */
  public multipleOf(property: string, value: number | undefined, divisor: number, divisorName: string): void {
    if (value === undefined || Token.isUnresolved(value) || Token.isUnresolved(divisor) || divisor === 0) return;
    this.check(value % divisor === 0, property, value, `must be a multiple of ${divisorName} (${divisor})`);
  }

  /** A duration in `[min, max]`, compared and reported in `unit`. */
  public durationInRange(property: string, value: Duration | undefined, min: Duration, max: Duration,
    unit: DurationUnit = 'seconds'): void {
    if (value === undefined || value.isUnresolved()) return;
    const v = toUnit(value, unit);
    this.check(v >= toUnit(min, unit) && v <= toUnit(max, unit), property, new Shown(`${v} ${unit}`),
      `must be between ${toUnit(min, unit)} and ${toUnit(max, unit)} ${unit}`);
  }

  /** A size in `[min, max]`, compared and reported in MiB. */
  public sizeInRange(property: string, value: Size | undefined, min: Size, max: Size): void {
    if (value === undefined || value.isUnresolved()) return;
    const v = value.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
    this.check(v >= min.toMebibytes() && v <= max.toMebibytes(), property, new Shown(`${v} MiB`),
      `must be between ${min.toMebibytes()} and ${max.toMebibytes()} MiB`);
  }

  /** A string matching `pattern`; `description` says in words what the pattern allows. */
  public matches(property: string, value: string | undefined, pattern: RegExp, description: string): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    this.check(pattern.test(value), property, value, `must be ${description}`);
  }

  /** A string no longer than `max` characters. */
  public maxLength(property: string, value: string | undefined, max: number): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    this.check(value.length <= max, property, value, `must be at most ${max} characters long (got ${value.length})`);
  }

  /** A list with between `min` and `max` entries. */
  public countInRange(property: string, items: readonly unknown[] | undefined, min: number, max: number): void {
    if (items === undefined || Token.isUnresolved(items)) return;
    this.check(items.length >= min && items.length <= max, property, new Shown(`${items.length} entries`),
      `must have between ${min} and ${max} entries`);
  }

  /** `property` may be set only when `condition` holds; `requirement` says what the condition is. */
  public requires(property: string, isSet: boolean, condition: boolean, requirement: string): void {
    if (isSet && !condition) {
      this.fail(property, undefined, `requires ${requirement}`);
    }
  }

  /** Two props that cannot be set together. */
  public exclusive(propertyA: string, aSet: boolean, propertyB: string, bSet: boolean): void {
    if (aSet && bSet) {
      this.fail(propertyA, undefined, `cannot be set together with ${propertyB}`);
    }
  }
}

/** The units a duration check can report in. */
export type DurationUnit = 'seconds' | 'minutes' | 'hours' | 'days';

function toUnit(d: Duration, unit: DurationUnit): number {
  switch (unit) {
    case 'seconds': return d.toSeconds({ integral: false });
    case 'minutes': return d.toMinutes({ integral: false });
    case 'hours': return d.toHours({ integral: false });
    case 'days': return d.toDays({ integral: false });
  }
}

/** A value already formatted for a message; shown as is, without quotes. */
export class Shown {
  constructor(public readonly text: string) {}
}

/** How a given value appears in a message: strings quoted, durations and sizes in words. */
export function describe(value: unknown): string {
  if (value instanceof Shown) return value.text;
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof Duration) return value.toHumanString();
  if (value instanceof Size) return `${value.toMebibytes({ rounding: SizeRoundingBehavior.NONE })} MiB`;
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  return String(value);
}

/**
 * Registers a validation that runs at synth. `check` fills a fresh `PropsValidator`; every problem it
 * finds is reported together with those of every other construct in the app.
 */
export function validateAtSynth(scope: IConstruct, check: (v: PropsValidator) => void): void {
  scope.node.addValidation({
    validate: () => {
      const v = new PropsValidator(scope);
      check(v);
      return v.messages;
    },
  });
}

/**
 * Registers `check` to report at synth (through `validateAtSynth`, so that the messages come with every other
 * construct's) and also runs it now, returning the properties that break a rule, as the validator recorded them,
 * so that the construct can give those a safe stand-in: aws-cdk-lib throws on some of them while building a
 * resource, which would hide every other problem.
 */
export function validateAtSynthAndNow(scope: IConstruct, check: (v: PropsValidator) => void): Set<string> {
  const now = new PropsValidator(scope);
  check(now);
  validateAtSynth(scope, check);
  return now.failedProperties;
}
