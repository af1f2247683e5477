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

/**
 * The releases this library knows, from the release guide's lists of 7.x, 6.x and 5.x releases (5.x from
 * 5.30.0, the first the construct accepts). A label outside the list is warned about, not rejected: EMR
 * publishes releases faster than libraries.
 * @see https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-release-7x.html
 * @see https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-release-6x.html
 * @see https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-release-5x.html
 */
const KNOWN_RELEASES = new Set<string>([
  ...Array.from({ length: 14 }, (_, i) => `7.${i}.0`),
  '6.0.0', '6.0.1', '6.1.0', '6.1.1', '6.2.0', '6.2.1', '6.3.0', '6.3.1', '6.4.0', '6.5.0', '6.6.0', '6.7.0', '6.8.0', '6.8.1',
  '6.9.0', '6.9.1', '6.10.0', '6.10.1', '6.11.0', '6.11.1', '6.12.0', '6.13.0', '6.14.0', '6.15.0',
  '5.30.0', '5.30.1', '5.30.2', '5.31.0', '5.31.1', '5.32.0', '5.32.1', '5.33.0', '5.33.1', '5.34.0', '5.35.0', '5.36.0', '5.36.1', '5.36.2',
].map(r => `emr-${r}`));

/** The newest release in `KNOWN_RELEASES`. */
export const NEWEST_KNOWN_RELEASE = 'emr-7.13.0';

/** Whether `label` is a release this library knows (labels before emr-5.30.0 count as known: other rules reject them). */
export function isKnownRelease(label: string): boolean {
  return KNOWN_RELEASES.has(label) || !releaseAtLeast(label, { 5: '5.30.0' });
}

/**
 * The application names EMR on EC2 accepts in `Applications` (case-sensitive), from the release guide's
 * application version tables of 5.x, 6.x and 7.x.
 * @see https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-release-app-versions-7.x.html
 */
export const KNOWN_APPLICATIONS: string[] = [
  'Flink', 'Ganglia', 'Hadoop', 'HBase', 'HCatalog', 'Hive', 'Hudi', 'Hue', 'Iceberg', 'Delta', 'JupyterEnterpriseGateway', 'JupyterHub',
  'Livy', 'MXNet', 'Mahout', 'Oozie', 'Phoenix', 'Pig', 'Presto', 'Spark', 'Sqoop', 'TensorFlow', 'Tez', 'Trino', 'Zeppelin', 'ZooKeeper',
];
