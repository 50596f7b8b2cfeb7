// The Invoke operation itself, shared by the HTTP endpoint and `LocalTwin.invoke`: resolve the function and
// qualifier, check the caller against the resource-based policy and the payload limits, then run it
// synchronously (RequestResponse), queue it (Event) or stop after the checks (DryRun).
import { accessDenied, ASYNC_PAYLOAD_LIMIT, invalidParameter, invalidRequestContent, requestTooLarge, resourceNotFound, SYNC_PAYLOAD_LIMIT, toInvokeApiError, tooManyRequests } from './errors';
import { parseFunctionReference } from './function-name';
import { CallerIdentity, evaluateInvokePolicy, PolicyDecision } from './resource-policy';
import { functionArn, FunctionSpec } from '../../model/function-spec';
import { RunnerResult, TooManyRequestsError } from '../function-runner';
import type { TwinCore } from '../twin';

export const INVOCATION_TYPES = ['RequestResponse', 'Event', 'DryRun'];

export interface InvokeRequest {
  /** The FunctionName as given: a name, `name:qualifier`, an ARN, or (locally) a logical id or construct path. */
  readonly functionName: string;
  readonly qualifier?: string;
  /** `RequestResponse` (default), `Event` or `DryRun`. */
  readonly invocationType?: string;
  readonly payload: Buffer;
  /** The payload is JSON this process wrote itself (`JSON.stringify` of LocalTwin's `event`): its checks are skipped. */
  readonly payloadIsJson?: boolean;
  /** Client context as JSON text (already decoded from base64). */
  readonly clientContext?: string;
  readonly caller?: CallerIdentity;
  /** Answer 429 instead of waiting when every environment is busy. @default true for a function with reserved concurrency called through the API */
  readonly rejectWhenBusy?: boolean;
  /** Parse `functionName` as the Invoke API does (HTTP); LocalTwin's own lookup also takes `Stack/Fn` paths. */
  readonly apiFunctionName?: boolean;
  /** The request id the function sees. @default a new UUID */
  readonly requestId?: string;
  /** Called once every check passed, just before the function runs, with the version that runs. */
  readonly onStart?: (executedVersion: string) => void;
  /** InvokeWithResponseStream: only RequestResponse and DryRun are valid. */
  readonly responseStreaming?: boolean;
  /** Called with each piece of a streamed response as the function sends it (response streaming). */
  readonly onResponseChunk?: (chunk: Buffer) => void;
}

export interface InvokeOutcome {
  /** 200 (RequestResponse), 202 (Event) or 204 (DryRun). */
  readonly statusCode: number;
  readonly requestId?: string;
  readonly executedVersion: string;
  readonly spec: FunctionSpec;
  readonly qualifier?: string;
  readonly policy: PolicyDecision;
  /** The run's result, for RequestResponse. */
  readonly result?: RunnerResult;
}

/** Runs one Invoke. Throws `InvokeApiError` for everything Lambda answers with an error status. */
export async function invokeFunction(twin: TwinCore, request: InvokeRequest): Promise<InvokeOutcome> {
  const invocationType = request.invocationType ?? 'RequestResponse';
  if (!INVOCATION_TYPES.includes(invocationType)) {
    throw invalidParameter(`InvocationType '${invocationType}' is not valid: use RequestResponse, Event or DryRun.`);
  }
  if (request.responseStreaming && invocationType === 'Event') {
    throw invalidParameter("InvocationType 'Event' is not valid for InvokeWithResponseStream: use RequestResponse or DryRun (or Invoke for an asynchronous invoke).");
  }
  let name = request.functionName;
  let qualifier = request.qualifier;
  let arnScope: { region?: string; accountId?: string } = {};
  if (request.apiFunctionName) {
    const ref = parseFunctionReference(request.functionName, request.qualifier);
    name = ref.name;
    qualifier = ref.qualifier;
    arnScope = ref;
  }
  let spec: FunctionSpec;
  let executedVersion: string;
  try {
    const found = twin.resolveFunction(name, qualifier);
    spec = found.spec;
    qualifier = found.qualifier;
    if ((arnScope.accountId && arnScope.accountId !== spec.accountId) || (arnScope.region && arnScope.region !== spec.region)) {
      throw resourceNotFound(`Function not found: ${request.functionName} (the function ${spec.functionName} here is in ${spec.region}, account ${spec.accountId})`);
    }
    executedVersion = twin.executedVersion(spec, qualifier);
  } catch (err) {
    throw toInvokeApiError(err);
  }

  const policy = evaluateInvokePolicy(spec, { caller: request.caller ?? {}, action: 'lambda:InvokeFunction', qualifier });
  if (!policy.allowed) {
    const who = request.caller?.principal ?? 'the caller';
    throw accessDenied(`User: ${who} is not authorized to perform: lambda:InvokeFunction on resource: ${functionArn(spec, qualifier)} ` +
      `because no resource-based policy allows the lambda:InvokeFunction action (${policy.reason})`);
  }

  const limit = invocationType === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
  if (request.payload.length > limit) throw requestTooLarge(limit);
  if (request.payload.length > 0 && !request.payloadIsJson) {
    // Lambda refuses a payload that is not well-formed UTF-8, rather than handing the function U+FFFD.
    const badByte = invalidUtf8Offset(request.payload);
    if (badByte !== undefined) {
      throw invalidRequestContent('Could not parse request body into json: Could not parse payload into json: ' +
        `Invalid UTF-8 byte 0x${request.payload[badByte].toString(16).padStart(2, '0')} at byte offset ${badByte}`);
    }
    try {
      JSON.parse(request.payload.toString('utf8'));
    } catch (err) {
      throw invalidRequestContent(`Could not parse request body into json: Could not parse payload into json: ${(err as Error).message}`);
    }
  }
  // Well-formed UTF-8 by now, so the bytes go on as they came (no decode and encode again).
  const payload = request.payload.length === 0 ? EMPTY_EVENT : request.payload;

  const base = { executedVersion, spec, qualifier, policy };
  if (invocationType === 'DryRun') return { statusCode: 204, ...base };
  if (invocationType === 'Event') {
    const requestId = await twin.events().enqueue({ spec, qualifier, executedVersion, payload: payload.toString('utf8'), clientContext: request.clientContext });
    return { statusCode: 202, requestId, ...base };
  }
  let result: RunnerResult;
  try {
    request.onStart?.(executedVersion);
    result = await twin.runner(spec).invoke({
      requestId: request.requestId,
      payload,
      executedVersion,
      qualifier,
      clientContext: request.clientContext,
      // The Invoke API throttles at reserved concurrency, as Lambda does; LocalTwin callers wait unless they ask.
      rejectWhenBusy: request.rejectWhenBusy ?? (request.apiFunctionName === true && spec.reservedConcurrency !== undefined),
      onResponseChunk: request.onResponseChunk,
    });
  } catch (err) {
    if (err instanceof TooManyRequestsError) {
      throw tooManyRequests('Rate Exceeded.' + ` (${err.message})`,
        err.reserved ? 'ReservedFunctionConcurrentInvocationLimitExceeded' : 'ConcurrentInvocationLimitExceeded');
    }
    throw toInvokeApiError(err);
  }
  return { statusCode: 200, requestId: result.requestId, result, ...base };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const EMPTY_EVENT = Buffer.from('{}');

/** Where the first byte that breaks UTF-8 is, or undefined when the whole buffer is well-formed. */
function invalidUtf8Offset(bytes: Buffer): number | undefined {
  try {
    strictUtf8.decode(bytes);
    return undefined;
  } catch {
    // Rare (a bad request): find the offending byte by decoding ever longer prefixes, one sequence at a time.
    let at = 0;
    while (at < bytes.length) {
      const lead = bytes[at];
      const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
      if (length === 0 || at + length > bytes.length) return at;
      try {
        strictUtf8.decode(bytes.subarray(at, at + length));
      } catch {
        return at;
      }
      at += length;
    }
    return bytes.length - 1;
  }
}
