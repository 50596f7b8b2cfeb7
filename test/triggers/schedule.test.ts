// Schedule expressions as EventBridge documents them (eb-create-rule-schedule: rate plurality, six-field cron with
// ? L W #, day-of-week 1 = Sunday, years 1970-2199) and as Scheduler evaluates them (schedule-types: at(), IANA time
// zones, a spring-forward wall time is skipped and a fall-back one fires once).
import { parseSchedule, ScheduleError } from '../../src/engine/triggers/schedule';

/** The next `n` firings after `from` (ISO), as ISO strings. */
function firings(expression: string, from: string, n = 3, timezone = 'UTC'): string[] {
  const schedule = parseSchedule(expression, timezone);
  const out: string[] = [];
  let at = Date.parse(from);
  for (let i = 0; i < n; i++) {
    const next = schedule.nextAfter(at);
    if (next === undefined) break;
    out.push(new Date(next).toISOString().replace('.000Z', 'Z'));
    at = next;
  }
  return out;
}

describe('rate()', () => {
  it.each([
    ['rate(1 minute)', 60_000],
    ['rate(5 minutes)', 300_000],
    ['rate(1 hour)', 3_600_000],
    ['rate(12 hours)', 43_200_000],
    ['rate(1 day)', 86_400_000],
    ['rate(7 days)', 604_800_000],
  ])('%s fires every %d ms', (expression, period) => {
    const s = parseSchedule(expression);
    expect(s.nextAfter(1_000_000)).toBe(1_000_000 + period);
    expect(s.expression).toBe(expression);
  });

  it.each([
    ['rate(1 hours)', /singular unit: rate\(1 hour\)/],
    ['rate(5 hour)', /plural unit: rate\(5 hours\)/],
    ['rate(1 minutes)', /singular/],
    ['rate(0 minutes)', /positive whole number/],
    ['rate(-1 minutes)', /positive whole number/],
    ['rate(1.5 hours)', /positive whole number/],
    ['rate(2 weeks)', /unknown unit "weeks"/],
    ['rate(5)', /rate\(value unit\)/],
  ])('rejects %s', (expression, message) => {
    expect(() => parseSchedule(expression)).toThrow(ScheduleError);
    expect(() => parseSchedule(expression)).toThrow(message);
  });
});

describe('cron()', () => {
  it.each<[string, string, string[]]>([
    // Fixed times and every-day schedules.
    ['cron(0 10 * * ? *)', '2026-12-02T11:00:00Z', ['2026-12-03T10:00:00Z', '2026-12-04T10:00:00Z', '2026-12-05T10:00:00Z']],
    ['cron(15 10 * * ? *)', '2026-12-02T10:15:00Z', ['2026-12-03T10:15:00Z', '2026-12-04T10:15:00Z', '2026-12-05T10:15:00Z']],
    ['cron(* * * * ? *)', '2026-12-02T10:15:30Z', ['2026-12-02T10:16:00Z', '2026-12-02T10:17:00Z', '2026-12-02T10:18:00Z']],
    // Steps and ranges.
    ['cron(0/15 * * * ? *)', '2026-12-02T10:01:00Z', ['2026-12-02T10:15:00Z', '2026-12-02T10:30:00Z', '2026-12-02T10:45:00Z']],
    ['cron(*/20 9-10 * * ? *)', '2026-12-02T10:30:00Z', ['2026-12-02T10:40:00Z', '2026-12-03T09:00:00Z', '2026-12-03T09:20:00Z']],
    ['cron(5-7 12 * * ? *)', '2026-12-02T00:00:00Z', ['2026-12-02T12:05:00Z', '2026-12-02T12:06:00Z', '2026-12-02T12:07:00Z']],
    ['cron(0 0-12/6 * * ? *)', '2026-12-02T01:00:00Z', ['2026-12-02T06:00:00Z', '2026-12-02T12:00:00Z', '2026-12-03T00:00:00Z']],
    ['cron(0 22-2 * * ? *)', '2026-12-02T21:00:00Z', ['2026-12-02T22:00:00Z', '2026-12-02T23:00:00Z', '2026-12-03T00:00:00Z']],
    ['cron(0 12 1,15 * ? *)', '2026-12-02T00:00:00Z', ['2026-12-15T12:00:00Z', '2027-01-01T12:00:00Z', '2027-01-15T12:00:00Z']],
    // Day-of-week: 1 = Sunday, names, ranges.
    ['cron(0 18 ? * MON-FRI *)', '2026-12-04T19:00:00Z', ['2026-12-07T18:00:00Z', '2026-12-08T18:00:00Z', '2026-12-09T18:00:00Z']],
    ['cron(0 8 ? * 1 *)', '2026-12-02T00:00:00Z', ['2026-12-06T08:00:00Z', '2026-12-13T08:00:00Z', '2026-12-20T08:00:00Z']],
    ['cron(0 8 ? * 7 *)', '2026-12-02T00:00:00Z', ['2026-12-05T08:00:00Z', '2026-12-12T08:00:00Z', '2026-12-19T08:00:00Z']],
    ['cron(0 8 ? * sun,sat *)', '2026-12-02T00:00:00Z', ['2026-12-05T08:00:00Z', '2026-12-06T08:00:00Z', '2026-12-12T08:00:00Z']],
    // Months by number and name.
    ['cron(0 8 1 * ? *)', '2026-12-02T00:00:00Z', ['2027-01-01T08:00:00Z', '2027-02-01T08:00:00Z', '2027-03-01T08:00:00Z']],
    ['cron(0 0 1 JAN,JUL ? *)', '2026-02-01T00:00:00Z', ['2026-07-01T00:00:00Z', '2027-01-01T00:00:00Z', '2027-07-01T00:00:00Z']],
    ['cron(0 0 1 3-4 ? *)', '2026-02-01T00:00:00Z', ['2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z', '2027-03-01T00:00:00Z']],
    // L: last day of the month; LW: last weekday; L-n.
    ['cron(0 0 L * ? *)', '2026-01-15T00:00:00Z', ['2026-01-31T00:00:00Z', '2026-02-28T00:00:00Z', '2026-03-31T00:00:00Z']],
    ['cron(0 0 L 2 ? *)', '2027-03-01T00:00:00Z', ['2028-02-29T00:00:00Z', '2029-02-28T00:00:00Z', '2030-02-28T00:00:00Z']],
    ['cron(0 0 LW * ? *)', '2026-01-01T00:00:00Z', ['2026-01-30T00:00:00Z', '2026-02-27T00:00:00Z', '2026-03-31T00:00:00Z']],
    ['cron(0 0 L-2 * ? *)', '2026-01-01T00:00:00Z', ['2026-01-29T00:00:00Z', '2026-02-26T00:00:00Z', '2026-03-29T00:00:00Z']],
    // nL in day-of-week: the last such weekday (6L = last Friday).
    ['cron(0 0 ? * 6L *)', '2026-01-01T00:00:00Z', ['2026-01-30T00:00:00Z', '2026-02-27T00:00:00Z', '2026-03-27T00:00:00Z']],
    ['cron(0 0 ? * L *)', '2026-12-01T00:00:00Z', ['2026-12-05T00:00:00Z', '2026-12-12T00:00:00Z', '2026-12-19T00:00:00Z']],
    // W: the weekday nearest a day, within the month (a day the month lacks does not fire that month).
    ['cron(0 0 15W * ? *)', '2026-02-01T00:00:00Z', ['2026-02-16T00:00:00Z', '2026-03-16T00:00:00Z', '2026-04-15T00:00:00Z']],
    ['cron(0 0 1W * ? *)', '2026-07-15T00:00:00Z', ['2026-08-03T00:00:00Z', '2026-09-01T00:00:00Z', '2026-10-01T00:00:00Z']],
    ['cron(0 0 31W * ? *)', '2026-05-15T00:00:00Z', ['2026-05-29T00:00:00Z', '2026-07-31T00:00:00Z', '2026-08-31T00:00:00Z']],
    // #: the n-th weekday of the month (6#3 = third Friday).
    ['cron(0 0 ? * 6#3 *)', '2026-01-01T00:00:00Z', ['2026-01-16T00:00:00Z', '2026-02-20T00:00:00Z', '2026-03-20T00:00:00Z']],
    ['cron(0 9 ? * MON#1 *)', '2026-12-02T00:00:00Z', ['2026-12-07T09:00:00Z', '2027-01-04T09:00:00Z', '2027-02-01T09:00:00Z']],
    ['cron(0 0 ? * 5#5 *)', '2026-01-01T00:00:00Z', ['2026-01-29T00:00:00Z', '2026-04-30T00:00:00Z', '2026-07-30T00:00:00Z']],
    // Years, and schedules that end.
    ['cron(0 0 1 1 ? 2028-2029)', '2026-01-01T00:00:00Z', ['2028-01-01T00:00:00Z', '2029-01-01T00:00:00Z']],
    ['cron(0 0 1 1 ? 2030/10)', '2026-01-01T00:00:00Z', ['2030-01-01T00:00:00Z', '2040-01-01T00:00:00Z', '2050-01-01T00:00:00Z']],
    ['cron(0 0 29 FEB ? *)', '2026-01-01T00:00:00Z', ['2028-02-29T00:00:00Z', '2032-02-29T00:00:00Z', '2036-02-29T00:00:00Z']],
    ['cron(0 0 31 FEB ? *)', '2026-01-01T00:00:00Z', []],
    ['cron(0 0 1 1 ? 2020)', '2026-01-01T00:00:00Z', []],
  ])('%s after %s', (expression, from, expected) => {
    expect(firings(expression, from, 3)).toEqual(expected);
  });

  it('fires strictly after the time asked about', () => {
    const s = parseSchedule('cron(0 10 * * ? *)');
    expect(s.nextAfter(Date.parse('2026-12-02T10:00:00Z'))).toBe(Date.parse('2026-12-03T10:00:00Z'));
    expect(s.nextAfter(Date.parse('2026-12-02T09:59:59.999Z'))).toBe(Date.parse('2026-12-02T10:00:00Z'));
  });

  it.each([
    ['cron(0 10 * * *)', /six fields .* has 5/],
    ['cron(0 10 * * ? * *)', /has 7/],
    ['cron(0 10 * * * *)', /exactly one of day-of-month and day-of-week must be "\?"/],
    ['cron(0 10 ? * ? *)', /exactly one of day-of-month and day-of-week/],
    ['cron(60 10 * * ? *)', /minutes: 60 is outside 0-59/],
    ['cron(0 24 * * ? *)', /hours: 24 is outside 0-23/],
    ['cron(0 0 32 * ? *)', /day-of-month: 32 is outside 1-31/],
    ['cron(0 0 0 * ? *)', /day-of-month: 0 is outside 1-31/],
    ['cron(0 0 1 13 ? *)', /month: 13 is outside 1-12/],
    ['cron(0 0 1 FOO ? *)', /month: "FOO" is not a number or a name \(JAN-DEC\)/],
    ['cron(0 0 ? * 0 *)', /day-of-week: 0 is outside 1-7/],
    ['cron(0 0 ? * 8 *)', /day-of-week: 8 is outside 1-7/],
    ['cron(0 0 1 1 ? 1969)', /year: 1969 is outside 1970-2199/],
    ['cron(0 0 1 1 ? 2200)', /year: 2200 is outside 1970-2199/],
    ['cron(0/0 * * * ? *)', /step .* must be a positive number/],
    ['cron(0 0 ? * 6#6 *)', /the week after # must be 1-5/],
    ['cron(0 0 ? * 6#1,2#2 *)', /only one "#" expression/],
    ['cron(0 0 ? * 6W *)', /day-of-week: "6W" is not valid/],
    ['cron(0 0 1#2 * ? *)', /day-of-month: "1#2" is not valid/],
    ['cron(0 0 40W * ? *)', /W needs a day 1-31/],
    ['cron(a 0 * * ? *)', /minutes: "a" is not a number/],
    ['cron(1-2-3 0 * * ? *)', /is not a range/],
    ['every 5 minutes', /must be rate\(value unit\), cron\(/],
  ])('rejects %s', (expression, message) => {
    expect(() => parseSchedule(expression)).toThrow(ScheduleError);
    expect(() => parseSchedule(expression)).toThrow(message);
  });
});

describe('time zones (Scheduler ScheduleExpressionTimezone)', () => {
  it('evaluates cron in the zone', () => {
    expect(firings('cron(0 9 * * ? *)', '2026-12-01T00:00:00Z', 2, 'Europe/Paris')).toEqual(['2026-12-01T08:00:00Z', '2026-12-02T08:00:00Z']);
    expect(firings('cron(0 9 * * ? *)', '2026-07-01T00:00:00Z', 2, 'Europe/Paris')).toEqual(['2026-07-01T07:00:00Z', '2026-07-02T07:00:00Z']);
    expect(firings('cron(0 9 * * ? *)', '2026-12-01T00:00:00Z', 1, 'Asia/Kolkata')).toEqual(['2026-12-01T03:30:00Z']);
  });

  it('keeps wall-clock times across the spring-forward change and skips the missing hour', () => {
    // America/New_York moves from 02:00 EST to 03:00 EDT on 2026-03-08.
    expect(firings('cron(30 1 * * ? *)', '2026-03-07T00:00:00Z', 3, 'America/New_York'))
      .toEqual(['2026-03-07T06:30:00Z', '2026-03-08T06:30:00Z', '2026-03-09T05:30:00Z']);
    expect(firings('cron(30 2 * * ? *)', '2026-03-07T00:00:00Z', 3, 'America/New_York'))
      .toEqual(['2026-03-07T07:30:00Z', '2026-03-09T06:30:00Z', '2026-03-10T06:30:00Z']);
  });

  it('fires once for a wall time the fall-back change repeats', () => {
    // America/New_York moves from 02:00 EDT back to 01:00 EST on 2026-11-01: 01:00-01:59 happens twice.
    expect(firings('cron(*/20 1 * * ? *)', '2026-11-01T04:00:00Z', 4, 'America/New_York'))
      .toEqual(['2026-11-01T05:00:00Z', '2026-11-01T05:20:00Z', '2026-11-01T05:40:00Z', '2026-11-02T06:00:00Z']);
    // Asked from inside the repeated hour, it does not fire the repeat.
    expect(firings('cron(30 1 * * ? *)', '2026-11-01T06:10:00Z', 1, 'America/New_York')).toEqual(['2026-11-02T06:30:00Z']);
  });

  it('runs a rate on elapsed time across a DST change (a day is 24 hours)', () => {
    const s = parseSchedule('rate(1 day)', 'America/New_York');
    expect(s.nextAfter(Date.parse('2026-03-07T12:00:00Z'))).toBe(Date.parse('2026-03-08T12:00:00Z'));
    expect(s.timezone).toBe('America/New_York');
  });

  it('rejects an unknown zone', () => {
    expect(() => parseSchedule('rate(1 day)', 'Mars/Olympus')).toThrow(/"Mars\/Olympus" is not a known IANA time zone/);
  });

  it('treats rules as UTC by default', () => {
    expect(parseSchedule('cron(0 9 * * ? *)').timezone).toBe('UTC');
  });
});

describe('at() one-time schedules', () => {
  it('fires once, at the wall time in the zone', () => {
    const s = parseSchedule('at(2027-01-01T09:00:00)', 'Europe/Paris');
    const at = Date.parse('2027-01-01T08:00:00Z');
    expect(s.nextAfter(Date.parse('2026-12-02T00:00:00Z'))).toBe(at);
    expect(s.nextAfter(at)).toBeUndefined();
    expect(parseSchedule('at(2027-01-01T09:00:00)').nextAfter(0)).toBe(Date.parse('2027-01-01T09:00:00Z'));
  });

  it('takes a wall time inside a spring-forward gap with the earlier offset', () => {
    expect(parseSchedule('at(2026-03-08T02:30:00)', 'America/New_York').nextAfter(0)).toBe(Date.parse('2026-03-08T07:30:00Z'));
  });

  it.each([
    ['at(2027-01-01 09:00:00)', /at\(yyyy-mm-ddThh:mm:ss\)/],
    ['at(2027-02-30T09:00:00)', /does not exist/],
    ['at(2027-01-01T24:00:00)', /does not exist/],
  ])('rejects %s', (expression, message) => {
    expect(() => parseSchedule(expression)).toThrow(message);
  });
});
