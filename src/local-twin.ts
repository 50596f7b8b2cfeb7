// LocalTwin: the programmatic entry to the local Lambda twin, a thin jsii façade over the engine core
// (src/engine/twin.ts). It loads functions from a Stack, a cloud assembly or a template, turns its options into
// the core's, and turns the core's results into `InvokeResult`s.
import * as path from 'path';
import type { Stack } from 'aws-cdk-lib';
import { attachCore } from './core-of';
import type { RunnerResult } from './engine/function-runner';
import type { InvokeRequest } from './engine/invoke-api/invoke-service';
import { TwinCore } from './engine/twin';
import { loadCloudAssemblyApp } from './load/assembly-loader';
import { loadTemplateFileApp } from './load/template-file';
import { FunctionSummary, InvokeOptions, InvokeResult, LocalTwinOptions } from './local-twin-api';
import type { AppModel } from './model/app-model';
import { forwardDestinationsOf, hubOf } from './trigger-hub-of';
import { apiUrl, configureHttpAuth, fetchApi, FetchOptions, FetchResponse } from './twin-http';
import { TwinBucket, TwinClock, TwinEventBus, TwinQueue, TwinStream, TwinTopic, TwinTriggerDelivery } from './twin-triggers';

export * from './local-twin-api';
export * from './twin-triggers';

/**
 * A local twin of the Lambda service for a set of functions. Invokes run the real Runtime API protocol
 * against native processes, with warm reuse, freezing between invokes, timeouts and memory limits.
 */
export class LocalTwin {
  /** A twin of a Stack's functions (synthesizes the stack's app once). */
  public static fromStack(stack: Stack, options: LocalTwinOptions = {}): LocalTwin {
    // aws-cdk-lib is loaded only here, so the CLI and the Invoke API start fast.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Stage } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
    const stage = Stage.of(stack);
    if (!stage) throw new Error(`Stack ${stack.node.path} is not part of an App: create it inside \`new App()\``);
    const assembly = stage.synth();
    return new LocalTwin(loadCloudAssemblyApp(assembly.directory, options, stack.stackName), options);
  }

  /** A twin of every function in a cloud assembly directory (`cdk.out`). */
  public static fromAssembly(directory: string, options: LocalTwinOptions = {}): LocalTwin {
    return new LocalTwin(loadCloudAssemblyApp(path.resolve(directory), options), options);
  }

  /** A twin of the functions of a CloudFormation or SAM template (YAML or JSON) whose code is on disk. */
  public static fromTemplate(templateFile: string, options: LocalTwinOptions = {}): LocalTwin {
    return new LocalTwin(loadTemplateFileApp(path.resolve(templateFile), options), options);
  }

  private readonly core: TwinCore;

  private constructor(app: AppModel, options: LocalTwinOptions) {
    this.core = new TwinCore(app, {
      ...options,
      idleTimeoutMs: options.idleTimeout?.toMilliseconds(),
      asyncRetryDelayMs: options.asyncRetryDelay?.toMilliseconds(),
    });
    attachCore(this, this.core);
    forwardDestinationsOf(this.core);
    configureHttpAuth(this.core, { jwks: options.jwks, accessKeyAccounts: options.accessKeyAccounts });
  }

  /** The functions this twin can run. */
  public functions(): FunctionSummary[] {
    return this.core.specs.map((s) => ({
      logicalId: s.logicalId,
      functionName: s.functionName,
      stackName: s.stackName,
      constructPath: s.constructPath,
      runtime: s.runtime,
      handler: s.handler,
      memorySize: s.memorySize,
      timeout: s.timeout,
      architectures: s.architectures,
      environment: { ...s.environment, ...this.core.extraEnvironment(s) },
      layers: s.layers.map((l) => l.id),
      codePath: s.codePath,
      warnings: s.warnings,
      unsupported: s.unsupported ?? [],
    }));
  }

  /**
   * Invokes a function (synchronously unless `invocationType` says otherwise) and returns its result; function
   * errors are in the result, not thrown. `functionRef` is the construct id or path, the logical id, or the
   * function name, optionally followed by `:qualifier`. Invoke API errors (unknown function, denied by the
   * resource-based policy, payload not JSON or too large …) are thrown with Lambda's exception name in `code`.
   */
  public async invoke(functionRef: string, options: InvokeOptions = {}): Promise<InvokeResult> {
    const outcome = await this.core.invoke(invokeRequest(functionRef, options));
    if (outcome.result) return toInvokeResult(outcome.result);
    return invokeWithoutRun(outcome.statusCode, outcome.requestId, outcome.executedVersion);
  }

  /**
   * Invokes a function as `InvokeWithResponseStream` does: the payload is what the function streamed
   * (`awslambda.streamifyResponse`), collected in order, with `streamedChunks` saying how many pieces arrived; a
   * function that does not stream answers in one piece. A failure, also one after part of the response was
   * streamed, sets `functionError`, `errorType` and `errorDetails`. `invocationType` may be RequestResponse or DryRun.
   */
  public async invokeWithResponseStream(functionRef: string, options: InvokeOptions = {}): Promise<InvokeResult> {
    const chunks: Buffer[] = [];
    const outcome = await this.core.invoke({
      ...invokeRequest(functionRef, options),
      responseStreaming: true,
      onResponseChunk: (chunk) => chunks.push(chunk),
    });
    if (!outcome.result) return invokeWithoutRun(outcome.statusCode, outcome.requestId, outcome.executedVersion);
    const r = outcome.result;
    const received = r.streamed ? Buffer.concat(chunks) : r.functionError ? Buffer.alloc(0) : r.payload;
    const streamed = toInvokeResult({ ...r, payload: received });
    let errorDetails: string | undefined;
    if (r.functionError) {
      const errorBody = r.payload.toString('utf8');
      try {
        errorDetails = String(JSON.parse(errorBody).errorMessage ?? errorBody);
      } catch {
        errorDetails = errorBody;
      }
    }
    return { ...streamed, streamedChunks: chunks.length, errorDetails };
  }

  /** Waits until every asynchronous (`Event`) invoke has finished: succeeded, or failed after its retries. */
  public async settleEvents(): Promise<void> {
    await this.core.settleEvents();
  }

  /**
   * The records asynchronous invokes sent so far to a destination or dead-letter queue, by its ARN (Lambda's
   * destination record: `requestContext`, `requestPayload`, `responseContext`, `responsePayload`), oldest first.
   */
  public destinationRecords(destinationArn: string): any[] {
    return this.core.events().records(destinationArn);
  }

  /**
   * Sends an HTTP request to one of the app's REST APIs, HTTP APIs or Function URLs, served locally as API Gateway
   * and Lambda serve them (a loopback server starts at first use). `apiRef` is the API's construct id or path or
   * logical id, or the function of a Function URL; `requestPath` is inside the stage (`/items/1`).
   */
  public fetch(apiRef: string, requestPath: string, options?: FetchOptions): Promise<FetchResponse> {
    return fetchApi(this.core, apiRef, requestPath, options);
  }

  /** The local base URL of an API (its first stage unless `stage` is given) or Function URL, for any HTTP client. */
  public apiUrl(apiRef: string, stage?: string): Promise<string> {
    return apiUrl(this.core, apiRef, stage);
  }

  /** An SQS queue of the app, by construct id or path, logical id, name, URL or ARN. */
  public queue(queueRef: string): TwinQueue {
    return TwinQueue._of(hubOf(this.core).queue(queueRef));
  }

  /** A Kinesis stream, or a DynamoDB table with a stream, of the app. */
  public stream(streamRef: string): TwinStream {
    return TwinStream._of(hubOf(this.core).stream(streamRef));
  }

  /** An S3 bucket of the app (or one its notifications name), by construct id or path, logical id, name or ARN. */
  public bucket(bucketRef: string): TwinBucket {
    return TwinBucket._of(hubOf(this.core).bucket(bucketRef));
  }

  /** An SNS topic of the app, by construct id or path, logical id, name or ARN. */
  public topic(topicRef: string): TwinTopic {
    return TwinTopic._of(hubOf(this.core).topic(topicRef));
  }

  /** An EventBridge event bus: the account's default bus unless a name, ARN or logical id is given. */
  public eventBus(busRef?: string): TwinEventBus {
    return TwinEventBus._of(hubOf(this.core).eventBus(busRef));
  }

  /** The clock the triggers run on (virtual: schedules fire when `clock.advance(…)` reaches them). */
  public get clock(): TwinClock {
    return TwinClock._of(hubOf(this.core), hubOf(this.core).isVirtual);
  }

  /**
   * Resolves when every trigger is idle and every asynchronous invoke has finished, moving the virtual clock over
   * internal waits (visibility timeouts, batching windows), never to a schedule.
   */
  public async settle(): Promise<void> {
    await hubOf(this.core).settle();
  }

  /** Every delivery of a trigger so far, oldest first, with the final outcome of those that finished. */
  public triggerDeliveries(): TwinTriggerDelivery[] {
    return hubOf(this.core).deliveries();
  }

  /**
   * What is wrong with the app's trigger configuration as AWS would see it (a notification S3 refuses, a filter
   * policy or pattern that is not valid, a schedule expression that cannot be parsed), each saying where and how to fix it.
   */
  public triggerWarnings(): string[] {
    return [...hubOf(this.core).warnings];
  }

  /** Shuts every environment down (SIGTERM, grace, SIGKILL) and removes the temporary state folder. */
  public async shutdown(): Promise<void> {
    await this.core.shutdown();
  }
}

/** The Invoke API request an `invoke` call stands for. */
function invokeRequest(functionRef: string, options: InvokeOptions): InvokeRequest {
  const payload = options.payload !== undefined
    ? options.payload
    : JSON.stringify(options.event === undefined ? {} : options.event);
  return {
    functionName: functionRef,
    qualifier: options.qualifier,
    invocationType: options.invocationType,
    payload: Buffer.from(payload, 'utf8'),
    payloadIsJson: options.payload === undefined,
    clientContext: options.clientContext !== undefined ? JSON.stringify(options.clientContext) : undefined,
    rejectWhenBusy: options.rejectWhenBusy ?? false,
    caller: {
      principal: options.principal,
      sourceArn: options.sourceArn,
      sourceAccount: options.sourceAccount,
      principalOrgId: options.principalOrgId,
    },
  };
}

/** The result of an invoke that ran nothing (yet): Event (202) and DryRun (204). */
function invokeWithoutRun(statusCode: number, requestId: string | undefined, executedVersion: string): InvokeResult {
  return {
    statusCode,
    payload: null,
    rawPayload: '',
    logs: '',
    requestId: requestId ?? '',
    executedVersion,
    durationMs: 0,
    billedDurationMs: 0,
    maxMemoryUsedMb: 0,
    coldStart: false,
    timedOut: false,
    reset: false,
  };
}

function toInvokeResult(r: RunnerResult): InvokeResult {
  const rawPayload = r.payload.toString('utf8');
  let payload: any = rawPayload;
  try {
    payload = JSON.parse(rawPayload);
  } catch {
    // not JSON (bytes returned by a Python handler, a provided runtime's text): the raw text stands
  }
  return {
    statusCode: 200,
    payload,
    rawPayload,
    functionError: r.functionError,
    errorType: r.errorType,
    logs: r.logs,
    requestId: r.requestId,
    executedVersion: r.executedVersion,
    durationMs: r.durationMs,
    billedDurationMs: r.billedDurationMs,
    maxMemoryUsedMb: r.maxMemoryUsedMb,
    initDurationMs: r.initDurationMs,
    coldStart: r.coldStart,
    timedOut: r.timedOut,
    reset: r.reset,
  };
}
