// The HTTP fronts of an app, as the one loader reads them from its templates (issue 15): REST APIs, HTTP APIs and
// Function URLs with their routes, integrations, authorizers and CORS. Internal: not part of the jsii API.
// Every field is a list, so the models of several stacks merge by concatenation (see `mergeModels` in app-model.ts).

import { ApiKeySpec, AuthorizerSpec } from './api-auth';

/** One HTTP front: a REST API, an HTTP API or a Function URL. */
export interface HttpFrontSpec {
  /** `REST`, `HTTP` or `URL`. */
  readonly kind: string;
  /** Logical id of the RestApi / ApiGatewayV2::Api / Lambda::Url resource. */
  readonly id: string;
  readonly stackName: string;
  /** The API's name (its `Name` property, else the logical id). */
  readonly name: string;
  /** The id in ARNs and hosts: what `Ref` to the API resolves to; for URLs the 32-character url id. */
  readonly physicalId: string;
  /** The construct path (`Stack/MyApi/Resource`) from the CDK metadata, if any. */
  readonly constructPath?: string;
  readonly region: string;
  readonly accountId: string;
  /** REST: `binaryMediaTypes` (`image/png`, `image/*`, `*\/*`). */
  readonly binaryMediaTypes: readonly string[];
  /** HTTP API `CorsConfiguration` / URL `Cors`. */
  readonly cors?: CorsSpec;
  /** URL: `BUFFERED` or `RESPONSE_STREAM`. */
  readonly invokeMode?: string;
  /** Why a front is not served (WebSocket, private endpoint …): its requests answer 500 with this text. */
  readonly unsupported?: string;
}

/** A CORS configuration (HTTP API CorsConfiguration, Function URL Cors). */
export interface CorsSpec {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAge?: number;
  readonly allowCredentials: boolean;
}

/** A deployed stage of a REST or HTTP API. */
export interface StageSpec {
  readonly stackName: string;
  /** Logical id of the API. */
  readonly apiId: string;
  /** `prod`, `$default` … */
  readonly name: string;
  readonly variables: Readonly<Record<string, string>>;
}

/** How a route is protected (the model's copy of the engine's RouteAuthorization). */
export interface RouteAuthorizationSpec {
  readonly authorizationType: string;
  readonly authorizerId?: string;
  readonly scopes?: readonly string[];
  readonly apiKeyRequired?: boolean;
}

/** What a route hands its request to. */
export interface IntegrationSpec {
  /** `AWS_PROXY`, `MOCK`, or what is not emulated (`AWS`, `HTTP`, `HTTP_PROXY` …). */
  readonly type: string;
  /** AWS_PROXY: the function. */
  readonly functionStackName?: string;
  readonly functionLogicalId?: string;
  /** The alias or version the integration URI names. */
  readonly qualifier?: string;
  /** HTTP API: `1.0` or `2.0`; REST: `1.0`; URL: `2.0`. */
  readonly payloadFormatVersion: string;
  /** Integration timeout in milliseconds (REST 29 000, HTTP 30 000 unless set; URL: the function timeout). */
  readonly timeoutMs?: number;
  /** MOCK: the status and headers of its first integration response. */
  readonly mockStatusCode?: number;
  readonly mockHeaders?: Readonly<Record<string, string>>;
  /** Why this integration is not emulated (what a request to it answers, with a 500). */
  readonly unsupported?: string;
}

/** One route: a REST method on a resource path, an HTTP API route key, or a Function URL's catch-all. */
export interface RouteSpec {
  readonly stackName: string;
  /** Logical id of the API (or of the URL). */
  readonly apiId: string;
  /** `REST`, `HTTP`, `URL`. */
  readonly kind: string;
  /** The logical id of the Method / Route resource (REST `resourceId` is derived from it). */
  readonly routeId: string;
  /** `GET`, `ANY` … (`ANY` for `$default`). */
  readonly method: string;
  /** `/items/{id}`, `/{proxy+}`, or `$default`. */
  readonly path: string;
  readonly integration: IntegrationSpec;
  readonly authorization: RouteAuthorizationSpec;
}

export interface ApisModel {
  readonly fronts: readonly HttpFrontSpec[];
  readonly stages: readonly StageSpec[];
  readonly routes: readonly RouteSpec[];
  /** What the templates have that the HTTP front does not emulate, by resource (shown by list and start-api). */
  readonly unsupported: readonly string[];
  /** Owned by the auth work (src/load/apis/authorizers.ts). */
  readonly authorizers: readonly AuthorizerSpec[];
  readonly apiKeys: readonly ApiKeySpec[];
}

export const EMPTY_APIS: ApisModel = { fronts: [], stages: [], routes: [], unsupported: [], authorizers: [], apiKeys: [] };
