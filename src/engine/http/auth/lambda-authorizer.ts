// Lambda authorizers: REST TOKEN and REQUEST, HTTP API REQUEST (payload 1.0 and 2.0, simple or IAM-policy
// responses). The function runs through the twin's Invoke path as API Gateway would call it (as
// `apigateway.amazonaws.com` with the authorizer's ARN as SourceArn, so its resource policy must allow that, or as
// the authorizer's invoke role); its answer is cached by identity-source values for the authorizer's TTL, and a
// cached policy is evaluated again against every request's method ARN.
import type { AuthorizeInput, AuthorizeOutcome } from './authorize';
import { requestEventV1, requestEventV2, tokenEvent } from './authorizer-events';
import { AuthorizerCache, cacheKey } from './cache';
import { identityValues } from './identity-source';
import { evaluatePolicy, policyDocumentProblem } from './policy';
import { accessDenied, authorizerFailure, forbidden, unauthorized } from './responses';
import type { AuthorizerSpec } from '../../../model/api-auth';
import type { CallerIdentity } from '../../invoke-api/resource-policy';

/** What an authorizer answered, once checked: what the cache holds. */
interface AuthorizerAnswer {
  /** Simple responses: the `isAuthorized` flag. */
  readonly isAuthorized?: boolean;
  readonly principalId?: string;
  readonly policyDocument?: any;
  readonly context: Record<string, string | number | boolean>;
}

export async function lambdaAuthorize(input: AuthorizeInput, authorizer: AuthorizerSpec): Promise<AuthorizeOutcome> {
  const rest = authorizer.apiKind === 'REST';
  const label = `${rest ? 'REST' : 'HTTP API'} ${authorizer.type} authorizer ${authorizer.name} (${authorizer.id})`;
  const { values, missing } = identityValues(input, authorizer.identitySource);
  if (missing.length > 0) return unauthorized(`${label}: the identity source ${missing.join(', ')} is missing or empty (the authorizer is not called)`);
  if (authorizer.type === 'TOKEN' && authorizer.identityValidationExpression !== undefined) {
    if (!new RegExp(`^(?:${authorizer.identityValidationExpression})$`).test(values[0])) {
      return unauthorized(`${label}: the token does not match IdentityValidationExpression ${authorizer.identityValidationExpression} (the authorizer is not called)`);
    }
  }

  const now = (input.now ?? Date.now)();
  const cache = AuthorizerCache.of(input.core);
  const cacheable = authorizer.resultTtlSeconds > 0 && values.length > 0;
  const key = cacheKey(authorizer.stackName, authorizer.id, values);
  let answer = cacheable ? cache.get(key, now) as AuthorizerAnswer | undefined : undefined;
  const cached = answer !== undefined;
  let latencyMs = 0;
  if (!answer) {
    const started = Date.now();
    const invoked = await invokeAuthorizer(input, authorizer, values, label);
    latencyMs = Date.now() - started;
    if ('outcome' in invoked) return invoked.outcome;
    answer = invoked.answer;
    if (cacheable) cache.set(key, answer, authorizer.resultTtlSeconds, now);
  }
  const how = cached ? ' (cached answer)' : '';

  if (answer.isAuthorized !== undefined) {
    if (!answer.isAuthorized) return forbidden(`${label} answered isAuthorized: false${how}`);
    return { allowed: true, authorizerContext: { lambda: answer.context }, reason: `${label} answered isAuthorized: true${how}` };
  }
  const decision = evaluatePolicy(answer.policyDocument, input.methodArn);
  if (decision.effect !== 'Allow') {
    const reason = `${label}: ${decision.reason}${how}`;
    return rest ? accessDenied(decision.effect === 'Deny', reason) : forbidden(reason);
  }
  const authorizerContext = rest
    ? { principalId: answer.principalId, ...stringValues(answer.context), integrationLatency: latencyMs }
    : { ...(answer.principalId !== undefined ? { principalId: answer.principalId } : {}), lambda: answer.context };
  return { allowed: true, authorizerContext, reason: `${label}: ${decision.reason}${how}` };
}

/** Runs the authorizer function: its checked answer, or the refusal its failure means. */
async function invokeAuthorizer(
  input: AuthorizeInput, authorizer: AuthorizerSpec, values: readonly string[], label: string,
): Promise<{ answer: AuthorizerAnswer } | { outcome: AuthorizeOutcome }> {
  const fail = (why: string): { outcome: AuthorizeOutcome } => ({ outcome: authorizerFailure(authorizer.apiKind, `${label}: ${why}`) });
  const stackName = authorizer.functionStackName ?? authorizer.stackName;
  const spec = input.core.specs.find((s) => s.logicalId === authorizer.functionLogicalId && s.stackName === stackName);
  if (!spec) {
    return fail(`its function ${authorizer.functionArn ?? authorizer.functionLogicalId ?? '(none)'} is not a function of this app` +
      (authorizer.warnings?.length ? ` (${authorizer.warnings.join('; ')})` : ''));
  }
  const event = authorizer.type === 'TOKEN' ? tokenEvent(input, values[0])
    : authorizer.apiKind === 'HTTP' && authorizer.payloadFormatVersion === '2.0' ? requestEventV2(input, values)
      : requestEventV1(input, values, authorizer.apiKind === 'HTTP');
  const sourceArn = `arn:aws:execute-api:${input.region}:${input.accountId}:${input.apiPhysicalId}/authorizers/${authorizer.physicalId ?? authorizer.id}`;
  const caller: CallerIdentity = authorizer.invokeRoleArn
    ? { principal: authorizer.invokeRoleArn }
    : { principal: 'apigateway.amazonaws.com', sourceArn, sourceAccount: input.accountId };
  const qualifier = /:function:[^:]+:([^:/]+)$/.exec(authorizer.functionArn ?? '')?.[1];
  let payloadText: string;
  try {
    const outcome = await input.core.invoke({
      functionName: spec.functionName,
      ...(qualifier ? { qualifier } : {}),
      payload: Buffer.from(JSON.stringify(event)),
      caller,
    });
    const result = outcome.result;
    if (!result) return fail('the function returned no result');
    payloadText = result.payload.toString('utf8');
    if (result.functionError) {
      const message = errorMessageOf(payloadText);
      if (message === 'Unauthorized') return { outcome: unauthorized(`${label}: the function raised Unauthorized`) };
      return fail(result.timedOut ? 'the function timed out' : `the function failed: ${message ?? payloadText.slice(0, 200)}`);
    }
  } catch (e) {
    return fail(`the function could not be invoked as ${caller.principal}${caller.sourceArn ? ` for ${caller.sourceArn}` : ''}: ${(e as Error).message}`);
  }
  let parsed: any;
  try {
    parsed = JSON.parse(payloadText);
  } catch {
    return fail(`the function's response is not JSON: ${payloadText.slice(0, 200)}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return fail(`the function's response is not an object: ${payloadText.slice(0, 200)}`);
  const contextProblem = checkContext(parsed.context);
  if (contextProblem) return fail(contextProblem);
  const context = parsed.context ?? {};
  if (authorizer.apiKind === 'HTTP' && authorizer.enableSimpleResponses && authorizer.payloadFormatVersion === '2.0') {
    if (typeof parsed.isAuthorized !== 'boolean') return fail(`a simple response needs a boolean isAuthorized, got ${JSON.stringify(parsed.isAuthorized)}`);
    return { answer: { isAuthorized: parsed.isAuthorized, context } };
  }
  if (authorizer.apiKind === 'REST' && (parsed.principalId === undefined || parsed.principalId === null)) {
    return fail('the response has no principalId');
  }
  const policyProblem = policyDocumentProblem(parsed.policyDocument);
  if (policyProblem) return fail(`the response's ${policyProblem}`);
  return {
    answer: {
      ...(parsed.principalId !== undefined ? { principalId: String(parsed.principalId) } : {}),
      policyDocument: parsed.policyDocument,
      context,
    },
  };
}

/** Why an authorizer's `context` is refused (API Gateway takes only string, number and boolean values). */
function checkContext(context: any): string | undefined {
  if (context === undefined || context === null) return undefined;
  if (typeof context !== 'object' || Array.isArray(context)) return `the response's context is not an object: ${JSON.stringify(context)}`;
  for (const [k, v] of Object.entries(context)) {
    if (!['string', 'number', 'boolean'].includes(typeof v)) {
      return `the response's context.${k} is ${JSON.stringify(v)}: context values must be strings, numbers or booleans (objects and arrays are refused)`;
    }
  }
  return undefined;
}

function stringValues(context: Record<string, string | number | boolean>): Record<string, string> {
  return Object.fromEntries(Object.entries(context).map(([k, v]) => [k, String(v)]));
}

function errorMessageOf(payload: string): string | undefined {
  try {
    const parsed = JSON.parse(payload);
    return typeof parsed?.errorMessage === 'string' ? parsed.errorMessage : undefined;
  } catch {
    return undefined;
  }
}
