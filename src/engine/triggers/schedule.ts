// EventBridge and EventBridge Scheduler schedule expressions: `rate(5 minutes)`, six-field `cron(...)` with `?`, `L`,
// `W`, `#`, and (Scheduler) `at(...)` and time zones. Owned by the pattern work (issue 14). PLACEHOLDER: rate() only,
// until the full parser lands; the signatures below are the contract the schedule source codes against.

export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

export interface Schedule {
  /** The expression, as written. */
  readonly expression: string;
  /** The first firing strictly after `afterMs` (epoch ms), or undefined when it never fires again. */
  nextAfter(afterMs: number): number | undefined;
}

/** Parses a schedule expression; `timezone` is an IANA name (Scheduler's ScheduleExpressionTimezone), UTC by default. */
export function parseSchedule(expression: string, _timezone: string = 'UTC'): Schedule {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!rate) throw new ScheduleError(`Unsupported schedule expression ${JSON.stringify(expression)} (placeholder parser)`);
  const unit = rate[2].startsWith('minute') ? 60_000 : rate[2].startsWith('hour') ? 3_600_000 : 86_400_000;
  const period = Number(rate[1]) * unit;
  return { expression, nextAfter: (after) => after + period };
}
