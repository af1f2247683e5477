#!/usr/bin/env bash
# `npm run test:consumer [tarball]`: a new user's first app, outside the repository, built from the packed package.
#
# 1. The tarball: the one given (CI passes jsii-pacmak's dist/js/*.tgz), or `npm pack` of this checkout (prepack builds).
# 2. A new app in a temporary folder: `cdk init app --language typescript --generate-only`, then the tarball, aws-cdk-lib,
#    constructs and cdk-nag installed with npm (from the npm cache when it holds them). The app's tools (typescript, tsx,
#    aws-cdk, @types) are pinned to this repository's versions, so nothing but the package under test differs.
# 3. test/consumer/generate.ts writes the app: every exported type imported, the TypeScript snippets of the README and
#    docs/*.md pasted as written, one stack per quickstart file they show, explicit account and region, no
#    availabilityZones override, the cdk-nag snippet of docs/compliance.md (the four packs as validation plugins).
# 4. `npx cdk synth --quiet`, as the user runs it: cdk.json's app type-checks with tsc, then runs the app with tsx.
# 5. test/consumer/check.ts: synth passed, nothing to look up (no `missing` in the manifest), no warning in the
#    assembly or the CLI output.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/cdk-analytics-blueprints-consumer-XXXXXX")"
[ -n "${KEEP_CONSUMER_APP:-}" ] || trap 'rm -rf "$work"' EXIT
t0=$SECONDS
lap() { echo "consumer-check: $1 ($((SECONDS - t0)) s)"; }

tarball="${1:-}"
if [ -z "$tarball" ]; then
  (cd "$root" && npm pack --silent --pack-destination "$work" >/dev/null)
  tarball="$(ls "$work"/*.tgz)"
  lap "packed $(basename "$tarball")"
fi
tarball="$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")"
contents="$(tar -tzf "$tarball")"
for f in package/.jsii package/lib/index.js package/lib/index.d.ts package/README.md package/CHANGELOG.md; do
  grep -qx "$f" <<<"$contents" || { echo "consumer-check: $tarball has no ${f#package/}: was it built?"; exit 1; }
done

app="$work/consumer-app"
mkdir -p "$app"
cd "$app"
"$root/node_modules/.bin/cdk" init app --language typescript --generate-only >/dev/null 2>&1
node - "$root" "$tarball" <<'JS'
const fs = require('fs');
const path = require('path');
const [root, tarball] = process.argv.slice(2);
const version = name => JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf-8')).version;
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf-8'));
pkg.dependencies = {
  'aws-cdk-lib': version('aws-cdk-lib'),
  'constructs': version('constructs'),
  'cdk-nag': version('cdk-nag'),
  'cdk-analytics-blueprints': `file:${tarball}`,
};
// The app's own tools at this repository's versions; its jest set-up is not used here.
pkg.devDependencies = Object.fromEntries(['aws-cdk', 'tsx', 'typescript', '@types/node', '@types/jest'].map(n => [n, version(n)]));
fs.writeFileSync('package.json', JSON.stringify(pkg, null, 2) + '\n');
JS
npm install --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null
lap "installed the tarball into $app"

# The README of the installed package, and the pages of docs/ (not in the package: the README links to them).
"$root/node_modules/.bin/tsx" "$root/test/consumer/generate.ts" node_modules/cdk-analytics-blueprints "$app" \
  node_modules/cdk-analytics-blueprints/README.md "$root"/docs/*.md

status=0
npx cdk synth --quiet --no-notices >synth.log 2>&1 || status=$?
lap "cdk synth exited $status"
"$root/node_modules/.bin/tsx" "$root/test/consumer/check.ts" "$app" "$status"
