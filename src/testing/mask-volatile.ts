// Masks the values that change on every synth or invoke (asset hashes, request ids, timestamps, durations),
// so snapshots of templates, events and logs change only when behaviour does.

export const ASSET_HASH_MASK = '[ASSET HASH]';
export const VERSION_HASH_MASK = '[VERSION HASH]';
export const REQUEST_ID_MASK = '[REQUEST ID]';
export const TIMESTAMP_MASK = '[TIMESTAMP]';
export const DURATION_MASK = '[DURATION]';
export const MEMORY_MASK = '[MEMORY]';

/** Fields whose values are measured per invoke, by name. */
const DURATION_FIELDS = new Set(['durationms', 'billeddurationms', 'initdurationms', 'restoredurationms']);
const MEMORY_FIELDS = new Set(['maxmemoryusedmb']);

// Epoch milliseconds between 2001-09-09 and 2096-10-02: "near now" without reading the clock, so masking is
// the same on every run. Smaller numbers (sizes, counts, memory) are never mistaken for times.
const EPOCH_MS_MIN = 1_000_000_000_000;
const EPOCH_MS_MAX = 4_000_000_000_000;

/** String rewrites, applied in order. Each output no longer matches its own pattern, so masking is idempotent. */
const STRING_MASKS: ReadonlyArray<readonly [RegExp, string]> = [
  // Legacy-synthesizer parameters: AssetParameters<hash>S3Bucket<8-hex logical-id suffix>.
  [/AssetParameters[0-9a-f]{64}(S3Bucket|S3VersionKey|ArtifactHash)[0-9A-F]{8}/g, `AssetParameters${ASSET_HASH_MASK}$1`],
  // Asset hashes wherever they appear: `<hash>.zip` keys, `asset.<hash>` paths, Fn::Sub bucket/key strings.
  [/(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])/g, ASSET_HASH_MASK],
  // `fn.currentVersion` logical ids carry an MD5 of the function configuration, including its code hash.
  [/CurrentVersion[0-9A-F]{8}[0-9a-f]{32}/g, `CurrentVersion${VERSION_HASH_MASK}`],
  [/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g, REQUEST_ID_MASK],
  [/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/g, TIMESTAMP_MASK],
  // API Gateway / function URL request time: 31/Jan/2024:12:00:00 +0000.
  [/\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}/g, TIMESTAMP_MASK],
  // REPORT lines: Duration, Billed Duration, Init Duration, Restore Duration; Max Memory Used.
  [/((?:Billed |Init |Restore )?Duration: )\d+(\.\d+)?( ms)/g, `$1${DURATION_MASK}$3`],
  [/(Max Memory Used: )\d+( MB)/g, `$1${MEMORY_MASK}$2`],
];

/** Masks the volatile parts of one string. */
export function maskString(text: string): string {
  const masked = STRING_MASKS.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), text);
  // Epoch milliseconds written out, as in SQS `SentTimestamp` or a logged event: 13 digits standing alone.
  return masked.replace(/(?<![\d.])\d{13}(?![\d.])/g, (digits) => isEpochMillis(Number(digits)) ? TIMESTAMP_MASK : digits);
}

/**
 * A deep copy of `value` with volatile values masked: asset hashes, request ids (UUIDs), ISO and epoch-ms
 * timestamps, and invoke durations and memory in REPORT lines and in `durationMs`-style fields. Object keys
 * are masked too. Deterministic and idempotent: masking a masked value changes nothing.
 */
export function maskVolatile(value: any): any {
  return maskValue(value, undefined, new Map());
}

function maskValue(value: unknown, fieldName: string | undefined, seen: Map<object, unknown>): unknown {
  const field = fieldName?.toLowerCase();
  if (field !== undefined && DURATION_FIELDS.has(field) && (typeof value === 'number' || typeof value === 'string')) {
    return DURATION_MASK;
  }
  if (field !== undefined && MEMORY_FIELDS.has(field) && (typeof value === 'number' || typeof value === 'string')) {
    return MEMORY_MASK;
  }
  if (typeof value === 'string') {
    return maskString(value);
  }
  if (typeof value === 'number') {
    return isEpochMillis(value) ? TIMESTAMP_MASK : value;
  }
  if (value instanceof Date) {
    return TIMESTAMP_MASK;
  }
  if (Array.isArray(value)) {
    if (seen.has(value)) return seen.get(value);
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(maskValue(item, undefined, seen));
    return copy;
  }
  if (isPlainObject(value)) {
    if (seen.has(value)) return seen.get(value);
    const copy: Record<string, unknown> = {};
    seen.set(value, copy);
    for (const [key, item] of Object.entries(value)) {
      copy[maskString(key)] = maskValue(item, key, seen);
    }
    return copy;
  }
  // Functions, Maps, class instances and the like are left as they are.
  return value;
}

export function isEpochMillis(value: number): boolean {
  return Number.isInteger(value) && value >= EPOCH_MS_MIN && value <= EPOCH_MS_MAX;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
