// Properties of the pattern matcher: matching never throws, compiling throws only PatternError, and a pattern always
// matches an event built to satisfy it (pattern and event generated together, operator by operator).
import fc from 'fast-check';
import { compilePattern, PatternDialect, PatternError } from '../../src/engine/triggers/pattern';

/** A leaf pattern list with a value that satisfies it (`absent`: the key must be left out of the event). */
interface LeafCase { readonly pattern: unknown[]; readonly value?: unknown; readonly absent?: boolean }

const text = fc.string({ unit: fc.constantFrom(...'abcXYZ-_/.:019 '.split('')), maxLength: 8 });
const plain = fc.string({ unit: fc.constantFrom(...'abcdXYZ/._-'.split('')), maxLength: 6 });
const key = fc.string({ unit: fc.constantFrom(...'abcdefgh'.split('')), minLength: 1, maxLength: 5 });
const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 });

const leafCase: fc.Arbitrary<LeafCase> = fc.oneof(
  text.map((s) => ({ pattern: [s], value: s })),
  fc.tuple(fc.array(text, { maxLength: 3 }), text).map(([others, s]) => ({ pattern: [...others, s], value: s })),
  finite.map((n) => ({ pattern: [n], value: n })),
  fc.boolean().map((b) => ({ pattern: [b], value: b })),
  fc.constant({ pattern: [null], value: null }),
  fc.tuple(text, text).map(([p, rest]) => ({ pattern: [{ prefix: p }], value: p + rest })),
  fc.tuple(text, text).map(([s, rest]) => ({ pattern: [{ suffix: s }], value: rest + s })),
  fc.tuple(text, text).map(([p, rest]) => ({ pattern: [{ prefix: { 'equals-ignore-case': p.toUpperCase() } }], value: p.toLowerCase() + rest })),
  text.map((s) => ({ pattern: [{ 'equals-ignore-case': s.toUpperCase() }], value: s.toLowerCase() })),
  fc.tuple(fc.uniqueArray(text, { minLength: 1, maxLength: 4 }), text)
    .filter(([listed, s]) => !listed.includes(s))
    .map(([listed, s]) => ({ pattern: [{ 'anything-but': listed }], value: s })),
  fc.tuple(fc.uniqueArray(finite, { minLength: 1, maxLength: 3 }), finite)
    .filter(([listed, n]) => !listed.includes(n))
    .map(([listed, n]) => ({ pattern: [{ 'anything-but': listed }], value: n })),
  fc.tuple(text.filter((p) => p !== ''), text).filter(([p, s]) => !s.startsWith(p))
    .map(([p, s]) => ({ pattern: [{ 'anything-but': { prefix: p } }], value: s })),
  fc.tuple(finite, finite, finite).map(([a, b, c]) => [a, b, c].sort((x, y) => x - y))
    .filter(([lo, x, hi]) => lo < x && x < hi)
    .map(([lo, x, hi]) => ({ pattern: [{ numeric: ['>', lo, '<', hi] }], value: x })),
  finite.map((n) => ({ pattern: [{ numeric: ['>=', n] }], value: n })),
  finite.map((n) => ({ pattern: [{ numeric: ['=', n] }], value: n })),
  fc.oneof(text, finite, fc.boolean(), fc.constant(null)).map((v) => ({ pattern: [{ exists: true }], value: v })),
  fc.constant({ pattern: [{ exists: false }], absent: true }),
  fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, bits]) => ({ pattern: [{ cidr: `${ip}/${bits}` }], value: ip })),
  fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([ip, bits]) => ({ pattern: [{ cidr: `${ip}/${bits}` }], value: ip })),
  fc.tuple(fc.array(plain, { minLength: 1, maxLength: 4 }), fc.array(plain, { minLength: 4, maxLength: 4 }))
    .filter(([parts]) => parts.slice(1, -1).every((p) => p !== ''))
    .map(([parts, fills]) => ({
      pattern: [{ wildcard: parts.join('*') }],
      value: parts.map((p, i) => (i === 0 ? p : fills[i - 1] + p)).join(''),
    })),
);

interface ObjectCase { readonly pattern: Record<string, unknown>; readonly event: Record<string, unknown> }

const objectCase: fc.Arbitrary<ObjectCase> = fc.letrec<{ node: ObjectCase }>((tie) => ({
  node: fc.tuple(
    fc.uniqueArray(key, { minLength: 1, maxLength: 4 }),
    fc.array(fc.oneof({ weight: 4, arbitrary: leafCase.map((l) => ({ leaf: l })) }, { weight: 1, arbitrary: tie('node').map((n) => ({ node: n })) }), { minLength: 4, maxLength: 4 }),
    fc.boolean(),
  ).map(([keys, parts, wrapInArray]) => {
    const pattern: Record<string, unknown> = {};
    const event: Record<string, unknown> = {};
    keys.forEach((k, i) => {
      const part = parts[i];
      if ('leaf' in part) {
        pattern[k] = part.leaf.pattern;
        if (!part.leaf.absent) event[k] = wrapInArray ? ['unrelated-value', part.leaf.value] : part.leaf.value;
      } else {
        pattern[k] = part.node.pattern;
        event[k] = wrapInArray ? [{ unrelated: 'object' }, part.node.event] : part.node.event;
      }
    });
    return { pattern, event };
  }),
}), { depthSize: 'small' }).node;

/** `$or` of a satisfied case and an arbitrary other branch. */
const orCase: fc.Arbitrary<ObjectCase> = fc.tuple(objectCase, objectCase, fc.boolean()).map(([hit, other, first]) => ({
  pattern: { $or: first ? [hit.pattern, other.pattern] : [other.pattern, hit.pattern] },
  event: hit.event,
}));

describe('pattern matcher properties', () => {
  it('matches an event built to satisfy the pattern', () => {
    fc.assert(fc.property(fc.oneof(objectCase, orCase), ({ pattern, event }) => {
      expect(compilePattern(pattern).matches(event)).toBe(true);
      // And through JSON text, as templates hold it.
      expect(compilePattern(JSON.stringify(pattern)).matches(JSON.parse(JSON.stringify(event)))).toBe(true);
    }), { numRuns: 500 });
  });

  it('never throws while matching, and throws only PatternError while compiling', () => {
    const dialect = fc.constantFrom<PatternDialect>('eventbridge', 'sns');
    fc.assert(fc.property(fc.jsonValue(), fc.jsonValue(), dialect, (pattern, event, d) => {
      let compiled;
      try {
        compiled = compilePattern(pattern, d);
      } catch (e) {
        expect(e).toBeInstanceOf(PatternError);
        return;
      }
      expect(typeof compiled.matches(event)).toBe('boolean');
    }), { numRuns: 1000 });
  });

  it('never throws on generated patterns against arbitrary events', () => {
    fc.assert(fc.property(objectCase, fc.jsonValue(), ({ pattern }, event) => {
      expect(typeof compilePattern(pattern).matches(event)).toBe('boolean');
      // SNS is stricter (5 keys, 150 combinations, ±1e9, 5 decimals): it may reject, but only with PatternError.
      let sns;
      try {
        sns = compilePattern(pattern, 'sns');
      } catch (e) {
        expect(e).toBeInstanceOf(PatternError);
        return;
      }
      expect(typeof sns.matches(event)).toBe('boolean');
    }), { numRuns: 500 });
  });

  it('rejects mutated operators with PatternError only', () => {
    const operator = fc.constantFrom('prefix', 'suffix', 'anything-but', 'numeric', 'exists', 'cidr', 'equals-ignore-case', 'wildcard', 'PREFIX', '');
    fc.assert(fc.property(operator, fc.jsonValue(), (op, arg) => {
      try {
        compilePattern({ a: [{ [op]: arg }] });
      } catch (e) {
        expect(e).toBeInstanceOf(PatternError);
      }
    }), { numRuns: 1000 });
  });
});
