// S3 bucket notifications to Lambda: an in-memory bucket whose object writes and deletes send S3's event records
// (eventVersion 2.1, key form-encoded) to every notification configuration whose event type and prefix/suffix
// filter match, as an asynchronous invoke by s3.amazonaws.com. A configuration whose function does not grant S3
// the invoke is refused, as S3 refuses to save it ("Unable to validate the following destination configurations").
import * as crypto from 'crypto';
import { describeFunction, PushContext, PushSource } from './push-source';
import { BucketNotificationModel } from '../../../model/triggers-push';
import { evaluateInvokePolicy } from '../../invoke-api/resource-policy';

/** An object as the bucket holds it. */
export interface StoredObject {
  readonly key: string;
  readonly body: Buffer;
  readonly eTag: string;
  readonly lastModified: number;
}

let sequence = 0;

/** S3's `object.key` in event records: URL-encoded, spaces as `+`, slashes kept. */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+')
    .replace(/[!'()]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** Whether a configured event type (`s3:ObjectCreated:*`, `s3:ObjectCreated:Put`) covers an event name (`ObjectCreated:Put`). */
export function s3EventTypeMatches(configured: string, eventName: string): boolean {
  const type = configured.replace(/^s3:/, '');
  if (type.endsWith(':*')) return eventName.startsWith(type.slice(0, -1));
  return type === eventName;
}

export class EmulatedBucket extends PushSource {
  private readonly objects = new Map<string, StoredObject>();
  /** Why S3 would refuse each configuration (by configuration id), when it would. */
  private readonly refused = new Map<string, string>();

  constructor(
    public readonly bucketName: string,
    public readonly arn: string,
    public readonly refs: readonly string[],
    private readonly notifications: readonly BucketNotificationModel[],
    ctx: PushContext,
  ) {
    super(`S3 ${refs[0] ?? bucketName}`, ctx);
    for (const n of notifications) {
      if (!n.function) continue;
      const decision = evaluateInvokePolicy(n.function, {
        caller: { principal: 's3.amazonaws.com', sourceArn: this.arn, sourceAccount: n.function.accountId },
        action: 'lambda:InvokeFunction',
      });
      if (!decision.allowed) {
        const why = `S3 refuses the notification configuration ${n.where} of bucket ${bucketName} ("Unable to validate the following ` +
          `destination configurations"): ${decision.reason}. To fix it: give function ${describeFunction(n.function)} an ` +
          `AWS::Lambda::Permission for principal s3.amazonaws.com with SourceArn ${this.arn} (CDK's bucket.addEventNotification adds it)`;
        this.refused.set(n.configurationId, why);
        ctx.warn(why);
      }
    }
  }

  /** The configurations of this bucket (for `list`). */
  public configurations(): readonly BucketNotificationModel[] {
    return this.notifications;
  }

  /** Why S3 refused a configuration, if it did. */
  public refusal(configurationId: string): string | undefined {
    return this.refused.get(configurationId);
  }

  public keys(): string[] {
    return [...this.objects.keys()].sort();
  }

  public get(key: string): StoredObject | undefined {
    return this.objects.get(key);
  }

  /** Stores an object and notifies (`ObjectCreated:Put`, or `:Copy`/`:Post`/`:CompleteMultipartUpload` when told). */
  public putObject(key: string, body: Buffer, eventName: string = 'ObjectCreated:Put'): StoredObject {
    if (!key) throw new Error(`PutObject on bucket ${this.bucketName}: the key must not be empty`);
    if (!eventName.startsWith('ObjectCreated:')) throw new Error(`Not an ObjectCreated event: ${eventName}`);
    const object: StoredObject = { key, body, eTag: crypto.createHash('md5').update(body).digest('hex'), lastModified: this.now() };
    this.objects.set(key, object);
    this.notify(eventName, key, { size: body.length, eTag: object.eTag });
    return object;
  }

  /** Removes an object (S3 answers a delete of a missing key with success, and notifies either way). */
  public deleteObject(key: string): void {
    this.objects.delete(key);
    this.notify('ObjectRemoved:Delete', key, undefined);
  }

  private notify(eventName: string, key: string, created: { size: number; eTag: string } | undefined): void {
    if (this.stopped) return;
    const encoded = encodeS3Key(key);
    const sequencer = (BigInt(this.now()) * 4096n + BigInt(sequence++ % 4096)).toString(16).toUpperCase().padStart(18, '0');
    for (const n of this.notifications) {
      if (!n.events.some((e) => s3EventTypeMatches(e, eventName))) continue;
      if (n.prefix !== undefined && !encoded.startsWith(n.prefix)) continue;
      if (n.suffix !== undefined && !encoded.endsWith(n.suffix)) continue;
      const functionName = n.function?.functionName ?? n.functionArn;
      const refusal = this.refused.get(n.configurationId);
      if (refusal) {
        this.ctx.record({ source: this.name, functionName, outcome: 'dropped', records: 1, at: this.now(), detail: refusal });
        continue;
      }
      const record = {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: this.ctx.region,
        eventTime: new Date(this.now()).toISOString(),
        eventName,
        userIdentity: { principalId: `AWS:${this.ctx.accountId}` },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: {
          'x-amz-request-id': crypto.randomBytes(8).toString('hex').toUpperCase(),
          'x-amz-id-2': crypto.randomBytes(48).toString('base64'),
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: n.configurationId,
          bucket: { name: this.bucketName, ownerIdentity: { principalId: this.ctx.accountId }, arn: this.arn },
          object: created ? { key: encoded, size: created.size, eTag: created.eTag, sequencer } : { key: encoded, sequencer },
        },
      };
      void this.invokeAsync({
        spec: n.function,
        targetArn: n.functionArn,
        payload: JSON.stringify({ Records: [record] }),
        caller: { principal: 's3.amazonaws.com', sourceArn: this.arn, sourceAccount: this.ctx.accountId },
        records: 1,
        grantHint: `give the function an AWS::Lambda::Permission for principal s3.amazonaws.com with SourceArn ${this.arn}`,
      });
    }
  }
}
