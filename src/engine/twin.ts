// The engine core of the local twin: it owns a set of function specs, resolves function references (name, ARN,
// logical id, construct path, `:qualifier`) once and caches the answer, keeps one runner per function, applies the
// runtime-support policy (what runs, version-mismatch warnings once per function per process) and holds the
// journaled queue of asynchronous invokes. The façades (LocalTwin, the Invoke API server, the CLI) sit on top of it.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FunctionRunner } from './function-runner';
import { howToGetInterpreter } from '../host/interpreter-discovery';
import { DeadLetterRecord, DestinationRecord } from './invoke-api/destinations';
import { EventState } from './invoke-api/event-journal';
import { AsyncEventQueue, functionKeyOf } from './invoke-api/event-queue';
import { invokeFunction, InvokeOutcome, InvokeRequest } from './invoke-api/invoke-service';
import { driverFor, runnableFamiliesText } from './runtimes';
import { hostInterpreter, InterpreterOverrides, requestedVersion, runtimeFamily } from './runtimes/runtimes';
import { AppModel, appOfFunctions } from '../model/app-model';
import { FunctionSpec } from '../model/function-spec';

/** How the core runs functions: plain values (milliseconds, not Durations), filled in by the façades. */
export interface TwinCoreOptions {
  /** Folder for code copies, /tmp folders, logs and the async journal. @default a new temporary folder, removed by shutdown() */
  readonly stateDir?: string;
  readonly maxEnvironmentsPerFunction?: number;
  readonly idleTimeoutMs?: number;
  /** Variables set on every function. */
  readonly environment?: { [key: string]: string };
  /** SAM CLI's `--env-vars` shape: `{ "<logical id or name>": {...}, "Parameters": {...} }`. */
  readonly environmentVariables?: any;
  readonly pythonInterpreter?: string;
  readonly nodeInterpreter?: string;
  readonly strictRuntimeVersions?: boolean;
  readonly isolate?: boolean;
  readonly region?: string;
  readonly accountId?: string;
  readonly printLogs?: boolean;
  readonly asyncRetryDelayMs?: number;
  /** No runtime-version warnings. */
  readonly quiet?: boolean;
}

/** A function reference resolved to its spec, with the qualifier it carried (`fn:alias`) or was given. */
export interface ResolvedFunction {
  readonly spec: FunctionSpec;
  readonly qualifier?: string;
}

/** Functions warned about in this process (a runtime mismatch is said once, whichever twin runs the function). */
const warnedFunctions = new Set<string>();

const ARN_PATTERN = /^arn:aws[a-zA-Z-]*:lambda:[^:]*:[^:]*:function:(.+)$/;
const PARTIAL_ARN_PATTERN = /^\d{12}:function:(.+)$/;

export class TwinCore {
  public readonly stateDir: string;
  private readonly ownsStateDir: boolean;
  private readonly runners = new Map<FunctionSpec, FunctionRunner>();
  private readonly resolved = new Map<string, ResolvedFunction>();
  private readonly extraEnvironments = new Map<FunctionSpec, Record<string, string>>();
  private readonly interpreters: InterpreterOverrides;
  private eventQueue?: AsyncEventQueue;
  private readonly shutdownHooks: Array<() => Promise<void> | void> = [];
  private readonly destinationListeners: Array<(arn: string, record: DestinationRecord | DeadLetterRecord, deadLetter: boolean) => void> = [];
  private readonly finishedListeners: Array<(state: EventState) => void> = [];
  private closed = false;
  /** The app the core runs: its functions, triggers and HTTP fronts. */
  public readonly app: AppModel;
  public readonly specs: readonly FunctionSpec[];

  constructor(app: AppModel | readonly FunctionSpec[], private readonly options: TwinCoreOptions = {}) {
    this.app = Array.isArray(app) ? appOfFunctions([...app]) : app as AppModel;
    this.specs = this.app.functions;
    this.ownsStateDir = options.stateDir === undefined;
    this.stateDir = options.stateDir ? path.resolve(options.stateDir) : fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-twin-'));
    this.interpreters = { python: options.pythonInterpreter ?? process.env.LAMBDA_TWIN_PYTHON, node: options.nodeInterpreter };
  }

  /** Runs one Invoke (RequestResponse, Event or DryRun) with the Invoke API's checks; errors are `InvokeApiError`s. */
  public invoke(request: InvokeRequest): Promise<InvokeOutcome> {
    return invokeFunction(this, request);
  }

  /**
   * Finds a function by construct id or path, logical id, function name or ARN, with an optional `:qualifier`.
   * Answers are cached: the specs do not change during the core's life.
   */
  public resolveFunction(functionRef: string, qualifier?: string): ResolvedFunction {
    const key = qualifier === undefined ? functionRef : functionRef + '\0' + qualifier;
    let found = this.resolved.get(key);
    if (!found) {
      found = this.lookUp(functionRef, qualifier);
      this.resolved.set(key, found);
    }
    return found;
  }

  /** The version a qualifier runs ("$LATEST", a version number, or an alias's target). */
  public executedVersion(spec: FunctionSpec, qualifier?: string): string {
    if (qualifier === undefined || qualifier === '$LATEST') return '$LATEST';
    const version = spec.versions.find((v) => v.version === qualifier);
    if (version) return version.version;
    const alias = spec.aliases.find((a) => a.name === qualifier);
    if (alias) return alias.functionVersion;
    const known = ['$LATEST', ...spec.versions.map((v) => v.version), ...spec.aliases.map((a) => a.name)].join(', ');
    throw coded('ResourceNotFoundException', `Function not found: arn:aws:lambda:${spec.region}:${spec.accountId}:function:${spec.functionName}:${qualifier} (known qualifiers: ${known})`);
  }

  /** The function's runner, created (after the runtime-support check) on first use. */
  public runner(spec: FunctionSpec): FunctionRunner {
    const existing = this.runners.get(spec);
    if (existing) return existing;
    this.assertOpen();
    this.checkRuntime(spec);
    const safeName = spec.functionName.replace(/[^A-Za-z0-9_.-]/g, '_');
    const digest = crypto.createHash('sha1').update(spec.stackName + spec.logicalId).digest('hex').slice(0, 6);
    const runner = new FunctionRunner(spec, {
      stateDir: path.join(this.stateDir, safeName + '-' + digest),
      interpreters: this.interpreters,
      environmentOverrides: this.extraEnvironment(spec),
      maxEnvironments: this.options.maxEnvironmentsPerFunction ?? 10,
      idleTimeoutMs: this.options.idleTimeoutMs ?? 5 * 60_000,
      isolate: this.options.isolate,
      onLog: this.options.printLogs ? (_name, text) => process.stderr.write(text) : undefined,
    });
    this.runners.set(spec, runner);
    return runner;
  }

  /** The journaled queue of asynchronous invokes (opened on first use, resuming what a previous run left). */
  public events(): AsyncEventQueue {
    this.assertOpen();
    if (!this.eventQueue) {
      this.eventQueue = AsyncEventQueue.open({
        specFor: (key) => this.specs.find((s) => functionKeyOf(s) === key),
        runner: (spec) => this.runner(spec),
      }, {
        dir: path.join(this.stateDir, 'async-events'),
        retryDelayMs: this.options.asyncRetryDelayMs ?? 100,
        concurrencyPerFunction: 4,
        onFinished: (state) => this.finishedListeners.forEach((l) => l(state)),
        onDestination: (arn, record, deadLetter) => this.destinationListeners.forEach((l) => l(arn, record, deadLetter)),
      });
    }
    return this.eventQueue;
  }

  /** Waits until every queued asynchronous invoke has finished (succeeded, or failed after its retries). */
  public async settleEvents(): Promise<void> {
    await this.eventQueue?.settle();
  }

  /** The variables the twin sets on a function over its template's (`environment` and `--env-vars`). */
  public extraEnvironment(spec: FunctionSpec): Record<string, string> {
    let extra = this.extraEnvironments.get(spec);
    if (!extra) {
      const perFunction = this.options.environmentVariables ?? {};
      const pick = (o: any): Record<string, string> => (o && typeof o === 'object'
        ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)])) : {});
      extra = {
        ...pick(perFunction.Parameters),
        ...(this.options.environment ?? {}),
        ...pick(perFunction[spec.logicalId]),
        ...pick(perFunction[spec.functionName]),
        ...(spec.constructId ? pick(perFunction[spec.constructId]) : {}),
      };
      this.extraEnvironments.set(spec, extra);
    }
    return extra;
  }

  /**
   * Stops taking invokes, lets running asynchronous attempts finish (queued events wait in the journal), shuts
   * every environment down and removes the state folder when the core made it.
   */
  public async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Parts built on the core (trigger pollers, HTTP servers) stop first, so nothing new reaches the runners.
    for (const hook of this.shutdownHooks.splice(0).reverse()) await hook();
    await this.eventQueue?.close();
    await Promise.all([...this.runners.values()].map((r) => r.shutdown()));
    this.runners.clear();
    if (this.ownsStateDir) fs.rmSync(this.stateDir, { recursive: true, force: true });
  }

  /** Tells `listener` about each record the async queue writes to a destination or DLQ (triggers deliver it on). */
  public onDestinationRecord(listener: (arn: string, record: DestinationRecord | DeadLetterRecord, deadLetter: boolean) => void): void {
    this.destinationListeners.push(listener);
  }

  /** Tells `listener` about each asynchronous invoke that finished (succeeded, or failed after its retries). */
  public onEventFinished(listener: (state: EventState) => void): void {
    this.finishedListeners.push(listener);
  }

  /** Registers something to stop when the core shuts down (before the async queue and the environments). */
  public onShutdown(hook: () => Promise<void> | void): void {
    this.assertOpen();
    this.shutdownHooks.push(hook);
  }

  /** Whether shutdown() was called. */
  public get isShutDown(): boolean {
    return this.closed;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('This LocalTwin was shut down; create a new one to invoke functions');
  }

  private lookUp(functionRef: string, qualifier?: string): ResolvedFunction {
    let ref = functionRef;
    const arn = ARN_PATTERN.exec(ref) ?? PARTIAL_ARN_PATTERN.exec(ref);
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

  /** What lambda-twin can run, and whether the host's interpreter is the runtime's version (warn once, or fail). */
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
    const host = hostInterpreter(spec.runtime!, this.interpreters);
    if (!wanted || wanted === host.version) return;
    const message = `Function ${spec.functionName} uses ${spec.runtime}, but the host's interpreter is ${family} ${host.version} (${host.executable})`;
    if (this.options.strictRuntimeVersions) {
      throw coded('InvalidRuntimeException', `${message}. Install a matching interpreter or set ${driver.interpreterSetting} (${howToGetInterpreter(spec.runtime!)}).`);
    }
    const warningKey = [spec.stackName, spec.functionName, spec.runtime, host.executable].join('\0');
    if (this.options.quiet || warnedFunctions.has(warningKey)) return;
    warnedFunctions.add(warningKey);
    process.emitWarning(`${message}; running it anyway (set strictRuntimeVersions to make this an error). ` +
      `To match Lambda, ${howToGetInterpreter(spec.runtime!)}.`, { code: 'LAMBDA_TWIN_RUNTIME_MISMATCH' });
  }
}

function coded(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}
