// The option, request and result shapes of `LocalTwin` (jsii structs): what users pass in and get back.
import type { Duration } from 'aws-cdk-lib';

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
   * Run each environment in its own mount and PID namespaces (Lambda's paths, read-only task root, own /tmp, no
   * capabilities, uid 1051 when run as root; see docs/security.md). `true` requires it: when the host cannot, one
   * warning names what is missing and environments run as plain processes. `false` always runs plain processes.
   * @default - isolated when the host allows it (probed once), plain processes otherwise
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
  /**
   * Say nothing about runtime version mismatches (otherwise each is a process warning, once per function).
   * @default false
   */
  readonly quiet?: boolean;
  /**
   * JWT and Cognito authorizers of `fetch`: where the signing keys of each issuer are, issuer → a JWKS file path or
   * an http(s) URL (`*` for any issuer), as `start-api --jwks` takes them.
   * @default none: JWT-protected routes answer 401 and say which issuer needs keys
   */
  readonly jwks?: { [issuer: string]: string };
  /**
   * AWS_IAM routes and Function URLs of `fetch`: the account of each access key id, as `--access-key-account` takes them.
   * @default the API's own account for every key
   */
  readonly accessKeyAccounts?: { [accessKeyId: string]: string };
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
