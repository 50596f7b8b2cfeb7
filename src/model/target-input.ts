// What an EventBridge target sends its function: the whole event, `Input` (constant JSON), `InputPath` (a JSONPath
// into the event) or `InputTransformer` (InputPathsMap + InputTemplate with `<name>` placeholders, rendered as
// EventBridge renders them); and the context attributes Scheduler substitutes into a schedule's `Input`.

export interface TargetInput {
  readonly Input?: string;
  readonly InputPath?: string;
  readonly InputTransformer?: { readonly InputPathsMap?: Record<string, string>; readonly InputTemplate: string };
}

/** What the reserved `<aws.events.*>` placeholders stand for. */
export interface TargetInputContext {
  readonly ruleArn?: string;
  readonly ruleName?: string;
  /** ISO time the event was received; defaults to the event's `time`. */
  readonly ingestionTime?: string;
}

/** A target input configuration EventBridge would refuse (said with the field at fault and how to fix it). */
export class TargetInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetInputError';
  }
}

/** The payload (JSON text, or the template's text) a target with this input configuration sends for `event`. */
export function renderTargetInput(target: TargetInput, event: unknown, context: TargetInputContext = {}): string {
  return compileTargetInput(target)(event, context);
}

/** Checks a target's input configuration without an event; throws TargetInputError when EventBridge would refuse it. */
export function checkTargetInput(target: TargetInput): void {
  compileTargetInput(target);
}

type Renderer = (event: unknown, context: TargetInputContext) => string;

const compiledTargets = new WeakMap<TargetInput, Renderer>();

/** Compiles (once per target object) the paths and template of a target's input configuration. */
export function compileTargetInput(target: TargetInput): Renderer {
  const cached = compiledTargets.get(target);
  if (cached) return cached;
  const set = (['Input', 'InputPath', 'InputTransformer'] as const).filter((k) => target[k] !== undefined && target[k] !== null);
  if (set.length > 1) {
    throw new TargetInputError(`A target takes only one of Input, InputPath and InputTransformer, this one has ${set.join(' and ')}: keep one`);
  }
  let render: Renderer;
  if (target.Input !== undefined && target.Input !== null) {
    const input = target.Input;
    if (typeof input !== 'string') throw new TargetInputError('Input must be a string of JSON text (e.g. "{\\"key\\":\\"value\\"}")');
    try {
      JSON.parse(input);
    } catch (e) {
      throw new TargetInputError(`Input must be valid JSON text: ${(e as Error).message}`);
    }
    render = () => input;
  } else if (target.InputPath !== undefined && target.InputPath !== null) {
    const path = compilePath(target.InputPath, 'InputPath');
    render = (event) => jsonOf(path(event));
  } else if (target.InputTransformer) {
    render = compileTransformer(target.InputTransformer);
  } else {
    render = (event) => JSON.stringify(event);
  }
  compiledTargets.set(target, render);
  return render;
}

// ---- JSONPath (the subset EventBridge accepts: $, $.a.b, $.a[0], $['a b']) ----

type PathReader = (value: unknown) => unknown;

function compilePath(path: unknown, where: string): PathReader {
  if (typeof path !== 'string' || !path.startsWith('$')) {
    throw new TargetInputError(`${where} ${JSON.stringify(path)} is not a JSONPath: it starts with "$" (e.g. "$.detail" or "$.resources[0]")`);
  }
  const steps: Array<string | number> = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      const m = /^[^.[\]\s]+/.exec(path.slice(i + 1));
      if (!m) throw new TargetInputError(`${where} ${JSON.stringify(path)}: a name is missing after "." at position ${i}`);
      steps.push(m[0]);
      i += 1 + m[0].length;
    } else if (c === '[') {
      const rest = path.slice(i);
      const index = /^\[(\d+)\]/.exec(rest);
      const quoted = /^\[(?:'([^']*)'|"([^"]*)")\]/.exec(rest);
      if (index) {
        steps.push(Number(index[1]));
        i += index[0].length;
      } else if (quoted) {
        steps.push(quoted[1] ?? quoted[2]);
        i += quoted[0].length;
      } else {
        throw new TargetInputError(`${where} ${JSON.stringify(path)}: "[" at position ${i} must hold an index ([0]) or a quoted name (['name'])`);
      }
    } else {
      throw new TargetInputError(`${where} ${JSON.stringify(path)}: unexpected "${c}" at position ${i} (use $.a.b or $.a[0])`);
    }
  }
  return (value) => {
    let v: unknown = value;
    for (const step of steps) {
      if (v === null || typeof v !== 'object') return undefined;
      if (typeof step === 'number') {
        if (!Array.isArray(v)) return undefined;
        v = v[step];
      } else {
        if (Array.isArray(v)) return undefined;
        v = Object.prototype.hasOwnProperty.call(v, step) ? (v as Record<string, unknown>)[step] : undefined;
      }
    }
    return v;
  };
}

/** JSON of a value, `null` for what the event does not have. */
function jsonOf(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}

// ---- InputTransformer ----

const RESERVED = new Set(['aws.events.event', 'aws.events.event.json', 'aws.events.rule-arn', 'aws.events.rule-name', 'aws.events.event.ingestion-time']);

type Part = string | { readonly name: string; readonly quoted: boolean };

function compileTransformer(transformer: { readonly InputPathsMap?: Record<string, string>; readonly InputTemplate: string }): Renderer {
  const template = transformer.InputTemplate;
  if (typeof template !== 'string') throw new TargetInputError('InputTransformer.InputTemplate is required: the text to send, with <name> placeholders');
  if (template.length > 8192) throw new TargetInputError(`InputTransformer.InputTemplate is ${template.length} characters long, at most 8192 are allowed`);
  const map = transformer.InputPathsMap ?? {};
  if (map === null || typeof map !== 'object' || Array.isArray(map)) throw new TargetInputError('InputTransformer.InputPathsMap must map names to JSONPaths');
  const names = Object.keys(map);
  if (names.length > 100) throw new TargetInputError(`InputTransformer.InputPathsMap has ${names.length} entries, at most 100 are allowed`);
  const readers = new Map<string, PathReader>();
  for (const name of names) {
    if (/^aws\./i.test(name)) throw new TargetInputError(`InputTransformer.InputPathsMap key ${JSON.stringify(name)}: names starting with "AWS." are reserved`);
    if (!/^[A-Za-z0-9_-]+$/.test(name)) {
      throw new TargetInputError(`InputTransformer.InputPathsMap key ${JSON.stringify(name)} may only use letters, digits, "_" and "-"`);
    }
    readers.set(name, compilePath(map[name], `InputTransformer.InputPathsMap.${name}`));
  }
  const parts = splitTemplate(template, (name) => readers.has(name) || RESERVED.has(name));
  return (event, context) => {
    let out = '';
    for (const part of parts) {
      if (typeof part === 'string') {
        out += part;
        continue;
      }
      const value = readers.has(part.name) ? readers.get(part.name)!(event) : reserved(part.name, event, context);
      if (part.quoted) {
        // Inside a JSON string the value's text is spliced in as it is (EventBridge does not escape it).
        out += value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
      } else {
        out += jsonOf(value);
      }
    }
    return out;
  };
}

function reserved(name: string, event: unknown, context: TargetInputContext): unknown {
  const e = (event !== null && typeof event === 'object' && !Array.isArray(event)) ? event as Record<string, unknown> : undefined;
  switch (name) {
    case 'aws.events.event.json':
      return event;
    case 'aws.events.event': {
      if (!e) return event;
      const { detail: _detail, ...rest } = e;
      return rest;
    }
    case 'aws.events.rule-arn':
      return context.ruleArn;
    case 'aws.events.rule-name':
      return context.ruleName;
    default: // aws.events.event.ingestion-time
      return context.ingestionTime ?? e?.time;
  }
}

/** Splits a template into text and placeholders, each placeholder knowing whether it sits inside a JSON string. */
function splitTemplate(template: string, known: (name: string) => boolean): Part[] {
  const parts: Part[] = [];
  let text = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '<') {
      const m = /^<([A-Za-z0-9_.-]+)>/.exec(template.slice(i, i + 200));
      if (m && known(m[1])) {
        if (text) parts.push(text);
        text = '';
        parts.push({ name: m[1], quoted: inString });
        i += m[0].length - 1;
        continue;
      }
    }
    if (inString && c === '\\') {
      text += c + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    text += c;
  }
  if (text) parts.push(text);
  return parts;
}

// ---- Scheduler ----

/** What Scheduler's context attributes stand for when it sends a schedule's `Input`. */
export interface SchedulerInputContext {
  readonly scheduleArn?: string;
  /** ISO time the schedule was due. */
  readonly scheduledTime?: string;
  readonly executionId?: string;
  readonly attemptNumber?: number;
}

/**
 * Scheduler sends `Input` verbatim (no envelope), with `<aws.scheduler.schedule-arn>`, `<aws.scheduler.scheduled-time>`,
 * `<aws.scheduler.execution-id>` and `<aws.scheduler.attempt-number>` replaced by their text.
 */
export function renderSchedulerInput(input: string | undefined, context: SchedulerInputContext = {}): string {
  if (input === undefined) return '{}';
  const values: Record<string, string | undefined> = {
    'aws.scheduler.schedule-arn': context.scheduleArn,
    'aws.scheduler.scheduled-time': context.scheduledTime,
    'aws.scheduler.execution-id': context.executionId,
    'aws.scheduler.attempt-number': context.attemptNumber === undefined ? undefined : String(context.attemptNumber),
  };
  return input.replace(/<(aws\.scheduler\.[a-z-]+)>/g, (whole, name: string) => values[name] ?? whole);
}
