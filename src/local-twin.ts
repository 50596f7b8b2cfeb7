// LocalTwin: the programmatic entry to the local Lambda twin. It loads functions from a Stack, a cloud
// assembly or a template, and invokes them as native processes through the Lambda Runtime API.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Duration, Stack } from 'aws-cdk-lib';
import { FunctionRunner, RunnerResult } from './engine/function-runner';
import { AsyncEventQueue, functionKeyOf } from './engine/invoke-api/event-queue';
import { invokeFunction, InvokeRequest } from './engine/invoke-api/invoke-service';
import { driverFor, runnableFamiliesText } from './engine/runtimes';
import { hostInterpreter, InterpreterOverrides, requestedVersion, runtimeFamily } from './engine/runtimes/runtimes';
import { loadCloudAssembly } from './load/assembly-loader';
import { loadTemplateFile } from './load/template-file';
import { FunctionSpec } from './model/function-spec';

/** Options of a `LocalTwin`. */
export interface LocalTwinOptions {
  /**
   * Folder for code copies, each environment's /tmp and the log files (one a log stream).
   * @default a new temporary folder, removed by `shutdown()`
   */
  readonly stateDir?: string;
  /**
   * Most execution environments per function at once (a function's reserved concurrency wins when lower).
   * @default 10
   */
  readonly maxEnvironmentsPerFunction?: number;
  /**
   * Shut a warm environment down after this long without an invoke.
   * @default Duration.minutes(5)
   */
  readonly idleTimeout?: Duration;
  /**
   * Environment variables set on every function, over what the template says (also ones it does not declare).
   * @default none
   */
  readonly environment?: { [key: string]: string };
  /**
   * Per-function environment variables in SAM CLI's `--env-vars` format: `{ "<logical id or name>": { "KEY": "v" },
   * "Parameters": { "KEY": "v" } }` (Parameters apply to every function).
   * @default none
   */
  readonly environmentVariables?: any;
  /**
   * Template parameter values, over each parameter's Default.
   * @default none
   */
  readonly parameterOverrides?: { [key: string]: string };
  /**
   * The Python interpreter to run python functions with.
   * @default `python3.X` for runtime python3.X if the host has it, else `python3` (resolved past any shim)
   */
  readonly pythonInterpreter?: string;
  /**
   * The Node.js executable to run nodejs functions with.
   * @default the Node.js running lambda-twin
   */
  readonly nodeInterpreter?: string;
  /**
   * Fail an invoke when the host interpreter's version differs from the function's runtime (e.g. a python3.12
   * function on a python3.11 host), instead of warning.
   * @default false
   */
  readonly strictRuntimeVersions?: boolean;
  /**
   * Run each environment in a private mount namespace (own /tmp, read-only task root) when the host allows it.
   * @default false
   */
  readonly isolate?: boolean;
  /**
   * Region the functions run in (`AWS_REGION`), when the assembly does not say.
   * @default 'us-east-1'
   */
  readonly region?: string;
  /**
   * Account id used in ARNs, when the assembly does not say.
   * @default '123456789012'
   */
  readonly accountId?: string;
  /**
   * Print each invoke's logs (START/END/REPORT included) to stderr as it finishes.
   * @default false
   */
  readonly printLogs?: boolean;
  /**
   * Wait before retry n of an asynchronous (`Event`) invoke that failed: n × this (Lambda waits about 1, then 2
   * minutes; locally the default is short).
   * @default Duration.millis(100)
   */
  readonly asyncRetryDelay?: Duration;
}

/** One invocation request. */
export interface InvokeOptions {
  /**
   * The event: any JSON value (object, array, string, number, boolean or null).
   * @default {} when `payload` is not given either
   */
  readonly event?: any;
  /**
   * The raw payload (JSON text), sent as it is instead of `event`.
   * @default JSON of `event`
   */
  readonly payload?: string;
  /**
   * A version number or alias name; `function:qualifier` in the function reference works too.
   * @default $LATEST
   */
  readonly qualifier?: string;
  /**
   * Client context handed to the function (`context.client_context` / `context.clientContext`).
   * @default none
   */
  readonly clientContext?: any;
  /**
   * Fail with `TooManyRequestsException` instead of waiting when every environment of the function is busy.
   * @default false
   */
  readonly rejectWhenBusy?: boolean;
  /**
   * `RequestResponse` (run and return the result), `Event` (queue it: statusCode 202, retries and destinations
   * as Lambda; see `settleEvents()`), or `DryRun` (only check function, qualifier, permission and payload: 204).
   * @default 'RequestResponse'
   */
  readonly invocationType?: string;
  /**
   * Call as this principal: a service principal (`s3.amazonaws.com`), an account id, or an IAM ARN. The function's
   * resource-based policy (`AWS::Lambda::Permission`) must allow it, else the invoke fails with `AccessDeniedException`.
   * @default the function's own account (allowed)
   */
  readonly principal?: string;
  /**
   * The resource the principal acts for (`aws:SourceArn`), e.g. the S3 bucket or SNS topic ARN.
   * @default none
   */
  readonly sourceArn?: string;
  /**
   * The account owning that resource (`aws:SourceAccount`).
   * @default none
   */
  readonly sourceAccount?: string;
  /**
   * The caller's AWS Organizations id (`aws:PrincipalOrgID`), checked against `PrincipalOrgID` permissions.
   * @default none
   */
  readonly principalOrgId?: string;
}

/** The result of an invoke, in the shape of Lambda's Invoke response plus what the platform measured. */
export interface InvokeResult {
  /** HTTP status of the Invoke API: 200 for a synchronous invoke, also when the function failed. */
  readonly statusCode: number;
  /** The response parsed as JSON (`null` for a handler that returned nothing); the raw text if it is not JSON. */
  readonly payload: any;
  /** The response exactly as the function sent it. */
  readonly rawPayload: string;
  /** `Unhandled` when the function failed (`X-Amz-Function-Error`). */
  readonly functionError?: string;
  /** The error type when the function failed (`Runtime.ImportModuleError`, `Sandbox.Timedout`, `Error` …). */
  readonly errorType?: string;
  /** This invoke's log: INIT_START (when cold), the function's output, START/END/REPORT. */
  readonly logs: string;
  readonly requestId: string;
  /** The version that ran (`$LATEST`, or the version an alias points to). */
  readonly executedVersion: string;
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly maxMemoryUsedMb: number;
  /** Init duration, when this invoke started a new environment. */
  readonly initDurationMs?: number;
  readonly coldStart: boolean;
  readonly timedOut: boolean;
  /** The environment was thrown away after this invoke (timeout, crash, out of memory, init failure). */
  readonly reset: boolean;
  /**
   * `invokeWithResponseStream` only: how many pieces of the response arrived as the function streamed them (0 when
   * it did not stream). Pieces follow the transport, not the function's writes.
   * @default undefined for `invoke`
   */
  readonly streamedChunks?: number;
  /**
   * `invokeWithResponseStream` only: the error message of a failed invoke (`InvokeComplete.ErrorDetails`), since
   * `payload` there is what the function streamed before it failed.
   * @default undefined when the invoke succeeded, and for `invoke` (the error is in `payload`)
   */
  readonly errorDetails?: string;
}

/** A function the twin can run, with its resolved configuration. */
export interface FunctionSummary {
  readonly logicalId: string;
  readonly functionName: string;
  readonly stackName: string;
  readonly constructPath?: string;
  readonly runtime?: string;
  readonly handler?: string;
  readonly memorySize: number;
  readonly timeout: number;
  readonly architectures: string[];
  readonly environment: { [key: string]: string };
  /** Layer ids (logical ids of local layers, ARNs of remote ones), in order. */
  readonly layers: string[];
  /** Local path of the code (directory or zip). */
  readonly codePath?: string;
  /** What could not be resolved from the template. */
  readonly warnings: string[];
  /** What the template sets for the function that the twin does not emulate, each with what happens instead. */
  readonly unsupported: string[];
}

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
    const specs = loadCloudAssembly(assembly.directory, options).filter((s) => s.stackName === stack.stackName);
    return new LocalTwin(specs, options);
  }

  /** A twin of every function in a cloud assembly directory (`cdk.out`). */
  public static fromAssembly(directory: string, options: LocalTwinOptions = {}): LocalTwin {
    return new LocalTwin(loadCloudAssembly(path.resolve(directory), options), options);
  }

  /** A twin of the functions of a CloudFormation or SAM template (YAML or JSON) whose code is on disk. */
  public static fromTemplate(templateFile: string, options: LocalTwinOptions = {}): LocalTwin {
    return new LocalTwin(loadTemplateFile(path.resolve(templateFile), options), options);
  }

  private readonly runners = new Map<string, FunctionRunner>();
  private readonly stateDir: string;
  private readonly ownsStateDir: boolean;
  private readonly warned = new Set<string>();
  private eventQueue?: AsyncEventQueue;
  private closed = false;

  private constructor(private readonly specs: FunctionSpec[], private readonly options: LocalTwinOptions) {
    this.ownsStateDir = options.stateDir === undefined;
    this.stateDir = options.stateDir ? path.resolve(options.stateDir) : fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-twin-'));
  }

  /** The functions this twin can run. */
  public functions(): FunctionSummary[] {
    return this.specs.map((s) => ({
      logicalId: s.logicalId,
      functionName: s.functionName,
      stackName: s.stackName,
      constructPath: s.constructPath,
      runtime: s.runtime,
      handler: s.handler,
      memorySize: s.memorySize,
      timeout: s.timeout,
      architectures: s.architectures,
      environment: { ...s.environment, ...this.extraEnvironment(s) },
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
    // The same checks and paths as the Invoke API endpoint; errors carry Lambda's exception name in `code`.
    const outcome = await invokeFunction(this, this.invokeRequest(functionRef, options));
    if (outcome.result) return toInvokeResult(outcome.result);
    return this.invokeWithoutRun(outcome.statusCode, outcome.requestId, outcome.executedVersion);
  }

  /** The Invoke API request an `invoke` call stands for. */
  private invokeRequest(functionRef: string, options: InvokeOptions): InvokeRequest {
    const payload = options.payload !== undefined
      ? options.payload
      : JSON.stringify(options.event === undefined ? {} : options.event);
    return {
      functionName: functionRef,
      qualifier: options.qualifier,
      invocationType: options.invocationType,
      payload: Buffer.from(payload, 'utf8'),
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
  private invokeWithoutRun(statusCode: number, requestId: string | undefined, executedVersion: string): InvokeResult {
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

  /**
   * Invokes a function as `InvokeWithResponseStream` does: the payload is what the function streamed
   * (`awslambda.streamifyResponse`), collected in order, with `streamedChunks` saying how many pieces arrived; a
   * function that does not stream answers in one piece. A failure, also one after part of the response was
   * streamed, sets `functionError`, `errorType` and `errorDetails`. `invocationType` may be RequestResponse or DryRun.
   */
  public async invokeWithResponseStream(functionRef: string, options: InvokeOptions = {}): Promise<InvokeResult> {
    const chunks: Buffer[] = [];
    const outcome = await invokeFunction(this, {
      ...this.invokeRequest(functionRef, options),
      responseStreaming: true,
      onResponseChunk: (chunk) => chunks.push(chunk),
    });
    if (!outcome.result) return this.invokeWithoutRun(outcome.statusCode, outcome.requestId, outcome.executedVersion);
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
    await this.eventQueue?.settle();
  }

  /**
   * The records asynchronous invokes sent so far to a destination or dead-letter queue, by its ARN (Lambda's
   * destination record: `requestContext`, `requestPayload`, `responseContext`, `responsePayload`), oldest first.
   */
  public destinationRecords(destinationArn: string): any[] {
    return this._events().records(destinationArn);
  }

  /** @internal the journaled queue of asynchronous invokes (opened on first use, resuming what a previous run left) */
  public _events(): AsyncEventQueue {
    if (this.closed) throw new Error('This LocalTwin was shut down; create a new one to invoke functions');
    if (!this.eventQueue) {
      this.eventQueue = AsyncEventQueue.open({
        specFor: (key) => this.specs.find((s) => functionKeyOf(s) === key),
        runner: (spec) => this.runner(spec),
      }, {
        dir: path.join(this.stateDir, 'async-events'),
        retryDelayMs: this.options.asyncRetryDelay ? this.options.asyncRetryDelay.toMilliseconds() : 100,
        concurrencyPerFunction: 4,
      });
    }
    return this.eventQueue;
  }

  /** Shuts every environment down (SIGTERM, grace, SIGKILL) and removes the temporary state folder. */
  public async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.eventQueue?.close(); // lets running async attempts finish; queued events wait in the journal
    await Promise.all([...this.runners.values()].map((r) => r.shutdown()));
    this.runners.clear();
    if (this.ownsStateDir) fs.rmSync(this.stateDir, { recursive: true, force: true });
  }

  /** @internal the function specs, for the CLI and the Invoke API server */
  public _specs(): FunctionSpec[] {
    return this.specs;
  }

  /** @internal runs an invoke with the engine's full result (raw payload bytes, content type) */
  public _runner(spec: FunctionSpec): FunctionRunner {
    return this.runner(spec);
  }

  /**
   * @internal finds a function by construct id or path, logical id, function name or ARN, with an optional
   * `:qualifier`.
   */
  public _resolveFunction(functionRef: string, qualifier?: string): { spec: FunctionSpec; qualifier?: string } {
    return this.resolveFunction(functionRef, qualifier);
  }

  /** @internal the version a qualifier runs ("$LATEST", a version number, or an alias's target) */
  public _executedVersion(spec: FunctionSpec, qualifier?: string): string {
    return this.executedVersion(spec, qualifier);
  }

  private resolveFunction(functionRef: string, qualifier?: string): { spec: FunctionSpec; qualifier?: string } {
    let ref = functionRef;
    const arn = /^arn:aws[a-zA-Z-]*:lambda:[^:]*:[^:]*:function:(.+)$/.exec(ref) ?? /^\d{12}:function:(.+)$/.exec(ref);
    if (arn) ref = arn[1];
    let found = this.match(ref);
    if (found.length === 0 && ref.includes(':')) {
      const at = ref.lastIndexOf(':');
      const q = ref.slice(at + 1);
      found = this.match(ref.slice(0, at));
      if (found.length > 0) {
        if (qualifier !== undefined && qualifier !== q) {
          throw coded('InvalidParameterValueException', `The qualifier in '${functionRef}' and the Qualifier '${qualifier}' differ`);
        }
        qualifier = q;
      }
    }
    if (found.length === 0) {
      const names = this.specs.map((s) => s.constructId ?? s.logicalId).join(', ') || '(none)';
      // Lambda names the function by its full ARN; the list of what there is comes after, to help find a typo.
      const region = this.specs[0]?.region ?? this.options.region ?? 'us-east-1';
      const account = this.specs[0]?.accountId ?? this.options.accountId ?? '123456789012';
      const missingArn = functionRef.startsWith('arn:') ? functionRef : `arn:aws:lambda:${region}:${account}:function:${functionRef}`;
      throw coded('ResourceNotFoundException', `Function not found: ${missingArn}. Functions in this app: ${names}`);
    }
    if (found.length > 1) {
      throw coded('InvalidParameterValueException', `'${functionRef}' matches ${found.length} functions (${found.map((s) => s.constructPath ?? s.logicalId).join(', ')}); use the construct path or the function name`);
    }
    return { spec: found[0], qualifier };
  }

  private match(ref: string): FunctionSpec[] {
    const tiers: Array<(s: FunctionSpec) => boolean> = [
      (s) => s.functionName === ref,
      (s) => s.logicalId === ref,
      (s) => s.constructPath === ref || s.constructPath === `${ref}/Resource`,
      (s) => s.constructId === ref,
      (s) => s.constructPath?.endsWith(`/${ref}/Resource`) === true || s.constructPath?.endsWith(`/${ref}`) === true,
    ];
    for (const tier of tiers) {
      const found = this.specs.filter(tier);
      if (found.length > 0) return found;
    }
    return [];
  }

  private executedVersion(spec: FunctionSpec, qualifier?: string): string {
    if (qualifier === undefined || qualifier === '$LATEST') return '$LATEST';
    const version = spec.versions.find((v) => v.version === qualifier);
    if (version) return version.version;
    const alias = spec.aliases.find((a) => a.name === qualifier);
    if (alias) return alias.functionVersion;
    const known = ['$LATEST', ...spec.versions.map((v) => v.version), ...spec.aliases.map((a) => a.name)].join(', ');
    throw coded('ResourceNotFoundException', `Function not found: arn:aws:lambda:${spec.region}:${spec.accountId}:function:${spec.functionName}:${qualifier} (known qualifiers: ${known})`);
  }

  private runner(spec: FunctionSpec): FunctionRunner {
    if (this.closed) throw new Error('This LocalTwin was shut down; create a new one to invoke functions');
    let runner = this.runners.get(spec.logicalId + '\0' + spec.stackName);
    if (runner) return runner;
    this.checkRuntime(spec);
    const safeName = spec.functionName.replace(/[^A-Za-z0-9_.-]/g, '_');
    runner = new FunctionRunner(spec, {
      stateDir: path.join(this.stateDir, safeName + '-' + crypto.createHash('sha1').update(spec.stackName + spec.logicalId).digest('hex').slice(0, 6)),
      interpreters: this.interpreters(),
      environmentOverrides: this.extraEnvironment(spec),
      maxEnvironments: this.options.maxEnvironmentsPerFunction ?? 10,
      idleTimeoutMs: this.options.idleTimeout ? this.options.idleTimeout.toMilliseconds() : 5 * 60_000,
      isolate: this.options.isolate,
      onLog: this.options.printLogs ? (_name, text) => process.stderr.write(text) : undefined,
    });
    this.runners.set(spec.logicalId + '\0' + spec.stackName, runner);
    return runner;
  }

  private interpreters(): InterpreterOverrides {
    return { python: this.options.pythonInterpreter ?? process.env.LAMBDA_TWIN_PYTHON, node: this.options.nodeInterpreter };
  }

  private checkRuntime(spec: FunctionSpec): void {
    const family = runtimeFamily(spec.runtime);
    if (spec.packageType === 'Image') {
      throw coded('InvalidRuntimeException', `Function ${spec.functionName} is a container image function; lambda-twin runs zip functions only (no Docker)`);
    }
    const driver = driverFor(spec.runtime);
    if (!driver) {
      throw coded('InvalidRuntimeException', `Function ${spec.functionName} uses runtime '${spec.runtime}', which lambda-twin cannot run locally yet (${runnableFamiliesText()} runtimes can)`);
    }
    if (!driver.interpreted) return;
    const wanted = requestedVersion(spec.runtime!);
    const host = hostInterpreter(spec.runtime!, this.interpreters());
    if (wanted && wanted !== host.version && !this.warned.has(spec.runtime!)) {
      const message = `Function ${spec.functionName} uses ${spec.runtime}, but the host's interpreter is ${family} ${host.version} (${host.executable})`;
      if (this.options.strictRuntimeVersions) {
        throw coded('InvalidRuntimeException', `${message}. Install a matching interpreter or set ${driver.interpreterSetting}.`);
      }
      this.warned.add(spec.runtime!);
      process.emitWarning(`${message}; running it anyway (set strictRuntimeVersions to make this an error)`, { code: 'LAMBDA_TWIN_RUNTIME_MISMATCH' });
    }
  }

  private extraEnvironment(spec: FunctionSpec): Record<string, string> {
    const perFunction = this.options.environmentVariables ?? {};
    const pick = (o: any): Record<string, string> => (o && typeof o === 'object'
      ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)])) : {});
    return {
      ...pick(perFunction.Parameters),
      ...(this.options.environment ?? {}),
      ...pick(perFunction[spec.logicalId]),
      ...pick(perFunction[spec.functionName]),
      ...(spec.constructId ? pick(perFunction[spec.constructId]) : {}),
    };
  }
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

function coded(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}
