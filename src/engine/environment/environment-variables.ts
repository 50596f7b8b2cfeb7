// The environment variables of an execution environment, built as Lambda builds them: the function's own
// variables first, then the platform's reserved ones on top. A plain function of the configuration, so it is
// easy to test without a process. Nothing from the host's environment leaks in.
import * as path from 'path';
import { FunctionSpec } from '../../model/function-spec';
import { RESERVED_ENVIRONMENT_KEYS } from '../../model/platform';
import { driverFor } from '../runtimes';
import { EnvironmentPaths } from '../runtimes/paths';

export type { EnvironmentPaths } from '../runtimes/paths';

export interface EnvironmentVariableInputs {
  readonly spec: FunctionSpec;
  readonly paths: EnvironmentPaths;
  /** `host:port` of the Runtime API. */
  readonly runtimeApi: string;
  readonly logStreamName: string;
  /** The version the environment runs (`$LATEST`, or the number a version or alias invoke resolved to). */
  readonly functionVersion?: string;
  /** Credentials to hand to the function; none by default. */
  readonly credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Variables that override everything the template says (`--env-vars`). */
  readonly overrides?: Record<string, string>;
  /** Whether `/tmp` is really this environment's tmp dir (private mount namespace) rather than TMPDIR. */
  readonly privateTmp?: boolean;
  /** The host interpreter's version (python's layer folders are named for it). */
  readonly hostVersion?: string;
}

/** Reserved keys that make the environment work: not even `--env-vars` overrides change them. */
const PINNED_KEYS = ['AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR', '_HANDLER'];

/** The log stream name Lambda gives an environment: `YYYY/MM/DD/[$LATEST]<32 hex>`. */
export function logStreamName(version: string, instanceId: string, now: Date = new Date()): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${day}/[${version}]${instanceId}`;
}

export function buildEnvironmentVariables(inputs: EnvironmentVariableInputs): Record<string, string> {
  const { spec, paths } = inputs;
  const driver = driverFor(spec.runtime);
  const opt = paths.optDir;
  const langBin = paths.langBinDir ? [paths.langBinDir] : [];

  const platform: Record<string, string> = {
    _HANDLER: spec.handler ?? '',
    AWS_REGION: spec.region,
    AWS_DEFAULT_REGION: spec.region,
    AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: inputs.functionVersion ?? '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: inputs.logStreamName,
    AWS_LAMBDA_RUNTIME_API: inputs.runtimeApi,
    LAMBDA_TASK_ROOT: paths.taskRoot,
    LAMBDA_RUNTIME_DIR: paths.runtimeDir,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    PATH: [...langBin, '/usr/local/bin', '/usr/bin', '/bin', path.join(opt, 'bin')].join(':'),
    LD_LIBRARY_PATH: ['/lib64', '/usr/lib64', paths.runtimeDir, path.join(paths.runtimeDir, 'lib'),
      paths.taskRoot, path.join(paths.taskRoot, 'lib'), path.join(opt, 'lib')].join(':'),
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000',
    _AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129',
    _AWS_XRAY_DAEMON_PORT: '2000',
    PWD: paths.taskRoot,
    SHLVL: '0',
    HOME: paths.tmpDir,
  };
  if (!inputs.privateTmp) platform.TMPDIR = paths.tmpDir;
  const source = sourceFolderOf(spec);
  // Read and removed by our bootstraps (only theirs: a custom runtime's would pass it on to the function), so
  // tracebacks name the user's files rather than the task root copy.
  if (source && driver?.interpreted) platform._LAMBDA_TWIN_SOURCE_PATHS = JSON.stringify([[paths.taskRoot, source]]);
  if (spec.runtime && (!driver || driver.interpreted)) platform.AWS_EXECUTION_ENV = `AWS_Lambda_${spec.runtime}`;
  if (driver && spec.runtime) Object.assign(platform, driver.environment({ runtime: spec.runtime, paths, hostVersion: inputs.hostVersion }));
  if (inputs.credentials) {
    platform.AWS_ACCESS_KEY_ID = inputs.credentials.accessKeyId;
    platform.AWS_SECRET_ACCESS_KEY = inputs.credentials.secretAccessKey;
    if (inputs.credentials.sessionToken) platform.AWS_SESSION_TOKEN = inputs.credentials.sessionToken;
  }
  // Customer variables first; the platform's reserved keys win, as in Lambda. Overrides (--env-vars) win over all
  // but the reserved keys that make the environment work.
  const reserved = new Set<string>(RESERVED_ENVIRONMENT_KEYS);
  const customer = Object.fromEntries(Object.entries(spec.environment).filter(([k]) => !reserved.has(k)));
  const pinned = new Set([...PINNED_KEYS, ...(driver?.pinnedVariables ?? [])]);
  const overrides = Object.fromEntries(Object.entries(inputs.overrides ?? {}).filter(([k]) => !pinned.has(k)));
  return { ...customer, ...platform, ...overrides };
}

/**
 * The folder the task root is a copy of, when it is one the user keeps (a SAM CodeUri, a folder on disk): not a
 * zip or jar (extracted), and not a CDK asset staging folder (`asset.<hash>`, itself a copy in the assembly).
 */
export function sourceFolderOf(spec: FunctionSpec): string | undefined {
  if (!spec.codePath || spec.inlineCode !== undefined || /\.(zip|jar)$/i.test(spec.codePath)) return undefined;
  if (/^asset\.[0-9a-f]{16,}$/.test(path.basename(spec.codePath))) return undefined;
  return path.resolve(spec.codePath);
}
