// Decides whether an HTTP front lets a request through to its integration, as API Gateway and Function URLs do:
// Lambda authorizers (REST TOKEN/REQUEST with the policy evaluated against the method ARN and results cached; HTTP
// API simple and IAM-policy responses), JWT and Cognito user pools, API keys, and AWS_IAM (SigV4). Owned by the auth
// work (issue 15). PLACEHOLDER: NONE lets everything through, anything else is refused, until it lands; the types
// below are the contract between the HTTP front (which calls `authorize`) and the auth work.
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
  /** One line for the request log: why it was allowed or refused. */
  readonly reason: string;
}

/** Whether the request may reach its integration. Never throws: an authorizer's failure is a refusal (500/401/403). */
export async function authorize(input: AuthorizeInput): Promise<AuthorizeOutcome> {
  if (input.authorization.authorizationType === 'NONE' && !input.authorization.apiKeyRequired) {
    return { allowed: true, reason: 'no authorization' };
  }
  return {
    allowed: false,
    statusCode: 401,
    body: '{"message":"Unauthorized"}',
    reason: `${input.authorization.authorizationType} authorization is not emulated yet`,
  };
}
