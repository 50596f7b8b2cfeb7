// Decides whether an HTTP front lets a request through to its integration, as API Gateway and Function URLs do:
// Lambda authorizers (REST TOKEN/REQUEST with the policy evaluated against the method ARN and results cached; HTTP
// API simple and IAM-policy responses), JWT and Cognito user pools, API keys, and AWS_IAM (SigV4). Owned by the auth
// work (issue 15); the types below are the contract between the HTTP front (which calls `authorize`) and it.
import { checkApiKey } from './api-keys';
import { iamAuthorize } from './iam';
import { jwtAuthorize } from './jwt';
import { lambdaAuthorize } from './lambda-authorizer';
import { authorizerFailure, forbidden } from './responses';
import type { ApiKeySpec, AuthorizerSpec } from '../../../model/api-auth';
import type { TwinCore } from '../../twin';

/** How a route or URL is protected (from the Method / Route / Url resource). */
export interface RouteAuthorization {
  /** `NONE`, `AWS_IAM`, `CUSTOM` (REST Lambda authorizer), `COGNITO_USER_POOLS`, `JWT`. */
  readonly authorizationType: string;
  /** Logical id of the authorizer (CUSTOM, COGNITO_USER_POOLS, JWT). */
  readonly authorizerId?: string;
  /** JWT/Cognito: scopes the token must carry one of. */
  readonly scopes?: readonly string[];
  /** REST: the method needs an API key (`x-api-key`). */
  readonly apiKeyRequired?: boolean;
}

/** The request, as the front received it, and where it is going. */
export interface AuthorizeInput {
  readonly core: TwinCore;
  /** `REST`, `HTTP` or `URL`. */
  readonly apiKind: string;
  /** Logical id of the API (or of the function for a URL). */
  readonly apiId: string;
  /** The API's id as it appears in ARNs and hosts (REST/HTTP api id; the url id for Function URLs). */
  readonly apiPhysicalId: string;
  readonly stage: string;
  readonly region: string;
  readonly accountId: string;
  readonly authorization: RouteAuthorization;
  readonly authorizer?: AuthorizerSpec;
  readonly apiKeys: readonly ApiKeySpec[];
  readonly method: string;
  /** The path the client asked for (without the stage). */
  readonly path: string;
  /** The route's resource path (`/items/{id}`) or HTTP API route key (`GET /items/{id}`). */
  readonly resourcePath: string;
  readonly routeKey?: string;
  /** Header names lower-cased; repeated headers as arrays. */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly rawQueryString: string;
  readonly pathParameters?: Readonly<Record<string, string>>;
  readonly stageVariables?: Readonly<Record<string, string>>;
  readonly sourceIp: string;
  readonly requestId: string;
  /** `arn:aws:execute-api:{region}:{account}:{api}/{stage}/{METHOD}/{path}` — what a REST policy is evaluated against. */
  readonly methodArn: string;
  /** The event the integration would receive (v1 or v2 shape): REQUEST authorizers see most of it. */
  readonly integrationEvent: any;
  /**
   * JWT / Cognito: where the keys of each issuer are, issuer → a JWKS file path or an http(s) URL (`*` for any
   * issuer). From `--jwks <issuer>=<file-or-url>` / the `jwks` option.
   * @default none: JWT-protected routes answer 401 and say which issuer needs keys
   */
  readonly jwks?: Readonly<Record<string, string>>;
  /**
   * AWS_IAM: the account of each access key id (`--access-key-account AKID=111122223333`).
   * @default the API's own account for every key
   */
  readonly accessKeyAccounts?: Readonly<Record<string, string>>;
  /** Stack of the API (or the URL's function), to tell apart same-named logical ids of several stacks. */
  readonly stackName?: string;
  /** Function URLs: the qualifier (alias) the URL belongs to. */
  readonly qualifier?: string;
  /** The clock for the result cache and token expiry (ms since the epoch). @default Date.now */
  readonly now?: () => number;
}

export interface AuthorizeOutcome {
  readonly allowed: boolean;
  /** When refused: the status and body API Gateway answers (401 `{"message":"Unauthorized"}`, 403 …). */
  readonly statusCode?: number;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * When allowed: what goes into `requestContext.authorizer` (REST: principalId + context values; HTTP API:
   * `{ lambda: context }` or `{ jwt: { claims, scopes } }`; IAM: `{ iam: … }`).
   */
  readonly authorizerContext?: any;
  /** REST: the usage-plan API key id the request used (requestContext.identity.apiKeyId). */
  readonly apiKeyId?: string;
  /** The caller's identity for AWS_IAM (requestContext.identity / authorizer.iam). */
  readonly callerAccountId?: string;
  readonly callerAccessKey?: string;
  /** AWS_IAM: what goes into REST `requestContext.identity` (accessKey, accountId, caller, user, userArn). */
  readonly callerIdentity?: any;
  /** REST: the value of the API key the request used (requestContext.identity.apiKey). */
  readonly apiKey?: string;
  /** One line for the request log: why it was allowed or refused. */
  readonly reason: string;
}

/** Whether the request may reach its integration. Never throws: an authorizer's failure is a refusal (500/401/403). */
export async function authorize(input: AuthorizeInput): Promise<AuthorizeOutcome> {
  try {
    return await decide(input);
  } catch (e) {
    return authorizerFailure(input.apiKind, `authorization failed unexpectedly: ${(e as Error).stack ?? String(e)}`);
  }
}

async function decide(input: AuthorizeInput): Promise<AuthorizeOutcome> {
  const auth = input.authorization;
  const type = auth.authorizationType || 'NONE';
  let outcome: AuthorizeOutcome;
  switch (type) {
    case 'NONE':
      outcome = { allowed: true, reason: 'no authorization' };
      break;
    case 'AWS_IAM':
      outcome = iamAuthorize(input);
      break;
    case 'CUSTOM':
    case 'COGNITO_USER_POOLS':
    case 'JWT': {
      const authorizer = input.authorizer ?? findAuthorizer(input);
      if (!authorizer) {
        return authorizerFailure(input.apiKind, `the route's authorization ${type} names authorizer ${auth.authorizerId ?? '(none)'}, which API ${input.apiId} does not have`);
      }
      outcome = authorizer.type === 'JWT' || authorizer.type === 'COGNITO_USER_POOLS'
        ? await jwtAuthorize(input, authorizer)
        : await lambdaAuthorize(input, authorizer);
      break;
    }
    default:
      return authorizerFailure(input.apiKind, `authorization type ${type} is not one lambda-twin knows (NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS, JWT)`);
  }
  if (!outcome.allowed || !auth.apiKeyRequired || input.apiKind !== 'REST') return outcome;
  const key = checkApiKey(input);
  if ('refused' in key) return forbidden(`API key: ${key.refused}`);
  return {
    ...outcome,
    apiKeyId: key.key.physicalId ?? key.key.id,
    apiKey: key.key.value,
    reason: `${outcome.reason}; API key ${key.key.name ?? key.key.id} covers stage ${input.stage}`,
  };
}

/** The authorizer a route names, from the app model (when the front did not pass it). */
function findAuthorizer(input: AuthorizeInput): AuthorizerSpec | undefined {
  const id = input.authorization.authorizerId;
  if (id === undefined) return undefined;
  const candidates = input.core.app.apis.authorizers.filter((a) => a.id === id && a.apiId === input.apiId);
  return candidates.find((a) => input.stackName === undefined || a.stackName === input.stackName) ?? candidates[0];
}
