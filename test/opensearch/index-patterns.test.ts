import { invalidPatternReason, patternsOverlap } from '../../lib/opensearch/private/index-patterns';
import { globMatch, overlapping } from './fake-aws/glob';

/**
 * The construct's synth-time overlap check (memoized recursion) against the fake's (product automaton, breadth
 * first) and against brute force over every short name, on generated patterns: three independent answers to
 * "can one index name match both patterns", which is what ISM rejects at one priority.
 */
describe('index pattern overlap', () => {
  const alphabet = ['a', 'b', '-', '*'];
  function* patterns(maxLength: number): Generator<string> {
    const go = function* (prefix: string): Generator<string> {
      if (prefix.length > 0) yield prefix;
      if (prefix.length === maxLength) return;
      for (const c of alphabet) yield* go(prefix + c);
    };
    yield* go('');
  }
  const names = [...patterns(5)].filter(n => !n.includes('*'));
  const all = [...patterns(3)];

  test('agrees with the fake and with brute force on every pair of patterns up to 3 characters', () => {
    let pairs = 0;
    const disagreements: unknown[] = [];
    const matches = new Map(all.map(p => [p, new Set(names.filter(n => globMatch(p, n)))]));
    for (const a of all) {
      for (const b of all) {
        const brute = [...matches.get(a)!].some(n => matches.get(b)!.has(n));
        const mine = patternsOverlap(a, b);
        const fake = overlapping([a], [b]);
        // Brute force only sees names up to 5 characters; longer witnesses never matter for 3-character patterns.
        if (mine !== brute || fake !== brute) disagreements.push({ a, b, mine, fake, brute });
        pairs++;
      }
    }
    expect(disagreements).toEqual([]);
    expect(pairs).toBe(all.length ** 2);
  });

  test.each<[string, string, boolean]>([
    ['logs-*', 'logs-app-*', true],
    ['logs-*', 'metrics-*', false],
    ['*-prod', 'logs-*', true],
    ['logs-2024', 'logs-2025', false],
    ['a*b*c', '*c', true],
    ['abc', 'a*d', false],
  ])('%s and %s overlap: %s', (a, b, expected) => {
    expect(patternsOverlap(a, b)).toBe(expected);
    expect(patternsOverlap(b, a)).toBe(expected);
  });

  test.each<[string, string | undefined]>([
    ['logs-*', undefined],
    ['app+web-*', undefined],
    ['logs:app', 'must not contain : (ISM rejects # : \\ / ? " < > | , and spaces)'],
    ['_hidden', 'must not start with _'],
    ['a,b', 'must not contain , (ISM rejects # : \\ / ? " < > | , and spaces)'],
    ['', 'must not be empty'],
  ])('pattern %p: %p', (pattern, reason) => {
    expect(invalidPatternReason(pattern)).toBe(reason);
  });
});
