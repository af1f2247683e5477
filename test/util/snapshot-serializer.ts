/**
 * Jest snapshot serializer for CloudFormation templates: masks the values that change without a change
 * in what is deployed (asset hashes, CDK version metadata), so that a snapshot diff is always a real change.
 */
const ASSET_HASH = /[0-9a-f]{64}/g;

/** Templates this serializer already masked, so it does not run on its own output again. */
const masked = new WeakSet<object>();

function mask(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.replace(ASSET_HASH, '[ASSET HASH]');
  }
  if (Array.isArray(value)) {
    return value.map(mask);
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'CDKMetadata' || k === 'BootstrapVersion' || k === 'CheckBootstrapVersion') continue;
      out[k.replace(ASSET_HASH, '[ASSET HASH]')] = mask(v);
    }
    return out;
  }
  return value;
}

function isTemplate(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value) && 'Resources' in value
    && !masked.has(value);
}

const serializer: import('pretty-format').NewPlugin = {
  test: isTemplate,
  serialize(val, config, indentation, depth, refs, printer) {
    const out = mask(val) as Record<string, unknown>;
    masked.add(out);
    return printer(out, config, indentation, depth, refs);
  },
};

module.exports = serializer;
