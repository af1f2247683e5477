/**
 * The rules the Index State Management plugin applies to the index patterns of an `ism_template`, so that the
 * construct reports at synth what the plugin would reject at deploy.
 * @see https://github.com/opensearch-project/index-management (ISMTemplateService.kt: `validateFormat`,
 *   `overlapping`, `findConflictingPolicyTemplates`; TransportIndexPolicyAction.kt)
 */

/**
 * `validateFormat`: a pattern must not contain `#` or `:`, must not start with `_`, and must not contain
 * OpenSearch's invalid file-name characters other than `*` (`\ / ? " < > | , ` and space).
 */
export const INVALID_PATTERN_CHARACTERS = ['#', ':', '\\', '/', '?', '"', '<', '>', '|', ',', ' '];

/** What is wrong with `pattern` for ISM, or undefined when nothing is. */
export function invalidPatternReason(pattern: string): string | undefined {
  if (pattern.length === 0) return 'must not be empty';
  if (pattern.startsWith('_')) return 'must not start with _';
  const bad = INVALID_PATTERN_CHARACTERS.filter(c => pattern.includes(c));
  if (bad.length > 0) return `must not contain ${bad.map(c => (c === ' ' ? 'a space' : c)).join(' ')} (ISM rejects # : \\ / ? " < > | , and spaces)`;
  return undefined;
}

/**
 * Whether some index name matches both patterns, where `*` matches any run of characters (OpenSearch's
 * `Regex.simpleMatch`). ISM rejects a policy whose template patterns intersect another policy's at the same
 * priority (`Operations.intersection` of the two automata is not empty).
 */
export function patternsOverlap(a: string, b: string): boolean {
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === a.length && j === b.length) result = true;
    else if (i < a.length && a[i] === '*') result = go(i + 1, j) || (j < b.length && go(i, j + 1));
    else if (j < b.length && b[j] === '*') result = go(i, j + 1) || (i < a.length && go(i + 1, j));
    else result = i < a.length && j < b.length && a[i] === b[j] && go(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

/** The first pair of overlapping patterns of two lists, if any. */
export function firstOverlap(p1: readonly string[], p2: readonly string[]): [string, string] | undefined {
  for (const a of p1) for (const b of p2) if (patternsOverlap(a, b)) return [a, b];
  return undefined;
}
