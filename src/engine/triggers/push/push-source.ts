// What the S3, SNS, EventBridge and schedule sources share: the hub's context, the tracking of in-flight deliveries
// (so `settle()` can wait for them) and the asynchronous invoke as the source's service principal, through the
// core's Invoke path, so the function's resource-based policy decides as it does in AWS.
import * as crypto from 'crypto';
import { FunctionSpec, functionArn } from '../../../model/function-spec';
import { CallerIdentity } from '../../invoke-api/resource-policy';
import type { TwinCore } from '../../twin';
import { TriggerDelivery, TriggerSource } from '../source';
import { TriggerClock } from '../trigger-clock';

/** A delivery as the hub keeps it: with the async invoke's request id, so its final outcome can be looked up. */
export interface PushDelivery extends TriggerDelivery {
  readonly requestId?: string;
  /** When it happened, on the trigger clock (epoch ms). */
  readonly at: number;
}

/** Options of a delivery to an emulated target that is not a function. */
export interface DeliverOptions {
  /** Message attributes (SQS/SNS targets: String values). */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Event bus targets: the event's source and detail-type. */
  readonly source?: string;
  readonly detailType?: string;
}

/** What the hub gives each push source. */
export interface PushContext {
  readonly core: TwinCore;
  readonly clock: TriggerClock;
  readonly region: string;
  readonly accountId: string;
  /** Sends a message/event to an emulated target (queue, topic, bus, function); false when there is none. */
  deliverTo(arn: string, body: string, options?: DeliverOptions): boolean;
  record(delivery: PushDelivery): void;
  /** Says something the user should know once (a refused configuration, a bad filter). */
  warn(message: string): void;
}

export interface AsyncInvokeInput {
  readonly spec?: FunctionSpec;
  /** The target ARN as configured (may carry a qualifier). */
  readonly targetArn: string;
  readonly payload: string;
  readonly caller: CallerIdentity;
  readonly records: number;
  /** How to grant the missing permission (which construct or resource), for a denied invoke. */
  readonly grantHint: string;
  /** Called when the invoke is refused (denied, unknown function) with the error code and message. */
  readonly onRefused?: (code: string, message: string) => void;
}

export abstract class PushSource implements TriggerSource {
  private readonly inFlight = new Set<Promise<unknown>>();
  protected stopped = false;

  constructor(public readonly name: string, protected readonly ctx: PushContext) {}

  public start(): void {}

  public busy(): boolean {
    return this.inFlight.size > 0;
  }

  public async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  public async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  /** Keeps `work` among the in-flight deliveries until it settles. */
  protected track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  protected now(): number {
    return this.ctx.clock.now();
  }

  /** Queues an asynchronous invoke of the target as the source's service; records the delivery either way. */
  protected invokeAsync(input: AsyncInvokeInput): Promise<boolean> {
    const functionName = input.spec?.functionName ?? input.targetArn;
    if (!input.spec) {
      // Not a function of this app: maybe another emulated target (a queue, a topic …).
      const delivered = this.ctx.deliverTo(input.targetArn, input.payload);
      this.ctx.record({
        source: this.name,
        functionName,
        records: input.records,
        at: this.now(),
        outcome: delivered ? 'ok' : 'dropped',
        detail: delivered ? `delivered to ${input.targetArn}` : `${input.targetArn} is not a function or target of this app; nothing received it`,
      });
      return Promise.resolve(delivered);
    }
    const spec = input.spec;
    return this.track((async () => {
      try {
        const outcome = await this.ctx.core.invoke({
          functionName: input.targetArn.startsWith('arn:') ? input.targetArn : functionArn(spec),
          invocationType: 'Event',
          payload: Buffer.from(input.payload, 'utf8'),
          caller: input.caller,
        });
        this.ctx.record({
          source: this.name,
          functionName,
          records: input.records,
          at: this.now(),
          outcome: 'queued',
          requestId: outcome.requestId,
          detail: `queued as asynchronous invoke ${outcome.requestId}`,
        });
        return true;
      } catch (err) {
        const e = err as Error & { code?: string };
        const code = e.code ?? (e.name || 'Error');
        const message = code === 'AccessDeniedException' ? `${e.message}. To fix it: ${input.grantHint}` : e.message;
        this.ctx.record({ source: this.name, functionName, records: input.records, at: this.now(), outcome: 'dropped', detail: `${code}: ${message}` });
        input.onRefused?.(code, message);
        return false;
      }
    })());
  }
}

/** The function a construct path or logical id names, for hints. */
export function describeFunction(spec: FunctionSpec): string {
  return spec.constructPath ? `${spec.constructPath} (${spec.logicalId})` : `${spec.logicalId} in stack ${spec.stackName}`;
}

/** A new random id in UUID form. */
export function newId(): string {
  return crypto.randomUUID();
}
