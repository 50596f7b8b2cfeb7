// One matcher for EventBridge event patterns, SNS filter policies and event-source-mapping FilterCriteria: the whole
// documented pattern language. Owned by the pattern work (issue 14). PLACEHOLDER: exact values and nesting only,
// until the full matcher lands; the signatures below are the contract the trigger sources code against.

/** An invalid pattern, said the way the service says it (where it is: `path`). */
export class PatternError extends Error {
  constructor(message: string, public readonly path: string = '') {
    super(message);
    this.name = 'PatternError';
  }
}

/** The dialect: EventBridge (rules, FilterCriteria) or SNS (filter policies, whose attribute values are typed). */
export type PatternDialect = 'eventbridge' | 'sns';

export interface CompiledPattern {
  /** Whether the event (a JSON value) matches. Never throws. */
  matches(event: unknown): boolean;
}

/** Compiles a pattern (object, or JSON text); throws PatternError when it is not a valid pattern. */
export function compilePattern(pattern: unknown, _dialect: PatternDialect = 'eventbridge'): CompiledPattern {
  const p = typeof pattern === 'string' ? JSON.parse(pattern) : pattern;
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw new PatternError('Event pattern is not a JSON object');
  const match = (pat: any, ev: any): boolean => Object.entries(pat).every(([k, v]) => {
    const value = ev?.[k];
    if (Array.isArray(v)) return (Array.isArray(value) ? value : [value]).some((x) => v.includes(x));
    if (v && typeof v === 'object') return value !== undefined && match(v, value);
    return false;
  });
  return { matches: (event) => { try { return match(p, event); } catch { return false; } } };
}

/** One-shot form of compilePattern(...).matches(event). */
export function matchesPattern(pattern: unknown, event: unknown, dialect: PatternDialect = 'eventbridge'): boolean {
  return compilePattern(pattern, dialect).matches(event);
}
