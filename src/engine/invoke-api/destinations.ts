// Local stand-ins for asynchronous-invoke destinations and dead-letter queues: each destination ARN is a file of
// JSON lines under the state folder, holding the records Lambda would send there, so tests and people can read them.
import * as fs from 'fs';
import * as path from 'path';

/** The record Lambda sends to an OnSuccess / OnFailure destination. */
export interface DestinationRecord {
  readonly version: '1.0';
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    /** `Success`, `RetriesExhausted` or `EventAgeExceeded`. */
    readonly condition: string;
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: unknown;
  readonly responseContext?: { readonly statusCode: number; readonly executedVersion: string; readonly functionError?: string };
  readonly responsePayload?: unknown;
}

/** What a dead-letter queue (SQS or SNS) receives: the original event with the error in message attributes. */
export interface DeadLetterRecord {
  readonly timestamp: string;
  readonly body: string;
  readonly messageAttributes: { readonly RequestID: string; readonly ErrorCode: string; readonly ErrorMessage: string };
}

/** The file that stands in for destination `arn` under `dir`. */
export function destinationFile(dir: string, arn: string): string {
  return path.join(dir, arn.replace(/[^A-Za-z0-9._-]+/g, '_') + '.jsonl');
}

/** Appends a record to a destination's file and waits until it is on disk. */
export function appendRecord(dir: string, arn: string, record: DestinationRecord | DeadLetterRecord): void {
  fs.mkdirSync(dir, { recursive: true });
  const fd = fs.openSync(destinationFile(dir, arn), 'a');
  try {
    fs.writeSync(fd, JSON.stringify(record) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Every record sent to destination `arn` so far, oldest first (an empty list when none). */
export function readRecords(dir: string, arn: string): any[] {
  let text: string;
  try {
    text = fs.readFileSync(destinationFile(dir, arn), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const records: any[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line));
    } catch {
      // a torn last line from a crash: its event was redelivered after the restart
    }
  }
  return records;
}

/** Whether destination `arn` already holds the record of request `requestId` (redelivery after a crash). */
export function hasRecordFor(dir: string, arn: string, requestId: string): boolean {
  return readRecords(dir, arn).some((r) => r?.requestContext?.requestId === requestId || r?.messageAttributes?.RequestID === requestId);
}

/** A JSON text parsed when it is JSON, else kept as the string (Lambda's payload fields are JSON values). */
export function jsonOrText(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
