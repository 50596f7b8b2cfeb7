// Properties of cron schedules: the next firing is strictly later, lands on a minute the fields allow, and no
// allowed minute is skipped between two firings (checked against a brute-force walk over UTC minutes).
import fc from 'fast-check';
import { parseSchedule } from '../../src/engine/triggers/schedule';

const MINUTE = 60_000;

const field = (min: number, max: number) => fc.oneof(
  fc.constant('*'),
  fc.integer({ min, max }).map(String),
  fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
  fc.tuple(fc.integer({ min, max }), fc.integer({ min: 1, max: max - min + 1 })).map(([a, s]) => `${a}/${s}`),
  fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(',')),
);

/** The set of values a simple field allows (the same forms the generator makes). */
function allowed(f: string, min: number, max: number): Set<number> {
  const out = new Set<number>();
  for (const item of f.split(',')) {
    if (item === '*') {for (let i = min; i <= max; i++) out.add(i);} else if (item.includes('/')) {
      const [a, s] = item.split('/').map(Number);
      for (let i = a; i <= max; i += s) out.add(i);
    } else if (item.includes('-')) {
      const [a, b] = item.split('-').map(Number);
      for (let i = a; i <= b; i++) out.add(i);
    } else {out.add(Number(item));}
  }
  return out;
}

describe('cron schedule properties', () => {
  it('fires on the next allowed minute, never earlier, never skipping one', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    fc.assert(fc.property(field(0, 59), field(0, 23), field(1, 7), fc.integer({ min: 0, max: 60 * 24 * 30 }), (min, hour, dow, offset) => {
      const after = start + offset * MINUTE + 17_000;
      const next = parseSchedule(`cron(${min} ${hour} ? * ${dow} *)`).nextAfter(after);
      const minutes = allowed(min, 0, 59);
      const hours = allowed(hour, 0, 23);
      const days = allowed(dow, 1, 7);
      const fits = (t: number) => {
        const d = new Date(t);
        return minutes.has(d.getUTCMinutes()) && hours.has(d.getUTCHours()) && days.has(d.getUTCDay() + 1);
      };
      expect(next).toBeDefined();
      expect(next!).toBeGreaterThan(after);
      expect(next! % MINUTE).toBe(0);
      expect(fits(next!)).toBe(true);
      // Brute force: the first allowed minute after `after` is `next`.
      let first = Math.ceil(after / MINUTE) * MINUTE;
      while (!fits(first)) first += MINUTE;
      expect(first).toBe(next);
    }), { numRuns: 100 });
  });

  it('in a time zone, fires at a local wall time the fields allow, across DST changes', () => {
    const local = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hourCycle: 'h23', hour: 'numeric', minute: 'numeric' });
    const start = Date.parse('2026-03-01T00:00:00Z');
    fc.assert(fc.property(field(0, 59), field(0, 23), fc.integer({ min: 0, max: 60 * 24 * 270 }), (min, hour, offset) => {
      const after = start + offset * MINUTE;
      const next = parseSchedule(`cron(${min} ${hour} * * ? *)`, 'America/New_York').nextAfter(after);
      expect(next).toBeDefined();
      expect(next!).toBeGreaterThan(after);
      const parts = Object.fromEntries(local.formatToParts(next!).map((p) => [p.type, Number(p.value)]));
      expect(allowed(min, 0, 59).has(parts.minute)).toBe(true);
      expect(allowed(hour, 0, 23).has(parts.hour)).toBe(true);
      // Never more than a day and a bit away when every day is allowed (a skipped hour moves it at most a day).
      expect(next! - after).toBeLessThanOrEqual(49 * 60 * MINUTE);
    }), { numRuns: 200 });
  });
});
