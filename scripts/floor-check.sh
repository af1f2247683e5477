#!/usr/bin/env bash
# `npm run test:floor [jest args]`: the test suite against the oldest aws-cdk-lib that the peer range allows
# (`peerDependencies["aws-cdk-lib"]`, ^2.273.0), in a temporary copy of the checkout: package.json, the lockfile and
# node_modules of the checkout are not touched.
#
# 1. npm installs aws-cdk-lib at the floor in a folder of its own (from the npm cache when it holds it), so that its
#    dependencies resolve as they would in a user's app (aws-cdk-lib 2.273 needs @aws-cdk/cloud-assembly-schema 54,
#    this checkout has 55).
# 2. The copy: the checkout's files, its node_modules hard-linked (fast, no disk), with aws-cdk-lib replaced by the
#    floor's and the floor's own dependencies nested under it, where only aws-cdk-lib resolves them.
# 3. jest in the copy, with the arguments given (default: the whole suite). Snapshot tests compare with the committed
#    snapshots: a template that differs on the floor fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
floor="$(node -p "require('$root/package.json').peerDependencies['aws-cdk-lib'].replace(/^[\\^~>= ]+/, '')")"
constructs="$(node -p "require('$root/node_modules/constructs/package.json').version")"
work="$(mktemp -d "${TMPDIR:-/tmp}/cdk-analytics-blueprints-floor-XXXXXX")"
trap 'rm -rf "$work"' EXIT
t0=$SECONDS
lap() { echo "floor-check: $1 ($((SECONDS - t0)) s)"; }

mkdir "$work/deps"
(cd "$work/deps" && echo '{ "name": "floor-deps", "private": true }' >package.json \
  && npm install --prefer-offline --no-audit --no-fund --loglevel=error "aws-cdk-lib@$floor" "constructs@$constructs" >/dev/null)
lap "installed aws-cdk-lib $floor"

copy="$work/repo"
mkdir "$copy"
(cd "$root" && git ls-files -z -co --exclude-standard | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$copy"
cp -al "$root/node_modules" "$copy/node_modules"
rm -rf "$copy/node_modules/aws-cdk-lib"
mv "$work/deps/node_modules/aws-cdk-lib" "$copy/node_modules/aws-cdk-lib"
nested="$copy/node_modules/aws-cdk-lib/node_modules"
(cd "$work/deps/node_modules" && for entry in *; do
  case "$entry" in aws-cdk-lib|constructs) ;; @*) for scoped in "$entry"/*; do echo "$scoped"; done ;; *) echo "$entry" ;; esac
done) | while read -r name; do
  [ -e "$nested/$name" ] && continue  # aws-cdk-lib bundles it
  mkdir -p "$(dirname "$nested/$name")"
  mv "$work/deps/node_modules/$name" "$nested/$name"
done
got="$(cd "$copy" && node -p "require('aws-cdk-lib/package.json').version")"
[ "$got" = "$floor" ] || { echo "floor-check: the copy resolves aws-cdk-lib $got, not $floor"; exit 1; }
lap "copy of the checkout with aws-cdk-lib $got in $copy"

cd "$copy"
npx jest --ci "$@"
lap "done"
