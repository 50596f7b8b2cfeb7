// EventBridge and EventBridge Scheduler schedule expressions: `rate(5 minutes)`, six-field `cron(...)` with `?`, `L`,
// `W`, `#`, and (Scheduler) `at(...)` one-time schedules, evaluated in an IANA time zone with DST handled as
// Scheduler does (a wall time skipped by spring-forward does not fire; one repeated by fall-back fires once).

export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

export interface Schedule {
  /** The expression, as written. */
  readonly expression: string;
  /** The IANA time zone the expression is evaluated in (rules: always UTC). */
  readonly timezone: string;
  /** The first firing strictly after `afterMs` (epoch ms), or undefined when it never fires again. */
  nextAfter(afterMs: number): number | undefined;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const MIN_YEAR = 1970;
const MAX_YEAR = 2199;

/** Parses a schedule expression; `timezone` is an IANA name (Scheduler's ScheduleExpressionTimezone), UTC by default. */
export function parseSchedule(expression: string, timezone: string = 'UTC'): Schedule {
  if (typeof expression !== 'string') throw invalid(String(expression), 'the expression must be a string');
  const zone = timeZone(timezone);
  const text = expression.trim();
  const rate = /^rate\((.*)\)$/s.exec(text);
  if (rate) return rateSchedule(expression, rate[1], zone);
  const cron = /^cron\((.*)\)$/s.exec(text);
  if (cron) return cronSchedule(expression, cron[1], zone);
  const at = /^at\((.*)\)$/s.exec(text);
  if (at) return atSchedule(expression, at[1], zone);
  throw invalid(expression, 'it must be rate(value unit), cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss)');
}

function invalid(expression: string, why: string): ScheduleError {
  return new ScheduleError(`Parameter ScheduleExpression is not valid: ${JSON.stringify(expression)}: ${why}`);
}

// ---- rate() ----

const UNITS: Record<string, [ms: number, singular: boolean]> = {
  minute: [MINUTE, true],
  minutes: [MINUTE, false],
  hour: [60 * MINUTE, true],
  hours: [60 * MINUTE, false],
  day: [DAY, true],
  days: [DAY, false],
};

function rateSchedule(expression: string, body: string, zone: Zone): Schedule {
  const m = /^\s*(\d+)\s+([a-z]+)\s*$/.exec(body);
  if (!m) throw invalid(expression, 'a rate is rate(value unit), e.g. rate(5 minutes), with a positive whole number');
  const value = Number(m[1]);
  const unit = UNITS[m[2]];
  if (!unit) throw invalid(expression, `unknown unit "${m[2]}" (use minute(s), hour(s) or day(s))`);
  if (value <= 0 || !Number.isSafeInteger(value)) throw invalid(expression, 'the value must be a positive whole number');
  const base = m[2].replace(/s$/, '');
  if (value === 1 && !unit[1]) throw invalid(expression, `a value of 1 takes the singular unit: rate(1 ${base})`);
  if (value > 1 && unit[1]) throw invalid(expression, `a value above 1 takes the plural unit: rate(${value} ${base}s)`);
  // A rate counts elapsed time (a day is 24 hours even across a DST change), from whenever it is asked.
  const period = value * unit[0];
  return { expression, timezone: zone.name, nextAfter: (after) => after + period };
}

// ---- at() ----

function atSchedule(expression: string, body: string, zone: Zone): Schedule {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body.trim());
  if (!m) throw invalid(expression, 'a one-time schedule is at(yyyy-mm-ddThh:mm:ss), e.g. at(2026-12-31T23:59:00)');
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) {
    throw invalid(expression, 'the date or time does not exist');
  }
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  // A wall time inside a spring-forward gap is taken with the offset before the change.
  const when = zone.toUtc(wall) ?? wall - zone.offset(wall - DAY / 2);
  return { expression, timezone: zone.name, nextAfter: (after) => (when > after ? when : undefined) };
}

// ---- cron() ----

interface DaySpec {
  /** Day-of-month is `?` (day-of-week decides) or day-of-week is `?` (day-of-month decides). */
  readonly byWeekday: boolean;
  readonly days: Set<number>;
  readonly last: boolean;
  readonly lastOffset: number;
  readonly lastWeekday: boolean;
  readonly nearestWeekday?: number;
  /** Day-of-week `nL`: the last such weekday of the month. */
  readonly lastOfWeekday?: number;
  /** Day-of-week `n#k`: the k-th such weekday of the month. */
  readonly nth?: readonly [weekday: number, k: number];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function cronSchedule(expression: string, body: string, zone: Zone): Schedule {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw invalid(expression, `a cron expression has six fields (minutes hours day-of-month month day-of-week year), this one has ${fields.length}`);
  }
  const [minF, hourF, domF, monF, dowF, yearF] = fields;
  const fail = (why: string) => invalid(expression, why);
  const minutes = [...numberField(minF, 'minutes', 0, 59, [], fail)].sort((a, b) => a - b);
  const hours = [...numberField(hourF, 'hours', 0, 23, [], fail)].sort((a, b) => a - b);
  const months = numberField(monF, 'month', 1, 12, MONTHS, fail);
  const years = numberField(yearF, 'year', MIN_YEAR, MAX_YEAR, [], fail);
  if ((domF === '?') === (dowF === '?')) {
    throw fail('exactly one of day-of-month and day-of-week must be "?" (you cannot specify both, or neither)');
  }
  const days = domF === '?' ? weekdaySpec(dowF, fail) : monthDaySpec(domF, fail);

  const dayMatches = (y: number, mo: number, d: number): boolean => {
    const dim = daysInMonth(y, mo);
    if (!days.byWeekday) {
      if (days.days.has(d)) return true;
      if (days.last && d === dim - days.lastOffset) return true;
      if (days.lastWeekday && d === lastWeekdayOf(y, mo)) return true;
      if (days.nearestWeekday !== undefined && d === nearestWeekday(y, mo, days.nearestWeekday)) return true;
      return false;
    }
    const weekday = new Date(Date.UTC(y, mo - 1, d)).getUTCDay() + 1; // 1 = Sunday, as EventBridge counts
    if (days.days.has(weekday)) return true;
    if (days.lastOfWeekday === weekday && d + 7 > dim) return true;
    if (days.nth && days.nth[0] === weekday && Math.ceil(d / 7) === days.nth[1]) return true;
    return false;
  };

  const nextAfter = (after: number): number | undefined => {
    // Walk the local calendar from the wall-clock minute of `after`, skipping years and months that cannot match.
    const startWall = Math.floor((after + zone.offset(after)) / MINUTE) * MINUTE;
    const start = new Date(startWall);
    let y = start.getUTCFullYear();
    let mo = start.getUTCMonth() + 1;
    let d = start.getUTCDate();
    while (y <= MAX_YEAR) {
      if (!years.has(y)) {
        y++; mo = 1; d = 1;
        continue;
      }
      if (!months.has(mo)) {
        mo++; d = 1;
        if (mo > 12) { y++; mo = 1; }
        continue;
      }
      if (dayMatches(y, mo, d)) {
        const dayWall = Date.UTC(y, mo - 1, d);
        for (const h of hours) {
          if (dayWall + (h + 1) * 3_600_000 <= startWall - 3_600_000) continue;
          for (const mi of minutes) {
            const wall = dayWall + h * 3_600_000 + mi * MINUTE;
            if (wall < startWall - 3 * 3_600_000) continue; // far before the start, whatever the offset does
            const at = zone.toUtc(wall);
            if (at !== undefined && at > after) return at;
          }
        }
      }
      d++;
      if (d > daysInMonth(y, mo)) {
        d = 1; mo++;
        if (mo > 12) { mo = 1; y++; }
      }
    }
    return undefined;
  };
  return { expression, timezone: zone.name, nextAfter };
}

/** A field of numbers (and names): `*`, `a`, `a-b` (wrapping around when a > b), `a/b`, `*\/b`, `a-b/c`, lists. */
function numberField(field: string, name: string, min: number, max: number, names: string[],
  fail: (why: string) => ScheduleError): Set<number> {
  const out = new Set<number>();
  for (const item of field.split(',')) {
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined) throw fail(`${name}: "${item}" has more than one "/"`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) throw fail(`${name}: the step in "${item}" must be a positive number`);
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (range === '*') {
      from = min; to = max;
    } else if (range.includes('-')) {
      const [a, b, more] = range.split('-');
      if (more !== undefined) throw fail(`${name}: "${item}" is not a range`);
      from = fieldValue(a, name, min, max, names, fail);
      to = fieldValue(b, name, min, max, names, fail);
    } else {
      from = fieldValue(range, name, min, max, names, fail);
      to = stepText !== undefined ? max : from;
    }
    const span = to >= from ? to - from : to + (max - min + 1) - from;
    for (let i = 0; i <= span; i += step) out.add(min + ((from - min + i) % (max - min + 1)));
  }
  return out;
}

function fieldValue(text: string, name: string, min: number, max: number, names: string[], fail: (why: string) => ScheduleError): number {
  const named = names.indexOf(text.toUpperCase());
  if (named >= 0) return named + 1;
  if (!/^\d+$/.test(text)) {
    throw fail(`${name}: "${text}" is not a number${names.length ? ` or a name (${names[0]}-${names[names.length - 1]})` : ''}`);
  }
  const n = Number(text);
  if (n < min || n > max) throw fail(`${name}: ${n} is outside ${min}-${max}`);
  return n;
}

function monthDaySpec(field: string, fail: (why: string) => ScheduleError): DaySpec {
  let last = false;
  let lastOffset = 0;
  let lastWeekday = false;
  let nearest: number | undefined;
  const plain: string[] = [];
  for (const item of field.split(',')) {
    const upper = item.toUpperCase();
    let m: RegExpExecArray | null;
    if (upper === 'L') {
      last = true;
    } else if (upper === 'LW') {
      lastWeekday = true;
    } else if ((m = /^L-(\d+)$/.exec(upper))) {
      last = true;
      lastOffset = Number(m[1]);
      if (lastOffset > 30) throw fail(`day-of-month: "${item}" is more than 30 days before the last day`);
    } else if ((m = /^(\d+)W$/.exec(upper))) {
      nearest = Number(m[1]);
      if (nearest < 1 || nearest > 31) throw fail(`day-of-month: "${item}": W needs a day 1-31`);
    } else if (upper.includes('W') || upper.includes('L') || upper.includes('#')) {
      throw fail(`day-of-month: "${item}" is not valid (use L, LW, L-n, nW, or numbers with , - * /)`);
    } else {
      plain.push(item);
    }
  }
  const days = plain.length ? numberField(plain.join(','), 'day-of-month', 1, 31, [], fail) : new Set<number>();
  return { byWeekday: false, days, last, lastOffset, lastWeekday, nearestWeekday: nearest };
}

function weekdaySpec(field: string, fail: (why: string) => ScheduleError): DaySpec {
  let lastOf: number | undefined;
  let nth: [number, number] | undefined;
  const plain: string[] = [];
  const weekday = (t: string) => fieldValue(t, 'day-of-week', 1, 7, WEEKDAYS, fail);
  for (const item of field.split(',')) {
    const upper = item.toUpperCase();
    let m: RegExpExecArray | null;
    if (upper === 'L') {
      plain.push('7'); // L alone: the last day of the week, Saturday
    } else if ((m = /^([0-9A-Z]+)L$/.exec(upper))) {
      lastOf = weekday(m[1]);
    } else if ((m = /^([0-9A-Z]+)#(\d+)$/.exec(upper))) {
      if (nth) throw fail('day-of-week: only one "#" expression is allowed');
      const k = Number(m[2]);
      if (k < 1 || k > 5) throw fail(`day-of-week: "${item}": the week after # must be 1-5`);
      nth = [weekday(m[1]), k];
    } else if (upper.includes('#') || upper.includes('W')) {
      throw fail(`day-of-week: "${item}" is not valid (use n#k, nL, L, names SUN-SAT or numbers 1-7 with , - *)`);
    } else {
      plain.push(item);
    }
  }
  const days = plain.length ? numberField(plain.join(','), 'day-of-week', 1, 7, WEEKDAYS, fail) : new Set<number>();
  return { byWeekday: true, days, last: false, lastOffset: 0, lastWeekday: false, lastOfWeekday: lastOf, nth };
}

function daysInMonth(y: number, mo: number): number {
  return new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

function weekdayOf(y: number, mo: number, d: number): number {
  return new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
}

function lastWeekdayOf(y: number, mo: number): number {
  let d = daysInMonth(y, mo);
  while (weekdayOf(y, mo, d) === 0 || weekdayOf(y, mo, d) === 6) d--;
  return d;
}

/**
 * The weekday nearest `day` within the month (`1W` on a Saturday is Monday the 3rd, never the previous month); a
 * day the month does not have (`31W` in June) does not fire that month.
 */
function nearestWeekday(y: number, mo: number, day: number): number | undefined {
  const dim = daysInMonth(y, mo);
  if (day > dim) return undefined;
  const d = day;
  const wd = weekdayOf(y, mo, d);
  if (wd === 6) return d === 1 ? 3 : d - 1;
  if (wd === 0) return d === dim ? d - 2 : d + 1;
  return d;
}

// ---- time zones ----

interface Zone {
  readonly name: string;
  /** Offset of local time from UTC at an instant, in ms. */
  offset(utc: number): number;
  /** The first instant showing this local wall time, or undefined when the wall time is skipped (spring-forward). */
  toUtc(wall: number): number | undefined;
}

const zones = new Map<string, Zone>();

function timeZone(name: string): Zone {
  const cached = zones.get(name);
  if (cached) return cached;
  if (typeof name !== 'string' || name === '') throw new ScheduleError('ScheduleExpressionTimezone must be an IANA time zone name such as Europe/Paris');
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch {
    throw new ScheduleError(`ScheduleExpressionTimezone ${JSON.stringify(name)} is not a known IANA time zone (e.g. UTC, America/New_York, Europe/Paris)`);
  }
  const utc = format.resolvedOptions().timeZone === 'UTC' || /^(Etc\/)?(UTC|GMT|UCT|Zulu|Universal)$/i.test(name);
  const offset = utc ? () => 0 : (at: number): number => {
    const parts: Record<string, number> = {};
    for (const p of format.formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second);
    return wall - Math.floor(at / 1000) * 1000;
  };
  const zone: Zone = {
    name,
    offset,
    toUtc: utc ? (wall) => wall : (wall) => {
      // The offsets half a day either side bracket any one change; keep the candidates that show this wall time.
      const before = wall - offset(wall - DAY / 2);
      const after = wall - offset(wall + DAY / 2);
      const first = Math.min(before, after);
      const second = Math.max(before, after);
      if (first + offset(first) === wall) return first;
      if (second + offset(second) === wall) return second;
      return undefined;
    },
  };
  zones.set(name, zone);
  return zone;
}
