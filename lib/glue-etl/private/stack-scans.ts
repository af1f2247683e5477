import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Scans of a whole stack (its VPC endpoints, its security group rules, each with its references resolved) shared by
 * the synth-time checks of the Glue networks in one stack. Each check used to scan the stack again, so N pipelines
 * in a stack resolved N × (every endpoint and rule of the stack) references: synth grew with N².
 *
 * A scan is reused only within one validation sweep, while the construct tree cannot change. A sweep of a stack
 * starts when the stack itself is validated: aws-cdk-lib validates a construct before its children (and so does
 * `stack.node.findAll()`, which the tests use), so that comes before every check in it. It ends once every check
 * registered in the stack has run; when a check runs a second time or a new one is registered; and at the latest at
 * the end of the current tick. A check validated outside a sweep (on its own, `network.node.validate()`) scans the
 * stack itself, as before.
 */
export interface ScanningCheck {
  /** Runs `check`, within the current sweep of its stack if there is one. */
  run<T>(check: () => T): T;
}

interface Sweep {
  readonly scans: Map<Stack, Map<string, unknown>>;
  readonly ran: Set<object>;
}

interface StackChecks {
  count: number;
  sweep?: Sweep;
}

const CHECKS = new WeakMap<Stack, StackChecks>();
/** The sweep of the check being run, if any. */
let current: Sweep | undefined;

/** Registers a check of `scope` that reads stack scans (`scanOnce`): call it once per `validateAtSynth`. */
export function scanningCheck(scope: IConstruct): ScanningCheck {
  const stack = Stack.of(scope);
  let checks = CHECKS.get(stack);
  if (!checks) {
    const created: StackChecks = { count: 0 };
    checks = created;
    CHECKS.set(stack, created);
    stack.node.addValidation({ validate: () => startSweep(created) });
  }
  const own = checks;
  own.count++;
  own.sweep = undefined;
  const id = {};
  return {
    run: check => {
      const sweep = own.sweep;
      if (!sweep || sweep.ran.has(id)) {
        own.sweep = undefined;
        return check();
      }
      sweep.ran.add(id);
      const outer = current;
      current = sweep;
      try {
        return check();
      } finally {
        current = outer;
        if (sweep.ran.size >= own.count && own.sweep === sweep) own.sweep = undefined;
      }
    },
  };
}

function startSweep(checks: StackChecks): string[] {
  const sweep: Sweep = { scans: new Map(), ran: new Set() };
  checks.sweep = sweep;
  queueMicrotask(() => {
    if (checks.sweep === sweep) checks.sweep = undefined;
  });
  return [];
}

/**
 * `scan()` of `stack`, computed once per sweep for each `key` when a check runs in one (`ScanningCheck.run`), and
 * every time otherwise.
 */
export function scanOnce<T>(stack: Stack, key: string, scan: () => T): T {
  if (!current) return scan();
  let scans = current.scans.get(stack);
  if (!scans) {
    scans = new Map();
    current.scans.set(stack, scans);
  }
  if (!scans.has(key)) scans.set(key, scan());
  return scans.get(key) as T;
}
