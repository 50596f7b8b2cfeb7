// One matcher for EventBridge event patterns, SNS filter policies and event-source-mapping FilterCriteria: the whole
// documented pattern language, compiled once into closures so that matching an event allocates (almost) nothing.

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

/** Where an SNS filter policy applies (the subscription's FilterPolicyScope). */
export type SnsFilterScope = 'MessageAttributes' | 'MessageBody';

export interface CompileOptions {
  /**
   * SNS only: what the policy is matched against. `MessageAttributes`: the event is the message's attribute map
   * (`{name: {Type, Value}}`), values are matched by their type and the policy must be flat. `MessageBody`: the
   * event is the parsed JSON body. Left out: attribute maps are recognised by their `{Type, Value}` shape.
   */
  readonly snsScope?: SnsFilterScope;
}

/** Compiles a pattern (object, or JSON text); throws PatternError when it is not a valid pattern. */
export function compilePattern(pattern: unknown, dialect: PatternDialect = 'eventbridge', options: CompileOptions = {}): CompiledPattern {
  const compiler = new Compiler(dialect, options.snsScope);
  let parsed = pattern;
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern);
    } catch (e) {
      throw compiler.error(`the pattern is not valid JSON (${(e as Error).message})`, '');
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw compiler.error('Filter is not an object', '');
  }
  const root = compiler.object(parsed as Record<string, unknown>, '', 0);
  compiler.checkLimits(parsed as Record<string, unknown>);
  if (dialect === 'sns') {
    const scope = options.snsScope;
    return {
      matches: (event) => {
        try {
          if (scope === 'MessageBody') return root(event, BODY);
          if (scope === 'MessageAttributes' || looksLikeAttributes(event)) {
            const attrs = decodeAttributes(event);
            return root(attrs, Object.keys(attrs).length === 0 ? NO_ATTRIBUTES : ATTRIBUTES);
          }
          return root(event, BODY);
        } catch {
          return false;
        }
      },
    };
  }
  return {
    matches: (event) => {
      try {
        return root(event, EB);
      } catch {
        return false;
      }
    },
  };
}

/** One-shot form of compilePattern(...).matches(event). */
export function matchesPattern(pattern: unknown, event: unknown, dialect: PatternDialect = 'eventbridge'): boolean {
  return compilePattern(pattern, dialect).matches(event);
}

// ---- Event-source-mapping filters ----

/** A compiled `FilterCriteria` of an event source mapping: a record passes when any filter matches it. */
export interface CompiledFilterCriteria {
  /** Whether a record (as the function would receive it) passes the filters; no filters pass everything. */
  matches(record: unknown): boolean;
}

/** The kinds of source whose records FilterCriteria filter, each with its own view of the record's data. */
export type FilterSourceKind = 'sqs' | 'kinesis' | 'dynamodb';

/**
 * Compiles `FilterCriteria: { Filters: [{ Pattern }] }` for a source: SQS matches `body` as JSON when it is JSON
 * (a pattern on body fields drops non-JSON bodies), Kinesis decodes `data` (base64) and matches it as JSON when it
 * is JSON, DynamoDB records are matched as they are.
 */
export function compileFilterCriteria(criteria: unknown, kind: FilterSourceKind): CompiledFilterCriteria {
  const filters = (criteria as { Filters?: unknown } | undefined)?.Filters;
  if (filters === undefined || filters === null) return { matches: () => true };
  if (!Array.isArray(filters)) throw new PatternError('FilterCriteria.Filters must be a list of { Pattern } objects', 'Filters');
  const compiled = filters.map((f, i) => {
    const p = (f as { Pattern?: unknown } | null)?.Pattern;
    if (p === undefined) throw new PatternError(`FilterCriteria.Filters[${i}] has no Pattern`, `Filters[${i}]`);
    try {
      return compilePattern(p, 'eventbridge');
    } catch (e) {
      if (e instanceof PatternError) throw new PatternError(`FilterCriteria.Filters[${i}].Pattern: ${e.message}`, `Filters[${i}].Pattern${e.path ? '.' + e.path : ''}`);
      throw e;
    }
  });
  if (compiled.length === 0) return { matches: () => true };
  return {
    matches: (record) => {
      const view = filterView(record, kind);
      for (const c of compiled) if (c.matches(view)) return true;
      return false;
    },
  };
}

/** The value FilterCriteria patterns are matched against for one record of a source. */
export function filterView(record: unknown, kind: FilterSourceKind): unknown {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return record;
  const r = record as Record<string, unknown>;
  if (kind === 'sqs' && typeof r.body === 'string') return { ...r, body: parseJsonOr(r.body, r.body) };
  if (kind === 'kinesis') {
    const k = r.kinesis as Record<string, unknown> | undefined;
    if (k && typeof k.data === 'string') {
      const text = Buffer.from(k.data, 'base64').toString('utf8');
      return { ...r, kinesis: { ...k, data: parseJsonOr(text, text) } };
    }
    if (typeof r.data === 'string') {
      const text = Buffer.from(r.data, 'base64').toString('utf8');
      return { ...r, data: parseJsonOr(text, text) };
    }
  }
  return record;
}

function parseJsonOr(text: string, otherwise: unknown): unknown {
  const t = text.trimStart();
  if (t[0] !== '{' && t[0] !== '[') return otherwise; // only objects and arrays count as JSON bodies to match into
  try {
    return JSON.parse(text);
  } catch {
    return otherwise;
  }
}

// ---- SNS attributes ----

const ATTRIBUTE_TYPE = /^(String|Number|Binary)(\.[^]*)?$/;

function isAttributeValue(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    && typeof (v as { Type?: unknown }).Type === 'string' && ATTRIBUTE_TYPE.test((v as { Type: string }).Type);
}

/** An attribute map: every value is `{Type, Value}` (an empty map, or none, is a message without attributes). */
function looksLikeAttributes(event: unknown): boolean {
  if (event === undefined || event === null) return true;
  if (typeof event !== 'object' || Array.isArray(event)) return false;
  for (const k in event as Record<string, unknown>) {
    if (!isAttributeValue((event as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** SNS attributes by type: String as text, Number as a number, String.Array as its elements; Binary is ignored. */
function decodeAttributes(event: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (event === null || typeof event !== 'object') return out;
  for (const [name, attr] of Object.entries(event as Record<string, unknown>)) {
    if (!isAttributeValue(attr)) continue;
    const { Type: type, Value: value, StringValue } = attr as { Type: string; Value?: unknown; StringValue?: unknown };
    const text = value ?? StringValue;
    if (type.startsWith('Binary')) continue;
    if (type.startsWith('Number')) {
      const n = typeof text === 'string' && text.trim() !== '' ? Number(text) : NaN;
      out[name] = Number.isFinite(n) ? n : text;
    } else if (type === 'String.Array') {
      try {
        const arr = typeof text === 'string' ? JSON.parse(text) : text;
        out[name] = Array.isArray(arr) ? arr : text;
      } catch {
        out[name] = text;
      }
    } else {
      out[name] = text;
    }
  }
  return out;
}

// ---- matching ----

/** Matching modes: EventBridge, SNS body, SNS attributes (with/without any attribute). Preallocated: no per-event objects. */
interface Mode { readonly sns: boolean; readonly noAttributes: boolean }
const EB: Mode = { sns: false, noAttributes: false };
const BODY: Mode = { sns: true, noAttributes: false };
const ATTRIBUTES: Mode = { sns: true, noAttributes: false };
const NO_ATTRIBUTES: Mode = { sns: true, noAttributes: true };

/** Matches an object-level sub-pattern against a value (searching arrays element by element). */
type NodeMatcher = (value: unknown, mode: Mode) => boolean;
/** Matches one leaf value (string, number, boolean, null). */
type ValueMatcher = (value: unknown) => boolean;

interface Leaf {
  /** Any present value matches one of these. */
  readonly values: ValueMatcher;
  /** `exists: true` is in the list. */
  readonly existsTrue: boolean;
  /** `exists: false` is in the list. */
  readonly existsFalse: boolean;
}

const OPERATORS = new Set(['prefix', 'suffix', 'anything-but', 'numeric', 'exists', 'cidr', 'equals-ignore-case', 'wildcard']);

class Compiler {
  private readonly prefix: string;
  constructor(private readonly dialect: PatternDialect, private readonly snsScope: SnsFilterScope | undefined) {
    this.prefix = dialect === 'sns' ? 'Invalid parameter: FilterPolicy: ' : 'Event pattern is not valid. Reason: ';
  }

  public error(reason: string, path: string): PatternError {
    return new PatternError(`${this.prefix}${reason}${path ? ` (at ${path})` : ''}`, path);
  }

  /** SNS limits: at most 5 keys, at most 150 value combinations (nesting and $or included). */
  public checkLimits(pattern: Record<string, unknown>): void {
    if (this.dialect !== 'sns') return;
    const keys = countKeys(pattern);
    if (keys > 5) throw this.error(`Filter policy can not have more than 5 keys (it has ${keys})`, '');
    const combos = combinations(pattern);
    if (combos > 150) throw this.error(`Filter policy is too complex: ${combos} combinations of values, at most 150 are allowed`, '');
  }

  /** Compiles an object of keys (and `$or`) into a matcher; `depth` guards against absurd nesting. */
  public object(pattern: Record<string, unknown>, path: string, depth: number): NodeMatcher {
    if (depth > 100) throw this.error('the pattern is nested too deeply', path);
    const entries = Object.keys(pattern);
    if (entries.length === 0) {
      if (depth === 0) return () => true;
      throw this.error('Empty objects are not allowed', path);
    }
    const fields: Array<{ spellings: string[][]; objectChild: boolean; match: (value: unknown, mode: Mode) => boolean }> = [];
    const ors: NodeMatcher[][] = [];
    for (const key of entries) {
      const value = pattern[key];
      const here = path ? `${path}.${key}` : key;
      if (key === '$or' && this.isOrList(value)) {
        ors.push((value as Record<string, unknown>[]).map((alt, i) => this.object(alt, `${here}[${i}]`, depth + 1)));
        continue;
      }
      if (this.dialect === 'sns' && this.snsScope === 'MessageAttributes' && !Array.isArray(value)) {
        throw this.error(`"${key}": a filter policy on message attributes must be flat (each key's value is a list)`, here);
      }
      const segments = key.split('.');
      if (segments.some((s) => s === '')) throw this.error(`"${key}" is not a valid key: empty part between dots`, here);
      if (Array.isArray(value)) {
        const leaf = this.leaf(value, here);
        fields.push({ spellings: spellingsOf(segments), objectChild: false, match: (v, mode) => matchLeaf(leaf, v, mode) });
      } else if (value !== null && typeof value === 'object') {
        const child = this.object(value as Record<string, unknown>, here, depth + 1);
        fields.push({ spellings: spellingsOf(segments), objectChild: true, match: child });
      } else {
        throw this.error(`"${key}" must be an object or an array`, here);
      }
    }
    const n = fields.length;
    const matchHere = (obj: unknown, mode: Mode): boolean => {
      const o = (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) ? obj as Record<string, unknown> : undefined;
      for (let i = 0; i < n; i++) {
        const f = fields[i];
        if (!matchPath(o, f.spellings, 0, f.match, mode, f.objectChild)) return false;
      }
      for (let i = 0; i < ors.length; i++) {
        const alternatives = ors[i];
        let any = false;
        for (let j = 0; j < alternatives.length; j++) if (alternatives[j](obj, mode)) { any = true; break; }
        if (!any) return false;
      }
      return true;
    };
    // An array of objects is searched element by element; matches stay within one element.
    return (value, mode) => {
      if (!Array.isArray(value)) return matchHere(value, mode);
      let objects = false;
      for (const el of value) {
        if (el === null || typeof el !== 'object' || Array.isArray(el)) continue;
        objects = true;
        if (matchHere(el, mode)) return true;
      }
      return objects ? false : matchHere(undefined, mode);
    };
  }

  /** `$or` is the operator only when it holds a list of at least two plain (non-operator) objects; else a plain key. */
  private isOrList(value: unknown): boolean {
    if (!Array.isArray(value)) return false;
    if (value.length === 0) return false;
    const objects = value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v)
      && Object.keys(v).length > 0 && !Object.keys(v).some((k) => OPERATORS.has(k)));
    if (!objects) return false;
    if (value.length < 2) throw this.error('Or relationship must have at least 2 items', '$or');
    return true;
  }

  /** Compiles a leaf list: exact values and operator objects, any of which may match. */
  public leaf(list: unknown[], path: string): Leaf {
    if (list.length === 0) throw this.error('Empty arrays are not allowed', path);
    const strings = new Set<string>();
    const numbers = new Set<number>();
    let nullOk = false;
    let trueOk = false;
    let falseOk = false;
    let existsTrue = false;
    let existsFalse = false;
    const ops: ValueMatcher[] = [];
    for (const item of list) {
      if (typeof item === 'string') {
        strings.add(item);
      } else if (typeof item === 'number') {
        numbers.add(this.number(item, path));
      } else if (item === null) {
        nullOk = true;
      } else if (item === true) {
        trueOk = true;
      } else if (item === false) {
        falseOk = true;
      } else if (Array.isArray(item)) {
        throw this.error('Match value must be String, number, true, false, or null', path);
      } else if (typeof item === 'object') {
        const keys = Object.keys(item);
        if (keys.length !== 1) {
          throw this.error(keys.length === 0 ? 'Empty objects are not allowed' : `Only one match type is allowed in an object, found ${keys.join(', ')}`, path);
        }
        const [op] = keys;
        const arg = (item as Record<string, unknown>)[op];
        if (op === 'exists') {
          if (arg === true) existsTrue = true;
          else if (arg === false) existsFalse = true;
          else throw this.error('exists match pattern must be either true or false.', path);
        } else {
          ops.push(this.operator(op, arg, path));
        }
      } else {
        throw this.error('Match value must be String, number, true, false, or null', path);
      }
    }
    const sns = this.dialect === 'sns';
    const hasStrings = strings.size > 0;
    const hasNumbers = numbers.size > 0;
    const nOps = ops.length;
    const values: ValueMatcher = (v) => {
      switch (typeof v) {
        case 'string':
          if (hasStrings && strings.has(v)) return true;
          break;
        case 'number':
          if (hasNumbers && numbers.has(sns ? roundSns(v) : v)) return true;
          break;
        case 'boolean':
          if (v ? trueOk : falseOk) return true;
          break;
        default:
          if (v === null && nullOk) return true;
      }
      for (let i = 0; i < nOps; i++) if (ops[i](v)) return true;
      return false;
    };
    return { values, existsTrue, existsFalse };
  }

  private number(n: number, path: string): number {
    if (!Number.isFinite(n)) throw this.error('Value must be a finite number', path);
    if (this.dialect === 'sns') {
      if (n < -1e9 || n > 1e9) throw this.error(`Value of numeric match must be between -1.0E9 and 1.0E9 (${n})`, path);
      return roundSns(n);
    }
    return n;
  }

  private text(op: string, arg: unknown, path: string): string {
    if (typeof arg !== 'string') throw this.error(`${op} match pattern must be a string`, path);
    return arg;
  }

  private operator(op: string, arg: unknown, path: string): ValueMatcher {
    switch (op) {
      case 'prefix':
      case 'suffix': {
        const suffix = op === 'suffix';
        if (arg !== null && typeof arg === 'object' && !Array.isArray(arg)) {
          const inner = Object.keys(arg);
          if (inner.length !== 1 || inner[0] !== 'equals-ignore-case') throw this.error(`Unsupported ${op} pattern: only equals-ignore-case may be nested in ${op}`, path);
          const s = this.text(`${op} equals-ignore-case`, (arg as Record<string, unknown>)[inner[0]], path).toLowerCase();
          return suffix
            ? (v) => typeof v === 'string' && v.toLowerCase().endsWith(s)
            : (v) => typeof v === 'string' && v.toLowerCase().startsWith(s);
        }
        const s = this.text(op, arg, path);
        return suffix ? (v) => typeof v === 'string' && v.endsWith(s) : (v) => typeof v === 'string' && v.startsWith(s);
      }
      case 'equals-ignore-case': {
        const s = this.text(op, arg, path).toLowerCase();
        return (v) => typeof v === 'string' && v.length === s.length && v.toLowerCase() === s;
      }
      case 'wildcard': {
        if (this.dialect === 'sns') throw this.error('Unrecognized match type wildcard', path);
        const glob = this.wildcard(this.text(op, arg, path), path);
        return (v) => typeof v === 'string' && glob(v);
      }
      case 'numeric':
        return this.numeric(arg, path);
      case 'cidr': {
        const inRange = this.cidr(arg, path);
        return (v) => typeof v === 'string' && inRange(v);
      }
      case 'anything-but':
        return this.anythingBut(arg, path);
      default:
        throw this.error(`Unrecognized match type ${op}`, path);
    }
  }

  private anythingBut(arg: unknown, path: string): ValueMatcher {
    if (typeof arg === 'string') return (v) => v !== arg;
    if (typeof arg === 'number') {
      const n = this.number(arg, path);
      const sns = this.dialect === 'sns';
      return (v) => typeof v !== 'number' || (sns ? roundSns(v) : v) !== n;
    }
    if (Array.isArray(arg)) {
      if (arg.length === 0) throw this.error('Empty arrays are not allowed', path);
      const strings = new Set<string>();
      const numbers = new Set<number>();
      for (const x of arg) {
        if (typeof x === 'string') strings.add(x);
        else if (typeof x === 'number') numbers.add(this.number(x, path));
        else throw this.error('Inside anything but list, start|null|boolean is not supported.', path);
      }
      const sns = this.dialect === 'sns';
      return (v) => typeof v === 'string' ? !strings.has(v) : typeof v === 'number' ? !numbers.has(sns ? roundSns(v) : v) : true;
    }
    if (arg !== null && typeof arg === 'object') {
      const keys = Object.keys(arg);
      if (keys.length !== 1) throw this.error('Inside anything-but, only one of prefix, suffix, equals-ignore-case or wildcard is allowed', path);
      const [op] = keys;
      const inner = (arg as Record<string, unknown>)[op];
      if (!['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(op)) {
        throw this.error(`Unsupported anything-but pattern: ${op}`, path);
      }
      if (this.dialect === 'sns' && op !== 'prefix') throw this.error(`Unsupported anything-but pattern: ${op}`, path);
      const items = Array.isArray(inner) ? inner : [inner];
      if (items.length === 0) throw this.error('Empty arrays are not allowed', path);
      const texts = items.map((x) => {
        if (typeof x !== 'string') throw this.error(`Inside anything but ${op}, only strings are allowed`, path);
        if ((op === 'prefix' || op === 'suffix') && x === '') throw this.error(`Null ${op} not allowed`, path);
        return x;
      });
      let any: (s: string) => boolean;
      if (op === 'prefix') {
        any = (s) => texts.some((t) => s.startsWith(t));
      } else if (op === 'suffix') {
        any = (s) => texts.some((t) => s.endsWith(t));
      } else if (op === 'equals-ignore-case') {
        const lower = new Set(texts.map((t) => t.toLowerCase()));
        any = (s) => lower.has(s.toLowerCase());
      } else {
        const globs = texts.map((t) => this.wildcard(t, path));
        any = (s) => globs.some((g) => g(s));
      }
      return (v) => typeof v !== 'string' || !any(v);
    }
    throw this.error('Inside anything but list, start|null|boolean is not supported.', path);
  }

  private numeric(arg: unknown, path: string): ValueMatcher {
    if (!Array.isArray(arg)) throw this.error('Value of numeric must be an array.', path);
    if (arg.length === 0) throw this.error('Empty arrays are not allowed', path);
    let lo = -Infinity;
    let loOpen = true;
    let hi = Infinity;
    let hiOpen = true;
    let eq: number | undefined;
    let seenLower = false;
    let seenUpper = false;
    for (let i = 0; i < arg.length; i += 2) {
      const op = arg[i];
      const value = arg[i + 1];
      if (typeof op !== 'string' || !['=', '<', '<=', '>', '>='].includes(op)) throw this.error(`Unrecognized numeric range operator: ${JSON.stringify(op)}`, path);
      if (typeof value !== 'number') throw this.error(`Value of ${op} must be numeric`, path);
      const n = this.number(value, path);
      if (op === '=') {
        if (arg.length !== 2) throw this.error('Bad numeric range operator: = cannot be combined with other operators', path);
        eq = n;
      } else if (op === '>' || op === '>=') {
        if (seenLower || seenUpper) throw this.error('Bad numeric range operator', path);
        seenLower = true;
        lo = n;
        loOpen = op === '>';
      } else {
        if (seenUpper) throw this.error('Bad numeric range operator', path);
        seenUpper = true;
        hi = n;
        hiOpen = op === '<';
      }
    }
    if (arg.length > 4) throw this.error('Too many elements in numeric expression', path);
    if (seenLower && seenUpper && !(lo < hi)) throw this.error(`Bad numeric range: the lower bound ${lo} must be below the upper bound ${hi}`, path);
    const sns = this.dialect === 'sns';
    if (eq !== undefined) {
      const target = eq;
      return (v) => typeof v === 'number' && (sns ? roundSns(v) : v) === target;
    }
    return (v) => {
      if (typeof v !== 'number') return false;
      const x = sns ? roundSns(v) : v;
      return (loOpen ? x > lo : x >= lo) && (hiOpen ? x < hi : x <= hi);
    };
  }

  private cidr(arg: unknown, path: string): (ip: string) => boolean {
    if (typeof arg !== 'string') throw this.error('cidr match pattern must be a string', path);
    const slash = arg.indexOf('/');
    if (slash < 0 || arg.indexOf('/', slash + 1) >= 0) throw this.error(`Malformed CIDR, one '/' required: ${arg}`, path);
    const address = arg.slice(0, slash);
    const bitsText = arg.slice(slash + 1);
    const v4 = parseIpv4(address);
    const v6 = v4 ? undefined : parseIpv6(address);
    if (!v4 && !v6) throw this.error(`Malformed CIDR, invalid IP address: ${arg}`, path);
    const max = v4 ? 32 : 128;
    const bits = /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
    if (!(bits >= 0 && bits <= max)) throw this.error(`Malformed CIDR, mask bits must be between 0 and ${max}: ${arg}`, path);
    if (v4) {
      // IPv4: one compare of the network parts, parsing the event's address without allocating.
      const size = 2 ** (32 - bits);
      const network = Math.floor(ipv4Number(address) / size);
      return (ip) => {
        const n = ipv4Number(ip);
        return n >= 0 && Math.floor(n / size) === network;
      };
    }
    const masked = maskWords(v6!, bits);
    return (ip) => {
      const parsed = ip.includes(':') ? parseIpv6(ip) : undefined;
      if (!parsed) return false;
      const words = maskWords(parsed, bits);
      for (let i = 0; i < 8; i++) if (words[i] !== masked[i]) return false;
      return true;
    };
  }

  /** Compiles a wildcard pattern: `*` matches any run of characters (including `/`), `\*` and `\\` are literal. */
  private wildcard(text: string, path: string): (s: string) => boolean {
    const parts: string[] = [];
    let current = '';
    let stars = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\\') {
        const next = text[i + 1];
        if (next !== '*' && next !== '\\') throw this.error(`Invalid escape character at pos ${i}`, path);
        current += next;
        i++;
      } else if (c === '*') {
        if (text[i + 1] === '*') throw this.error(`Consecutive wildcard characters at pos ${i + 1}`, path);
        parts.push(current);
        current = '';
        stars++;
      } else {
        current += c;
      }
    }
    parts.push(current);
    if (stars > 100) throw this.error('Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character', path);
    if (stars === 0) return (s) => s === current;
    const first = parts[0];
    const last = parts[parts.length - 1];
    const middle = parts.slice(1, -1);
    const minLength = parts.reduce((a, p) => a + p.length, 0);
    return (s) => {
      if (s.length < minLength || !s.startsWith(first) || !s.endsWith(last)) return false;
      // Greedy left-to-right search for the middle parts is exact for `*`-only globs.
      let at = first.length;
      const end = s.length - last.length;
      for (const part of middle) {
        const found = s.indexOf(part, at);
        if (found < 0 || found + part.length > end) return false;
        at = found + part.length;
      }
      return at <= end;
    };
  }
}

/**
 * Follows a key path from `obj` and applies `match` to what it finds. Each step tries every spelling of the rest of
 * the path (`a`, then `a.b`, ...: a dotted key is the same as nesting, in the pattern and in the event); arrays of
 * objects on the way are searched element by element. Nothing under any spelling: the key is missing.
 */
function matchPath(obj: Record<string, unknown> | undefined, spellings: string[][], from: number,
  match: (value: unknown, mode: Mode) => boolean, mode: Mode, objectChild = false): boolean {
  if (obj === undefined) return match(undefined, mode);
  const n = spellings.length;
  const keys = spellings[from];
  let found = false;
  for (let j = 0; j < keys.length; j++) {
    const value = obj[keys[j]];
    // Own keys only: `constructor`, `__proto__` and the like are not in the event.
    if (value === undefined || !hasOwn.call(obj, keys[j])) continue;
    found = true;
    const to = from + j + 1;
    if (to === n ? match(value, mode) : nested(value, spellings, to, match, mode, objectChild)) return true;
  }
  if (found) return false;
  // A nested pattern object may meet dotted event keys (`{"a": {"b": [..]}}` against `{"a.b": ..}`): only
  // looked for when the key is missing, so the common case pays nothing.
  if (objectChild) {
    const view = dottedView(obj, keys[keys.length - 1] + '.');
    if (view !== undefined) return match(view, mode);
  }
  return match(undefined, mode);
}

const hasOwn = Object.prototype.hasOwnProperty;

function dottedView(obj: Record<string, unknown>, prefix: string): Record<string, unknown> | undefined {
  let view: Record<string, unknown> | undefined;
  for (const k in obj) {
    if (k.length > prefix.length && k.startsWith(prefix)) (view ??= {})[k.slice(prefix.length)] = obj[k];
  }
  return view;
}

function nested(value: unknown, spellings: string[][], from: number, match: (value: unknown, mode: Mode) => boolean, mode: Mode,
  objectChild: boolean): boolean {
  if (Array.isArray(value)) {
    let objects = false;
    for (const el of value) {
      if (el === null || typeof el !== 'object' || Array.isArray(el)) continue;
      objects = true;
      if (matchPath(el as Record<string, unknown>, spellings, from, match, mode, objectChild)) return true;
    }
    return objects ? false : match(undefined, mode);
  }
  if (value !== null && typeof value === 'object') return matchPath(value as Record<string, unknown>, spellings, from, match, mode, objectChild);
  return match(undefined, mode);
}

/** The spellings of a key path from each step: [[a, a.b, a.b.c], [b, b.c], [c]]. */
function spellingsOf(segments: string[]): string[][] {
  return segments.map((_, from) => segments.slice(from).map((__, j) => segments.slice(from, from + j + 1).join('.')));
}

/** A leaf against what the event holds there: a value, an array of values (any may match), or nothing. */
function matchLeaf(leaf: Leaf, value: unknown, mode: Mode): boolean {
  if (Array.isArray(value)) {
    let present = false;
    for (const el of value) {
      if (el !== null && typeof el === 'object') continue; // objects (and nested arrays) are not leaf values
      present = true;
      if (leaf.values(el)) return true;
    }
    if (present) return leaf.existsTrue;
    return absent(leaf, mode);
  }
  if (value === undefined || (value !== null && typeof value === 'object')) return absent(leaf, mode);
  if (leaf.existsTrue && !(mode.sns && value === '')) return true;
  return leaf.values(value);
}

function absent(leaf: Leaf, mode: Mode): boolean {
  return leaf.existsFalse && !mode.noAttributes;
}

/** SNS compares numbers to five decimal places. */
function roundSns(n: number): number {
  return Math.round(n * 1e5) / 1e5;
}

function countKeys(pattern: Record<string, unknown>): number {
  let n = 0;
  for (const [k, v] of Object.entries(pattern)) {
    if (k === '$or' && Array.isArray(v)) n += Math.max(0, ...v.map((alt) => (alt && typeof alt === 'object' ? countKeys(alt as Record<string, unknown>) : 0)));
    else n++;
  }
  return n;
}

function combinations(pattern: Record<string, unknown>): number {
  let product = 1;
  for (const [k, v] of Object.entries(pattern)) {
    if (k === '$or' && Array.isArray(v) && v.every((x) => x && typeof x === 'object' && !Array.isArray(x))) {
      product *= v.reduce((a: number, alt) => a + combinations(alt as Record<string, unknown>), 0);
    } else if (Array.isArray(v)) {
      product *= Math.max(1, v.length);
    } else if (v && typeof v === 'object') {
      product *= combinations(v as Record<string, unknown>);
    }
  }
  return product;
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/** A dotted-quad IPv4 address as an unsigned 32-bit number, or -1 when it is not one. */
function ipv4Number(text: string): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
    } else {
      return -1;
    }
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + part;
}

function parseIpv6(text: string): number[] | undefined {
  if (text.length < 2 || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const double = text.indexOf('::');
  if (double >= 0 && text.indexOf('::', double + 1) >= 0) return undefined;
  const groupsOf = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (!v4) return undefined;
        out.push(v4[0] * 256 + v4[1], v4[2] * 256 + v4[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  if (double < 0) {
    const g = groupsOf(text);
    return g && g.length === 8 ? g : undefined;
  }
  const head = groupsOf(text.slice(0, double));
  const tail = groupsOf(text.slice(double + 2));
  if (!head || !tail || head.length + tail.length > 7) return undefined;
  return [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail];
}

/** The network part of each 16-bit word of an IPv6 address under a mask of `bits`. */
function maskWords(words: number[], bits: number): number[] {
  return words.map((word, i) => {
    const keep = Math.max(0, Math.min(16, bits - i * 16));
    const size = 2 ** (16 - keep);
    return Math.floor(word / size);
  });
}
