// The Invoke API's error responses, built in one place so every path answers as Lambda does: the code in the
// `x-amzn-ErrorType` header and a `{"Type","Message"}` body, which the AWS SDKs and CLI map to exception classes.

/** Payload limits of the Invoke operation, in bytes. */
export const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
export const ASYNC_PAYLOAD_LIMIT = 1024 * 1024;
/** Most base64 characters `X-Amz-Client-Context` may carry. */
export const CLIENT_CONTEXT_LIMIT = 3583;

/** An Invoke API error: the exception name a client sees, its HTTP status and message. */
export class InvokeApiError extends Error {
  /** Same as `name`; `code` is what LocalTwin's callers have always read. */
  readonly code: string;

  constructor(
    readonly errorType: string,
    readonly statusCode: number,
    message: string,
    /** Extra body fields (e.g. `Reason` of TooManyRequestsException). */
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
    this.name = errorType;
    this.code = errorType;
  }

  /** `User` for a caller's mistake (4xx), `Service` for ours (5xx). */
  get faultType(): string {
    return this.statusCode >= 500 ? 'Service' : 'User';
  }

  /** The body Lambda sends: capital `Message`; TooManyRequestsException's model also names a lower-case `message`. */
  body(): Record<string, string> {
    const body: Record<string, string> = { Type: this.faultType, Message: this.message, ...this.extra };
    if (this.errorType === 'TooManyRequestsException') body.message = this.message;
    return body;
  }
}

export function resourceNotFound(message: string): InvokeApiError {
  return new InvokeApiError('ResourceNotFoundException', 404, message);
}

export function invalidParameter(message: string): InvokeApiError {
  return new InvokeApiError('InvalidParameterValueException', 400, message);
}

export function invalidRequestContent(message: string): InvokeApiError {
  return new InvokeApiError('InvalidRequestContentException', 400, message);
}

export function requestTooLarge(limit: number): InvokeApiError {
  return new InvokeApiError('RequestEntityTooLargeException', 413, `Request must be smaller than ${limit} bytes for the InvokeFunction operation`);
}

export function tooManyRequests(message: string, reason: string): InvokeApiError {
  return new InvokeApiError('TooManyRequestsException', 429, message, { Reason: reason });
}

export function accessDenied(message: string): InvokeApiError {
  return new InvokeApiError('AccessDeniedException', 403, message);
}

export function unknownOperation(method: string, path: string): InvokeApiError {
  return new InvokeApiError('UnknownOperationException', 404,
    `lambda-twin does not serve ${method} ${path}. It serves POST /2015-03-31/functions/{FunctionName}/invocations (the Invoke operation).`);
}

export function methodNotAllowed(method: string): InvokeApiError {
  return new InvokeApiError('MethodNotAllowedException', 405, `The Invoke operation takes POST, not ${method}.`);
}

export function serviceError(message: string): InvokeApiError {
  return new InvokeApiError('ServiceException', 500, message);
}

/** The answer to a request that arrives while the server stops (the SDK retries a 503 elsewhere, or fails). */
export function serviceUnavailable(): InvokeApiError {
  return new InvokeApiError('ServiceException', 503, 'lambda-twin is shutting down and takes no new invokes.');
}

/**
 * Turns an error thrown by LocalTwin or the engine into an Invoke API error. Errors that carry a Lambda
 * exception code keep it (with the status Lambda uses for it); anything else is a ServiceException.
 */
export function toInvokeApiError(err: unknown): InvokeApiError {
  if (err instanceof InvokeApiError) return err;
  const e = err as Error & { code?: string };
  const status = e?.code ? STATUS_OF[e.code] : undefined;
  if (e?.code && status) return new InvokeApiError(e.code, status, e.message);
  return serviceError(e?.message ?? String(err));
}

const STATUS_OF: Record<string, number> = {
  ResourceNotFoundException: 404,
  InvalidParameterValueException: 400,
  InvalidRequestContentException: 400,
  RequestEntityTooLargeException: 413,
  TooManyRequestsException: 429,
  AccessDeniedException: 403,
  ResourceConflictException: 409,
  InvalidRuntimeException: 502,
};
