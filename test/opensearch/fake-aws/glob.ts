/**
 * Index-pattern matching as OpenSearch does it (`Regex.simpleMatch`: `*` matches any run of characters, every
 * other character is literal), and whether two lists of patterns can match a common index name, computed as
 * the intersection of their automata, as the index-management plugin does (`overlapping` in
 * ISMTemplateService.kt: `Operations.intersection(simpleMatchToAutomaton(p1), simpleMatchToAutomaton(p2))`).
 *
 * Written independently of the construct's synth-time check (`lib/opensearch/private/index-patterns.ts`) so
 * that the fake and the construct do not share a mistake: this one explores the product automaton breadth
 * first; the construct's uses a memoized recursion.
 */

/** Whether `name` matches the pattern. */
export function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(s => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

/** States of one pattern's automaton: position i; a `*` at i loops on any character or is skipped. */
function closure(p: string, i: number): number[] {
  const out = [i];
  while (i < p.length && p[i] === '*') out.push(++i);
  return out;
}

function step(p: string, i: number, c: string | null): number[] {
  // c === null stands for "a character that is in neither pattern".
  if (i >= p.length) return [];
  if (p[i] === '*') return closure(p, i);
  return p[i] === c ? closure(p, i + 1) : [];
}

/** Whether some string matches both patterns. */
function patternsIntersect(a: string, b: string): boolean {
  const alphabet: Array<string | null> = [...new Set([...a, ...b].filter(c => c !== '*')), null];
  const seen = new Set<string>();
  const queue: Array<[number, number]> = [];
  for (const i of closure(a, 0)) for (const j of closure(b, 0)) queue.push([i, j]);
  while (queue.length > 0) {
    const [i, j] = queue.shift()!;
    const key = `${i},${j}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === a.length && j === b.length) return true;
    for (const c of alphabet) {
      for (const ni of step(a, i, c)) for (const nj of step(b, j, c)) queue.push([ni, nj]);
    }
  }
  return false;
}

/** Whether any pattern of `p1` and any pattern of `p2` can match the same index name. */
export function overlapping(p1: readonly string[], p2: readonly string[]): boolean {
  return p1.some(a => p2.some(b => patternsIntersect(a, b)));
}
