// The refusals API Gateway and Function URLs answer when a request is not let through, built in one place so
// every check answers with the same status, body and headers AWS does (REST, HTTP API and URL bodies differ).
import type { AuthorizeOutcome } from './authorize';

const JSON_TYPE = { 'content-type': 'application/json' };

function refuse(statusCode: number, body: unknown, reason: string, headers: Record<string, string> = {}): AuthorizeOutcome {
  return { allowed: false, statusCode, body: JSON.stringify(body), headers: { ...JSON_TYPE, ...headers }, reason };
}

/** 401: a missing identity source, an authorizer that threw `Unauthorized`, a token that failed validation. */
export function unauthorized(reason: string, headers: Record<string, string> = {}): AuthorizeOutcome {
  return refuse(401, { message: 'Unauthorized' }, reason, { 'x-amzn-errortype': 'UnauthorizedException', ...headers });
}

/** 403 `{"message":"Forbidden"}`: a missing/invalid API key, an HTTP API authorizer saying no, a missing scope. */
export function forbidden(reason: string, headers: Record<string, string> = {}): AuthorizeOutcome {
  return refuse(403, { message: 'Forbidden' }, reason, { 'x-amzn-errortype': 'ForbiddenException', ...headers });
}

/** 403 from a REST policy: an explicit Deny, or no Allow covering the method ARN. */
export function accessDenied(explicit: boolean, reason: string): AuthorizeOutcome {
  const message = explicit ? 'User is not authorized to access this resource with an explicit deny' : 'User is not authorized to access this resource';
  return refuse(403, { Message: message }, reason, { 'x-amzn-errortype': 'AccessDeniedException' });
}

/** 403 for a REST AWS_IAM method called without a signature. */
export function missingAuthenticationToken(reason: string): AuthorizeOutcome {
  return refuse(403, { message: 'Missing Authentication Token' }, reason, { 'x-amzn-errortype': 'MissingAuthenticationTokenException' });
}

/** 403 for a malformed SigV4 `Authorization` header. */
export function incompleteSignature(message: string, reason: string): AuthorizeOutcome {
  return refuse(403, { message }, reason, { 'x-amzn-errortype': 'IncompleteSignatureException' });
}

/** 403 of a Function URL whose auth (or resource policy) refuses the caller. */
export function functionUrlForbidden(reason: string): AuthorizeOutcome {
  return refuse(403, { Message: 'Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html' },
    reason, { 'x-amzn-errortype': 'AccessDeniedException' });
}

/** 500: the authorizer failed (an error other than `Unauthorized`, a malformed response, no permission to invoke it). */
export function authorizerFailure(apiKind: string, reason: string): AuthorizeOutcome {
  // REST answers `{"message": null}` with AuthorizerConfigurationException; HTTP APIs `Internal Server Error`.
  return apiKind === 'REST'
    ? refuse(500, { message: null }, reason, { 'x-amzn-errortype': 'AuthorizerConfigurationException' })
    : refuse(500, { message: 'Internal Server Error' }, reason);
}
