// S3 event notifications (`ObjectCreated:Put`, `ObjectRemoved:Delete`) shaped as S3 delivers them to Lambda.
import { EventFixtureOptions } from './fixture-options';
import { DEFAULT_REGION, SeededValues, eventTime } from './volatile-values';

/**
 * Options for S3 object notifications.
 */
export interface S3EventOptions extends EventFixtureOptions {
  /**
   * The bucket name.
   * @default 'example-bucket'
   */
  readonly bucket?: string;

  /**
   * The object key, unencoded. The event carries it URL-encoded as S3 does (a space becomes `+`).
   * @default 'test/key'
   */
  readonly key?: string;

  /**
   * The object size in bytes. Put events only.
   * @default 1024
   */
  readonly size?: number;

  /**
   * The object's ETag. Put events only.
   * @default - derived from the request id
   */
  readonly eTag?: string;

  /**
   * The object version, for versioned buckets.
   * @default - no versionId field
   */
  readonly versionId?: string;

  /**
   * The S3 request id (`x-amz-request-id`). Fix it (with `time`) for a deterministic event; all other ids derive from it.
   * @default - a fresh id
   */
  readonly requestId?: string;

  /**
   * The notification configuration id.
   * @default 'testConfigRule'
   */
  readonly configurationId?: string;
}

/** An `ObjectCreated:Put` notification. */
export function s3PutEvent(options: S3EventOptions = {}): any {
  return s3Event('ObjectCreated:Put', options);
}

/** An `ObjectRemoved:Delete` notification. */
export function s3DeleteEvent(options: S3EventOptions = {}): any {
  return s3Event('ObjectRemoved:Delete', options);
}

function s3Event(eventName: string, options: S3EventOptions): any {
  const ids = SeededValues.fromId(options.requestId);
  const requestId = options.requestId ?? ids.hex('request-id', 16).toUpperCase();
  const bucket = options.bucket ?? 'example-bucket';
  const isPut = eventName.startsWith('ObjectCreated');
  const object: Record<string, unknown> = { key: encodeS3Key(options.key ?? 'test/key') };
  if (isPut) {
    object.size = options.size ?? 1024;
    object.eTag = options.eTag ?? ids.hex('etag', 32);
  }
  if (options.versionId !== undefined) {
    object.versionId = options.versionId;
  }
  object.sequencer = ids.hex('sequencer', 18).toUpperCase();

  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: options.region ?? DEFAULT_REGION,
        eventTime: eventTime(options.time).toISOString(),
        eventName,
        userIdentity: { principalId: `AWS:AIDA${ids.alphanumeric('principal', 17).toUpperCase()}` },
        requestParameters: { sourceIPAddress: '198.51.100.10' },
        responseElements: {
          'x-amz-request-id': requestId,
          'x-amz-id-2': ids.base64('id-2', 57),
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: options.configurationId ?? 'testConfigRule',
          bucket: {
            name: bucket,
            ownerIdentity: { principalId: ids.alphanumeric('owner', 14).toUpperCase() },
            arn: `arn:aws:s3:::${bucket}`,
          },
          object,
        },
      },
    ],
  };
}

/**
 * Encodes a key the way S3 notifications do (HTML form encoding): a space becomes `+`, `/` and the
 * unreserved characters `A-Z a-z 0-9 . - _ *` stay, everything else is percent-encoded UTF-8.
 */
export function encodeS3Key(key: string): string {
  return Array.from(Buffer.from(key, 'utf8'), (byte) => {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-_*/]/.test(c)) return c;
    if (c === ' ') return '+';
    return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}
