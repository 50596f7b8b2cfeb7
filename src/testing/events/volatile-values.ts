// Ids, timestamps and ARN parts for the event fixtures. Every random-looking value derives from one seed,
// so a caller who fixes the event's id and time gets the same event every time.
import { createHash, randomUUID } from 'crypto';

/** The account fixtures use when the caller names none. */
export const DEFAULT_ACCOUNT = '123456789012';
/** The region fixtures use when the caller names none. */
export const DEFAULT_REGION = 'us-east-1';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Derives stable pseudo-random values from a seed: the same seed and label always give the same value,
 * different labels give unrelated values.
 */
export class SeededValues {
  /** Seeds from the caller's id when given, otherwise from a fresh UUID. */
  static fromId(id: string | undefined): SeededValues {
    return new SeededValues(id ?? randomUUID());
  }

  constructor(public readonly seed: string) {}

  /** Lowercase hex of the given length. */
  hex(label: string, length: number): string {
    let out = '';
    for (let block = 0; out.length < length; block++) {
      out += createHash('sha256').update(`${this.seed}\u0000${label}\u0000${block}`).digest('hex');
    }
    return out.slice(0, length);
  }

  /** A version-4 shaped UUID. */
  uuid(label: string): string {
    const h = this.hex(label, 32).split('');
    h[12] = '4';
    h[16] = '89ab'[parseInt(h[16], 16) % 4];
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
  }

  /** Decimal digits of the given length, never starting with 0. */
  digits(label: string, length: number): string {
    const bytes = Buffer.from(this.hex(label, length * 2), 'hex');
    return Array.from(bytes, (b, i) => String(i === 0 ? 1 + (b % 9) : b % 10)).join('');
  }

  /** Letters and digits of the given length. */
  alphanumeric(label: string, length: number): string {
    const bytes = Buffer.from(this.hex(label, length * 2), 'hex');
    return Array.from(bytes, (b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
  }

  /** Base64 of `byteCount` derived bytes. */
  base64(label: string, byteCount: number): string {
    return Buffer.from(this.hex(label, byteCount * 2), 'hex').toString('base64');
  }
}

/** The event time: the caller's ISO 8601 string, or now. Rejects strings that are not dates. */
export function eventTime(time: string | undefined): Date {
  if (time === undefined) {
    return new Date();
  }
  const parsed = new Date(time);
  if (Number.isNaN(parsed.getTime())) {
    throw new Error(`Invalid time '${time}': expected an ISO 8601 timestamp such as 2024-01-31T12:00:00Z`);
  }
  return parsed;
}

/** ISO 8601 without milliseconds, as EventBridge writes it: `2024-01-31T12:00:00Z`. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The access-log time API Gateway and function URLs write: `31/Jan/2024:12:00:00 +0000`. */
export function clfTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:`
    + `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/** Hex MD5 of a UTF-8 string or bytes. */
export function md5Hex(data: string | Buffer): string {
  return createHash('md5').update(data).digest('hex');
}
