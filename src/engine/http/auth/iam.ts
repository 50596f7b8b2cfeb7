// AWS_IAM for REST and HTTP API routes and Function URLs: the request must be signed with SigV4 (an
// `Authorization: AWS4-HMAC-SHA256 Credential=…` header or presigned `X-Amz-Credential` query parameters). The
// signature is not verified (the twin does not know secret keys); the access key is mapped to an account with the
// `accessKeyAccounts` option, else it is taken to belong to the API's own account. For Function URLs the function's
// resource policy then decides (`lambda:InvokeFunctionUrl` with `lambda:FunctionUrlAuthType` = AWS_IAM).
import type { AuthorizeInput, AuthorizeOutcome } from './authorize';
import { headerValue } from './identity-source';
import { forbidden, functionUrlForbidden, incompleteSignature, missingAuthenticationToken } from './responses';
import { evaluateInvokePolicy } from '../../invoke-api/resource-policy';

/** The signer of a request, as far as the twin can know it. */
export interface SigV4Caller {
  readonly accessKey: string;
  readonly accountId: string;
  readonly region?: string;
  readonly service?: string;
  readonly sessionToken?: boolean;
}

/** The SigV4 credential of a request: the caller, `undefined` when unsigned, or what is wrong with the signature. */
export function sigV4Caller(input: AuthorizeInput): SigV4Caller | undefined | { problem: string } {
  const header = headerValue(input, 'authorization');
  const query = new URLSearchParams(input.rawQueryString);
  let credential: string | undefined;
  if (header !== undefined) {
    if (!/^AWS4-HMAC-SHA256\s/.test(header)) {
      return { problem: `Authorization header requires an AWS4-HMAC-SHA256 signature, got '${header.split(/\s/)[0]}'` };
    }
    credential = /Credential=([^,\s]+)/.exec(header)?.[1];
    if (!credential) return { problem: "Authorization header requires 'Credential' parameter." };
    if (!/Signature=[0-9a-f]+/.test(header)) return { problem: "Authorization header requires 'Signature' parameter." };
    if (!/SignedHeaders=/.test(header)) return { problem: "Authorization header requires 'SignedHeaders' parameter." };
  } else if (query.has('X-Amz-Credential') || query.has('X-Amz-Signature')) {
    credential = query.get('X-Amz-Credential') ?? undefined;
    if (!credential || !query.get('X-Amz-Signature')) return { problem: 'A presigned request needs X-Amz-Credential and X-Amz-Signature.' };
  } else {
    return undefined;
  }
  const [accessKey, , region, service] = credential.split('/');
  if (!accessKey) return { problem: `The credential '${credential}' has no access key id.` };
  const mapped = input.accessKeyAccounts?.[accessKey];
  return {
    accessKey,
    accountId: mapped ?? input.accountId,
    ...(region ? { region } : {}),
    ...(service ? { service } : {}),
    sessionToken: headerValue(input, 'x-amz-security-token') !== undefined || query.has('X-Amz-Security-Token'),
  };
}

export function iamAuthorize(input: AuthorizeInput): AuthorizeOutcome {
  const url = input.apiKind === 'URL';
  const caller = sigV4Caller(input);
  if (caller === undefined) {
    const why = 'AWS_IAM: the request is not signed (no SigV4 Authorization header or X-Amz-Credential)';
    return url ? functionUrlForbidden(why) : input.apiKind === 'REST' ? missingAuthenticationToken(why) : forbidden(why);
  }
  if ('problem' in caller) {
    const why = `AWS_IAM: ${caller.problem}`;
    return url ? functionUrlForbidden(why) : incompleteSignature(caller.problem, why);
  }
  const userArn = `arn:aws:iam::${caller.accountId}:root`;
  const identity = { accessKey: caller.accessKey, accountId: caller.accountId, caller: caller.accessKey, user: caller.accessKey, userArn };
  const iam = {
    accessKey: caller.accessKey,
    accountId: caller.accountId,
    callerId: caller.accessKey,
    cognitoIdentity: null,
    principalOrgId: null,
    userArn,
    userId: caller.accessKey,
  };
  const base = { callerAccountId: caller.accountId, callerAccessKey: caller.accessKey, callerIdentity: identity };
  if (url) {
    const spec = input.core.specs.find((s) => s.logicalId === input.apiId && (input.stackName === undefined || s.stackName === input.stackName));
    if (!spec) return functionUrlForbidden(`AWS_IAM: the URL's function ${input.apiId} is not a function of this app`);
    const decision = evaluateInvokePolicy(spec, {
      caller: caller.accountId === spec.accountId ? {} : { principal: userArn },
      action: 'lambda:InvokeFunctionUrl',
      functionUrlAuthType: 'AWS_IAM',
      ...(input.qualifier ? { qualifier: input.qualifier } : {}),
    });
    if (!decision.allowed) return functionUrlForbidden(`AWS_IAM: ${decision.reason}`);
    return { allowed: true, ...base, authorizerContext: { iam }, reason: `AWS_IAM: signed by ${caller.accessKey} of account ${caller.accountId}; ${decision.reason}` };
  }
  return {
    allowed: true,
    ...base,
    ...(input.apiKind === 'HTTP' ? { authorizerContext: { iam } } : {}),
    reason: `AWS_IAM: signed by ${caller.accessKey} of account ${caller.accountId} (the signature is not verified locally; identity policies are assumed to allow it)`,
  };
}
