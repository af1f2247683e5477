/**
 * Release-label arithmetic for synth-time checks. Not exported from the package.
 */

/** `[major, minor, patch]` of a label `emr-x.y.z`, or undefined when it is not in that form. */
export function parseRelease(label: string): [number, number, number] | undefined {
  const m = /^emr-(\d+)\.(\d+)\.(\d+)$/.exec(label);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function compare(a: [number, number, number], b: [number, number, number]): number {
  for (let i = 0; i < 3; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return 0;
}

/**
 * Whether `label` is at least the minimum given for its major version. `minimums` maps a major version
 * to the first release of that line with the feature (`{ 5: '5.30.0', 6: '6.1.0' }`); majors above the
 * highest key have it, majors below the lowest key do not. Labels that cannot be parsed count as
 * supported (the format check reports them).
 */
export function releaseAtLeast(label: string, minimums: Record<number, string>): boolean {
  const r = parseRelease(label);
  if (!r) return true;
  const majors = Object.keys(minimums).map(Number).sort((a, b) => a - b);
  if (r[0] > majors[majors.length - 1]) return true;
  const min = minimums[r[0]];
  if (min === undefined) return false;
  return compare(r, parseRelease(`emr-${min}`)!) >= 0;
}
