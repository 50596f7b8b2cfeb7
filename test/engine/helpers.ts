// Shared setup for the engine's integration tests: function specs for the fixtures, runners in throwaway state
// folders, and the check that no process of an environment outlives it.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FunctionRunner, RunnerOptions, RunnerResult } from '../../src/engine/function-runner';
import { FunctionSpec, LAMBDA_DEFAULTS } from '../../src/model/function-spec';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'engine');

/** A function spec for a fixture folder, with Lambda's defaults for everything not given. */
export function fixtureSpec(fields: Partial<FunctionSpec> & { codePath: string; runtime: string; handler: string }): FunctionSpec {
  return {
    logicalId: 'Fn',
    stackName: 'EngineTest',
    functionName: fields.functionName ?? 'engine-test-fn',
    packageType: 'Zip',
    memorySize: LAMBDA_DEFAULTS.memorySize,
    timeout: 2,
    ephemeralStorage: LAMBDA_DEFAULTS.ephemeralStorage,
    architectures: ['x86_64'],
    environment: {},
    layers: [],
    permissions: [],
    versions: [],
    aliases: [],
    region: LAMBDA_DEFAULTS.region,
    accountId: LAMBDA_DEFAULTS.accountId,
    warnings: [],
    ...fields,
  };
}

/** A runner in its own temporary state folder; `close()` shuts it down and removes the folder. */
export class TestRunner {
  readonly stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-engine-'));
  readonly runner: FunctionRunner;

  constructor(readonly spec: FunctionSpec, options: Partial<RunnerOptions> = {}) {
    this.runner = new FunctionRunner(spec, { stateDir: this.stateDir, maxEnvironments: 4, idleTimeoutMs: 60_000, ...options });
  }

  /** Invokes with a JSON event; the payload comes back parsed when it is JSON. */
  async invoke(event: unknown = {}, extra: Record<string, unknown> = {}): Promise<RunnerResult & { body: any }> {
    const result = await this.runner.invoke({ payload: Buffer.from(JSON.stringify(event)), ...extra });
    let body: any = result.payload.toString('utf8');
    try {
      body = JSON.parse(body);
    } catch {
      // not JSON: the text stands
    }
    return { ...result, body };
  }

  async close(): Promise<void> {
    await this.runner.shutdown();
    fs.rmSync(this.stateDir, { recursive: true, force: true });
  }

  /** Everything the runner's environments wrote to their log streams so far. */
  logText(): string {
    const dir = path.join(this.stateDir, 'logs');
    if (!fs.existsSync(dir)) return '';
    return fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('');
  }

  /** Processes whose environment or command line points into this runner's state folder. */
  leftovers(): string[] {
    return processesReferring(this.stateDir);
  }
}

/**
 * Waits until `condition` holds: an event seen by looking (a log line, a process state), never a time to sleep.
 * The limit only turns a hang into a failure that says what never happened; a loaded machine just waits longer.
 */
export async function waitFor(condition: () => boolean, what: string, limitMs = 30_000): Promise<void> {
  const giveUpAt = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error(`Gave up after ${limitMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lists `pid: cmdline` of every process (but this one) whose environ or cmdline mentions `marker`. */
export function processesReferring(marker: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = fs.readFileSync(`/proc/${entry}/environ`, 'latin1');
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'latin1');
      const state = fs.readFileSync(`/proc/${entry}/stat`, 'latin1');
      if (/\) Z /.test(state)) continue; // a zombie holds no resources; its parent reaps it
      if (environ.includes(marker) || cmdline.includes(marker)) found.push(`${entry}: ${cmdline.replace(/\0/g, ' ')}`);
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/**
 * A factory of TestRunners for a test file or describe block: after it, each runner is closed and must have left
 * no process behind.
 */
export function runnerFactory(): (...args: ConstructorParameters<typeof TestRunner>) => TestRunner {
  const runners: TestRunner[] = [];
  afterAll(async () => {
    for (const runner of runners) {
      await runner.close();
      expect(runner.leftovers()).toEqual([]);
    }
  });
  return (...args) => {
    const runner = new TestRunner(...args);
    runners.push(runner);
    return runner;
  };
}

/**
 * The function of a fault-matrix block (the `faults` fixture, whose `{fault: 'ok'}` echoes the event) and the check
 * every fault ends with: the environment is gone when it was reset, and the function answers again.
 */
export function faultFixture(spec: FunctionSpec): { fn: TestRunner; expectRecovery: (reset: boolean) => Promise<void> } {
  const fn = runnerFactory()(spec);
  const expectRecovery = async (reset: boolean): Promise<void> => {
    if (reset) expect(fn.leftovers()).toEqual([]);
    const next = await fn.invoke({ fault: 'ok' });
    expect(next.functionError).toBeUndefined();
    expect(next.body.echo).toEqual({ fault: 'ok' });
    expect(next.coldStart).toBe(reset);
  };
  return { fn, expectRecovery };
}
