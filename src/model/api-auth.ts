// Authorizers and API keys of an app's HTTP fronts, as the loader reads them (issue 15). Owned by the auth work;
// the HTTP front refers to an authorizer by `id` from its routes. Internal: not part of the jsii API.

/**
 * A REST API authorizer (`AWS::ApiGateway::Authorizer`: TOKEN, REQUEST, COGNITO_USER_POOLS) or an HTTP API
 * authorizer (`AWS::ApiGatewayV2::Authorizer`: REQUEST (Lambda) or JWT).
 */
export interface AuthorizerSpec {
  /** Logical id of the authorizer resource: what routes name in `authorization.authorizerId`. */
  readonly id: string;
  readonly stackName: string;
  /** Logical id of the API it belongs to. */
  readonly apiId: string;
  readonly name: string;
  /** `TOKEN`, `REQUEST`, `COGNITO_USER_POOLS` (REST); `REQUEST`, `JWT` (HTTP API). */
  readonly type: string;
  /** `REST` or `HTTP`. */
  readonly apiKind: string;
  /** Logical id of the authorizer function (Lambda authorizers). */
  readonly functionLogicalId?: string;
  /** Identity sources as written (`method.request.header.Authorization`, `$request.header.Authorization`). */
  readonly identitySource: readonly string[];
  /** Result cache TTL in seconds (REST default 300; HTTP API default 0 / as configured). */
  readonly resultTtlSeconds: number;
  /** TOKEN authorizers: a regex the token must match before the function is called. */
  readonly identityValidationExpression?: string;
  /** HTTP API Lambda authorizers: `1.0` or `2.0`. */
  readonly payloadFormatVersion?: string;
  /** HTTP API Lambda authorizers with payload 2.0: `{ isAuthorized, context }` responses. */
  readonly enableSimpleResponses?: boolean;
  /** JWT / Cognito: the issuer and audiences a token must carry. */
  readonly jwtIssuer?: string;
  readonly jwtAudience?: readonly string[];
  /** COGNITO_USER_POOLS: the user pool ARNs (their issuer is derived from them). */
  readonly providerArns?: readonly string[];
  /** The authorizer's id as it appears in ARNs (`…/authorizers/{id}`): what `Ref` to the resource resolves to. */
  readonly physicalId?: string;
  /** Stack of the authorizer function (the authorizer's own stack unless it is imported). */
  readonly functionStackName?: string;
  /**
   * The role API Gateway assumes to invoke the function (REST `AuthorizerCredentials`, SAM `FunctionInvokeRole`):
   * the invoke is then made as that role, not as `apigateway.amazonaws.com` under the function's resource policy.
   */
  readonly invokeRoleArn?: string;
  /** The function's ARN as the template resolves it (shown in errors when the function is not in the app). */
  readonly functionArn?: string;
  /** Where the authorizer was read from (`Resources.X`, or `Resources.Api.Properties.Auth.Authorizers.Name`). */
  readonly source?: string;
  /** What cannot be used locally (an unresolvable value, a function outside the app), one sentence each. */
  readonly warnings?: readonly string[];
}

/** An API key (`AWS::ApiGateway::ApiKey`) with the stages its usage plans give it. */
export interface ApiKeySpec {
  readonly id: string;
  readonly stackName?: string;
  /** The key's id as API Gateway reports it (`requestContext.identity.apiKeyId`). */
  readonly physicalId?: string;
  readonly name?: string;
  /** The key's value (what clients send in `x-api-key`); a key without a value cannot be used locally. */
  readonly value?: string;
  readonly enabled: boolean;
  /** `<rest api logical id>/<stage>` pairs its usage plans cover. */
  readonly stages: readonly string[];
}

/** Resource types the authorizer loader models (a function they name is not "not emulated" for them). */
export const AUTH_RESOURCE_TYPES: readonly string[] = [
  'AWS::ApiGateway::Authorizer', 'AWS::ApiGatewayV2::Authorizer', 'AWS::ApiGateway::ApiKey', 'AWS::ApiGateway::UsagePlan',
  'AWS::ApiGateway::UsagePlanKey',
];
