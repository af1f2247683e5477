/**
 * `@aws/cloudformation-validate` with a shared `CompositeEngine`: loaded through Node's `require` (index.cjs), so this
 * module, the WebAssembly instance and the engines below live once per jest worker and serve every test file it runs.
 *
 * - An engine is built once per configuration (aws-cdk-lib passes the same one, with no custom rules, for all our
 *   stacks) and reused. aws-cdk-lib frees and rebuilds its engine when a synth brings a resource type that the
 *   previous one did not have; the engine validates every type whatever it was built for, so `free()` is a no-op.
 * - Objects from a test file come from jest's sandbox realm, and the package accepts only plain objects of its own
 *   realm: inputs are copied into this realm first.
 */
const path = require('path');

const real = require(require.resolve('@aws/cloudformation-validate', { paths: [path.dirname(require.resolve('aws-cdk-lib/package.json'))] }));

/** The engines built so far, by configuration. */
const engines = new Map();

/** `value` with its arrays and plain objects copied into this realm; other objects (RuleFile…) kept as they are. */
function toThisRealm(value) {
  if (Array.isArray(value)) return value.map(toThisRealm);
  if (value && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== null && proto.constructor?.name !== 'Object') return value;
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = toThisRealm(v);
    return out;
  }
  return value;
}

/** Same contract as the package's CompositeEngine; built engines are shared by configuration. */
class CompositeEngine {
  constructor(config) {
    const key = JSON.stringify(config ?? {});
    let engine = engines.get(key);
    if (!engine) {
      engine = new real.CompositeEngine(toThisRealm(config));
      engines.set(key, engine);
    }
    this.engine = engine;
  }
  validateTemplate(template, config) { return this.engine.validateTemplate(template, toThisRealm(config)); }
  validateStandard(template, config) { return this.engine.validateStandard(template, toThisRealm(config)); }
  validateDetailed(template, config) { return this.engine.validateDetailed(template, toThisRealm(config)); }
  validateAwsCliCommand(request) { return this.engine.validateAwsCliCommand(request); }
  listRules() { return this.engine.listRules(); }
  engineName() { return this.engine.engineName(); }
  /** Shared for the life of the worker: never freed by one synth. */
  free() { }
}

module.exports = { ...real, CompositeEngine };
