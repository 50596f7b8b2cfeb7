// `lambda-twin events`: what happened to the asynchronous (Event) invokes of a start-lambda state folder.
import * as path from 'path';
import type { Command } from 'commander';
import { EventState, replayJournal } from '../../engine/invoke-api/event-journal';
import { DEFAULT_STATE_DIR } from '../state-dir';

interface EventsCommandOptions {
  readonly stateDir: string;
  readonly json?: boolean;
  readonly status?: string;
}

export function registerEventsCommand(program: Command): void {
  program.command('events')
    .description('Show the asynchronous (Event) invokes of a start-lambda state folder: pending, running, succeeded, failed.')
    .option('--state-dir <dir>', 'the state folder start-lambda used', DEFAULT_STATE_DIR)
    .option('--status <status>', 'only events with this status (pending, running, succeeded, failed)')
    .option('--json', 'print a JSON array instead of a table')
    .action((opts: EventsCommandOptions) => {
      process.stdout.write(eventsReport(opts.stateDir, opts));
    });
}

/** The `events` command's output for a state folder. */
export function eventsReport(stateDir: string, opts: { json?: boolean; status?: string } = {}): string {
  const statuses = ['pending', 'running', 'succeeded', 'failed'];
  if (opts.status !== undefined && !statuses.includes(opts.status)) {
    throw new Error(`--status must be one of ${statuses.join(', ')}; got '${opts.status}'`);
  }
  const events = listEvents(stateDir).filter((e) => opts.status === undefined || e.status === opts.status);
  if (opts.json) return JSON.stringify(events, null, 2) + '\n';
  if (events.length === 0) return `No asynchronous events in ${path.resolve(stateDir)}\n`;
  const rows = events.map((e) => [e.requestId, e.functionName + (e.qualifier ? `:${e.qualifier}` : ''), e.status,
    String(e.attempts), e.condition ?? '', e.errorType ?? '', e.acceptedAt]);
  const head = ['REQUEST ID', 'FUNCTION', 'STATUS', 'ATTEMPTS', 'CONDITION', 'ERROR', 'ACCEPTED'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const format = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const counts = statuses.map((s) => `${events.filter((e) => e.status === s).length} ${s}`).join(', ');
  return [format(head), ...rows.map(format), '', counts, ''].join('\n');
}

/** One event as `events --json` shows it. */
export interface EventSummary {
  readonly requestId: string;
  readonly functionName: string;
  readonly qualifier?: string;
  readonly status: string;
  readonly attempts: number;
  readonly condition?: string;
  readonly errorType?: string;
  readonly acceptedAt: string;
  readonly finishedAt?: string;
  readonly destinations?: string[];
}

/** The events of a state folder's journal (read only: safe while a server runs). */
export function listEvents(stateDir: string): EventSummary[] {
  const states = replayJournal(path.join(path.resolve(stateDir), 'async-events', 'journal.jsonl'));
  return [...states.values()].map((s: EventState) => ({
    requestId: s.id,
    functionName: s.functionName,
    qualifier: s.qualifier,
    status: s.status,
    attempts: s.attempts,
    condition: s.condition,
    errorType: s.errorType,
    acceptedAt: new Date(s.acceptedAt).toISOString(),
    finishedAt: s.finishedAt !== undefined ? new Date(s.finishedAt).toISOString() : undefined,
    destinations: s.destinations,
  }));
}
