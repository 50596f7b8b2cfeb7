// The HTTP front of an app's APIs and Function URLs: given one request for one front, it finds the stage and route
// as API Gateway does, answers CORS preflights, asks `authorize` (the auth work) whether the request may pass,
// builds the integration's event, invokes the function through the core (the resource-policy check included) and
// turns its answer into the HTTP response — streamed for RESPONSE_STREAM Function URLs. Transport-free: the
// server (src/servers/http-front-server.ts) and tests hand it requests and a sink.
import { randomUUID } from 'crypto';
import { authorize, AuthorizeOutcome } from './auth/authorize';
import { isPreflight, preflightResponse, withCorsHeaders } from './cors';
import { FrontRequest, headerValue, restEvent, RequestTarget, v2Event } from './events';
import { ERRORS, FrontResponse, MalformedResponse, v1Response, v2Response } from './responses';
import { RouteMatch, selectHttpRoute, selectRestRoute } from './routing';
import { HttpFrontSpec, RouteSpec, StageSpec } from '../../model/apis';
import { FunctionSpec } from '../../model/function-spec';
import { evaluateInvokePolicy } from '../invoke-api/resource-policy';
import type { TwinCore } from '../twin';

/** Where a response goes: the status and headers once, then body chunks as they come. */
export interface ResponseSink {
  head(statusCode: number, headers: ReadonlyArray<readonly [string, string]>): void;
  write(chunk: Buffer): void;
  end(): void;
}

/** One line of the request log. */
export interface FrontLogEntry {
  readonly front: string;
  readonly method: string;
  readonly path: string;
  readonly statusCode: number;
  readonly durationMs: number;
  readonly functionName?: string;
  /** Why the front answered an error itself (no route, missing permission, timeout …). */
  readonly note?: string;
}

interface Outcome {
  readonly response?: FrontResponse;
  readonly streamed?: boolean;
  readonly statusCode: number;
  readonly functionName?: string;
  readonly note?: string;
}

/** The HTTP fronts of the app a core runs. */
/** What the authorizers need from outside the template (`--jwks`, `--access-key-account`). */
export interface HttpFrontAuthOptions {
  /** JWT / Cognito: issuer → JWKS file path or http(s) URL (`*` for any issuer). */
  readonly jwks?: Readonly<Record<string, string>>;
  /** AWS_IAM: access key id → account id. */
  readonly accessKeyAccounts?: Readonly<Record<string, string>>;
}

export class HttpFronts {
  constructor(private readonly core: TwinCore, private readonly authOptions: HttpFrontAuthOptions = {}) {}

  public get fronts(): readonly HttpFrontSpec[] {
    return this.core.app.apis.fronts;
  }

  public routesOf(front: HttpFrontSpec): RouteSpec[] {
    return this.core.app.apis.routes.filter((r) => r.stackName === front.stackName && r.apiId === front.id);
  }

  public stagesOf(front: HttpFrontSpec): StageSpec[] {
    return this.core.app.apis.stages.filter((s) => s.stackName === front.stackName && s.apiId === front.id);
  }

  /** The function a route invokes. */
  public functionOf(route: RouteSpec): FunctionSpec | undefined {
    return this.core.specs.find((s) => s.stackName === route.integration.functionStackName && s.logicalId === route.integration.functionLogicalId);
  }

  /**
   * A short, unique name for a front, used in local URLs: the construct id (CDK) or logical id (SAM/CloudFormation)
   * of the API, or of the function a URL fronts.
   */
  public keyOf(front: HttpFrontSpec): string {
    const base = this.baseKey(front);
    const clash = this.fronts.filter((f) => f !== front && f.kind === front.kind && this.baseKey(f) === base).length > 0;
    return clash ? `${front.stackName}-${base}` : base;
  }

  private baseKey(front: HttpFrontSpec): string {
    if (front.kind === 'URL') {
      const route = this.routesOf(front)[0];
      const spec = route ? this.functionOf(route) : undefined;
      return spec?.constructId ?? spec?.logicalId ?? front.id;
    }
    const parts = front.constructPath?.split('/') ?? [];
    if (parts.length >= 2) return parts[parts.length - 1] === 'Resource' ? parts[parts.length - 2] : parts[parts.length - 1];
    return front.id;
  }

  /**
   * The front `ref` names: its key, logical id, construct path, name or physical id, or (for a Function URL) the
   * function's reference. Throws an error listing the fronts when none matches.
   */
  public find(ref: string): HttpFrontSpec {
    const tiers: Array<(f: HttpFrontSpec) => boolean> = [
      (f) => this.keyOf(f) === ref,
      (f) => f.id === ref || f.physicalId === ref,
      (f) => f.constructPath === ref || f.constructPath === `${ref}/Resource` || f.constructPath?.endsWith(`/${ref}/Resource`) === true,
      (f) => f.kind !== 'URL' && f.name === ref,
      (f) => f.kind === 'URL' && this.urlFunctionMatches(f, ref),
    ];
    for (const tier of tiers) {
      const found = this.fronts.filter(tier);
      if (found.length === 1) return found[0];
      if (found.length > 1) throw new Error(`'${ref}' names ${found.length} APIs (${found.map((f) => `${f.stackName}/${f.id}`).join(', ')}); use the logical id or the construct path`);
    }
    const known = this.fronts.map((f) => `${this.keyOf(f)} (${f.kind})`).join(', ') || '(none: the app has no REST API, HTTP API or Function URL)';
    throw new Error(`No API or Function URL '${ref}' in this app. APIs and URLs: ${known}`);
  }

  private urlFunctionMatches(front: HttpFrontSpec, ref: string): boolean {
    const route = this.routesOf(front)[0];
    const spec = route ? this.functionOf(route) : undefined;
    if (!spec) return false;
    return [spec.logicalId, spec.functionName, spec.constructId, spec.constructPath, spec.constructPath?.replace(/\/Resource$/, '')].includes(ref)
      || spec.constructPath?.endsWith(`/${ref}/Resource`) === true;
  }

  /**
   * The stage a request path names and the path inside it. REST: the first segment must be a stage. HTTP API: the
   * first segment if it names a stage, else `$default`. URLs have no stage.
   */
  public locateStage(front: HttpFrontSpec, path: string): { stage: StageSpec; innerPath: string } | undefined {
    const stages = this.stagesOf(front);
    if (front.kind === 'URL') return { stage: stages[0] ?? { stackName: front.stackName, apiId: front.id, name: '$default', variables: {} }, innerPath: path || '/' };
    const first = /^\/([^/]+)(\/.*)?$/.exec(path);
    const named = first ? stages.find((s) => s.name !== '$default' && s.name === decodeURIComponent(first[1])) : undefined;
    if (named) return { stage: named, innerPath: first![2] ?? '/' };
    if (front.kind === 'HTTP') {
      const fallback = stages.find((s) => s.name === '$default');
      return fallback ? { stage: fallback, innerPath: path || '/' } : undefined;
    }
    return undefined;
  }

  /** Serves one request for `front`: `request.path` starts with the stage (REST, named HTTP API stages). */
  public async handle(front: HttpFrontSpec, request: FrontRequest, sink: ResponseSink): Promise<FrontLogEntry> {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    let outcome: Outcome;
    try {
      outcome = await this.serve(front, request, requestId, sink);
    } catch (err) {
      outcome = { response: ERRORS.internal(front.kind), statusCode: 500, note: `lambda-twin failed to serve the request: ${(err as Error).message}` };
    }
    if (outcome.response) {
      const r = outcome.response;
      sink.head(r.statusCode, [...r.headers, ...this.idHeaders(front, requestId)]);
      if (r.body.length && request.method !== 'HEAD') sink.write(r.body);
      sink.end();
    }
    return {
      front: this.keyOf(front),
      method: request.method,
      path: request.path + (request.rawQueryString ? `?${request.rawQueryString}` : ''),
      statusCode: outcome.statusCode,
      durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      functionName: outcome.functionName,
      note: outcome.note,
    };
  }

  private idHeaders(front: HttpFrontSpec, requestId: string): Array<[string, string]> {
    if (front.kind === 'REST') return [['x-amzn-RequestId', requestId], ['x-amz-apigw-id', requestId.slice(0, 8) + '=']];
    if (front.kind === 'HTTP') return [['apigw-requestid', requestId.slice(0, 16)]];
    return [['x-amzn-RequestId', requestId]];
  }

  private async serve(front: HttpFrontSpec, request: FrontRequest, requestId: string, sink: ResponseSink): Promise<Outcome> {
    const answer = (response: FrontResponse, note?: string, functionName?: string): Outcome =>
      ({ response, statusCode: response.statusCode, note, functionName });
    const notFound = (): FrontResponse => (front.kind === 'REST' ? ERRORS.restMissingToken() : ERRORS.httpNotFound());
    if (front.unsupported) return answer(ERRORS.notEmulated(front.unsupported), front.unsupported);
    const located = this.locateStage(front, request.path);
    if (!located) return answer(notFound(), front.kind === 'REST' ? `no stage in the path (stages: ${this.stagesOf(front).map((s) => s.name).join(', ') || 'none'})` : 'no $default stage');
    const { stage, innerPath } = located;
    const header = (name: string): string | undefined => headerValue(request, name);
    const origin = header('origin');

    if (front.cors && isPreflight(request.method, header)) {
      return answer(preflightResponse(front.cors, header, front.kind === 'URL' ? 200 : 204), 'CORS preflight');
    }
    const routes = this.routesOf(front);
    const match: RouteMatch | undefined = front.kind === 'REST' ? selectRestRoute(routes, request.method, innerPath) : selectHttpRoute(routes, request.method, innerPath);
    if (!match) return answer(notFound(), `no route for ${request.method} ${innerPath}`);
    const { route } = match;
    const integration = route.integration;
    const withCors = (r: FrontResponse): FrontResponse => (front.cors ? withCorsHeaders(front.cors, r, origin) : r);

    if (integration.type === 'MOCK') {
      return answer({ statusCode: integration.mockStatusCode ?? 200, headers: Object.entries(integration.mockHeaders ?? {}), body: Buffer.alloc(0) }, 'MOCK integration');
    }
    if (integration.unsupported) return answer(ERRORS.notEmulated(integration.unsupported), integration.unsupported);
    const spec = this.functionOf(route);
    if (!spec) return answer(ERRORS.internal(front.kind), `the integration's function ${integration.functionLogicalId} is not loaded`);

    const target: RequestTarget = {
      front, stage: stage.name, stageVariables: stage.variables, route, pathParameters: match.pathParameters, requestId, now: new Date(),
    };
    const event = integration.payloadFormatVersion === '1.0' ? restEvent({ ...request, path: innerPath }, target) : v2Event({ ...request, path: innerPath }, target);
    const arnPath = front.kind === 'REST' ? innerPath : route.path === '$default' ? '' : route.path;
    const sourceArn = front.kind === 'URL' ? undefined
      : route.path === '$default' && front.kind === 'HTTP' ? `arn:aws:execute-api:${front.region}:${front.accountId}:${front.physicalId}/${stage.name}/$default`
        : `arn:aws:execute-api:${front.region}:${front.accountId}:${front.physicalId}/${stage.name}/${request.method}${arnPath}`;

    const auth = await this.authorize(front, request, target, innerPath, event, sourceArn);
    if (!auth.allowed) {
      const status = auth.statusCode ?? 401;
      const headers: Array<[string, string]> = [['Content-Type', 'application/json'], ...Object.entries(auth.headers ?? {})];
      return answer(withCors({ statusCode: status, headers, body: Buffer.from(auth.body ?? '{"message":"Unauthorized"}') }), `refused: ${auth.reason}`, spec.functionName);
    }
    if (auth.authorizerContext !== undefined) event.requestContext.authorizer = auth.authorizerContext;
    copyIdentity(event, integration.payloadFormatVersion === '1.0', auth);

    if (front.kind === 'URL' && route.authorization.authorizationType === 'NONE') {
      const policy = evaluateInvokePolicy(spec, { caller: { principal: '*' }, action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: 'NONE', qualifier: integration.qualifier });
      if (!policy.allowed) return answer(ERRORS.urlForbidden(), `no resource-based policy allows lambda:InvokeFunctionUrl with auth type NONE (${policy.reason})`, spec.functionName);
    }
    const streaming = front.kind === 'URL' && front.invokeMode === 'RESPONSE_STREAM';
    return this.invoke(front, spec, integration.qualifier, event, sourceArn, integration.timeoutMs, requestId, request, streaming, sink, withCors);
  }

  private async authorize(
    front: HttpFrontSpec, request: FrontRequest, target: RequestTarget, innerPath: string, event: any, sourceArn: string | undefined,
  ): Promise<AuthorizeOutcome> {
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of request.rawHeaders) {
      const lower = k.toLowerCase();
      const existing = headers[lower];
      headers[lower] = existing === undefined ? v : Array.isArray(existing) ? [...existing, v] : [existing, v];
    }
    const route = target.route;
    const authorizer = route.authorization.authorizerId
      ? this.core.app.apis.authorizers.find((a) => a.stackName === route.stackName && a.id === route.authorization.authorizerId) : undefined;
    const methodArn = `arn:aws:execute-api:${front.region}:${front.accountId}:${front.physicalId}/${target.stage}/${request.method}${innerPath}`;
    return authorize({
      core: this.core,
      apiKind: front.kind,
      // A Function URL's authorizer input names the function (its logical id), as the auth work expects.
      apiId: front.kind === 'URL' ? route.integration.functionLogicalId ?? front.id : front.id,
      apiPhysicalId: front.physicalId,
      stage: target.stage,
      region: front.region,
      accountId: front.accountId,
      authorization: route.authorization,
      authorizer,
      apiKeys: this.core.app.apis.apiKeys,
      method: request.method,
      path: innerPath,
      resourcePath: route.path,
      routeKey: front.kind === 'REST' ? undefined : route.path === '$default' ? '$default' : `${route.method} ${route.path}`,
      headers,
      rawQueryString: request.rawQueryString,
      pathParameters: target.pathParameters,
      stageVariables: target.stageVariables,
      sourceIp: request.sourceIp,
      requestId: target.requestId,
      methodArn: front.kind === 'REST' ? sourceArn ?? methodArn : methodArn,
      integrationEvent: event,
      jwks: this.authOptions.jwks,
      accessKeyAccounts: this.authOptions.accessKeyAccounts,
      stackName: front.stackName,
      qualifier: front.kind === 'URL' ? route.integration.qualifier : undefined,
    });
  }

  private async invoke(
    front: HttpFrontSpec, spec: FunctionSpec, qualifier: string | undefined, event: any, sourceArn: string | undefined, timeoutMs: number | undefined,
    requestId: string, request: FrontRequest, streaming: boolean, sink: ResponseSink, withCors: (r: FrontResponse) => FrontResponse,
  ): Promise<Outcome> {
    const fn = spec.functionName;
    const answer = (response: FrontResponse, note?: string): Outcome =>
      ({ response: withCors(response), statusCode: response.statusCode, note, functionName: fn });
    const stream = streaming ? new PreludeStream(sink, withCors, () => this.idHeaders(front, requestId)) : undefined;
    const call = this.core.invoke({
      functionName: fn,
      qualifier,
      payload: Buffer.from(JSON.stringify(event)),
      requestId,
      caller: front.kind === 'URL' ? undefined : { principal: 'apigateway.amazonaws.com', sourceArn, sourceAccount: front.accountId },
      responseStreaming: streaming || undefined,
      onResponseChunk: stream ? (chunk) => stream.push(chunk) : undefined,
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      if (timeoutMs !== undefined && front.kind !== 'URL') timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    let outcome;
    try {
      const raced = await Promise.race([call, timedOut]);
      if (raced === 'timeout') {
        // The function goes on running, as it does behind API Gateway; its answer is dropped.
        call.catch(() => undefined);
        return answer(ERRORS.timeout(front.kind), `the integration timed out after ${timeoutMs} ms`);
      }
      outcome = raced;
    } catch (err: any) {
      const code = err?.code ?? err?.name;
      if (code === 'AccessDeniedException') {
        return answer(ERRORS.internal(front.kind), `API Gateway may not invoke ${fn}: add a lambda:InvokeFunction permission for apigateway.amazonaws.com with SourceArn matching ${sourceArn} (${err.message})`);
      }
      if (code === 'TooManyRequestsException') return answer(ERRORS.tooManyRequests(front.kind), err.message);
      return answer(ERRORS.internal(front.kind), `the invoke failed: ${err?.message ?? err}`);
    } finally {
      if (timer) clearTimeout(timer);
    }
    const result = outcome.result!;
    if (stream && result.streamed) {
      if (result.functionError) {
        if (!stream.started) return answer(ERRORS.badGateway(front.kind), `the function failed: ${result.errorType ?? result.functionError}`);
        stream.finish();
        return { streamed: true, statusCode: stream.statusCode, functionName: fn, note: `the function failed mid-stream (${result.errorType ?? result.functionError}); the response was cut short` };
      }
      stream.finish();
      return { streamed: true, statusCode: stream.statusCode, functionName: fn };
    }
    if (result.functionError) {
      return answer(ERRORS.badGateway(front.kind), `the function failed: ${result.timedOut ? 'it timed out' : result.errorType ?? result.functionError}`);
    }
    try {
      const response = front.kind !== 'REST' && event.version === '2.0' ? v2Response(result.payload)
        : v1Response(result.payload, front.kind, front.binaryMediaTypes, headerValue(request, 'accept'));
      const headers = front.kind === 'REST' && !response.headers.some(([k]) => k.toLowerCase() === 'content-type')
        ? [['Content-Type', 'application/json'] as [string, string], ...response.headers] : response.headers;
      return answer({ ...response, headers });
    } catch (err) {
      if (err instanceof MalformedResponse) return answer(ERRORS.badGateway(front.kind), `malformed Lambda proxy response: ${err.message}`);
      throw err;
    }
  }
}

const PRELUDE_DELIMITER = Buffer.alloc(8);
const PRELUDE_LIMIT = 64 * 1024;

/**
 * The body of a streamed Function URL response: an `HttpResponseStream.from` prelude (JSON status, headers and
 * cookies, then 8 NUL bytes) sets the head; the rest reaches the client as the function writes it.
 */
class PreludeStream {
  public started = false;
  public statusCode = 200;
  private pending: Buffer = Buffer.alloc(0);
  private decided = false;

  constructor(
    private readonly sink: ResponseSink,
    private readonly withCors: (r: FrontResponse) => FrontResponse,
    private readonly idHeaders: () => Array<[string, string]>,
  ) {}

  public push(chunk: Buffer): void {
    if (this.decided) {
      this.sink.write(chunk);
      return;
    }
    this.pending = Buffer.concat([this.pending, chunk]);
    if (this.pending[0] !== 0x7b /* { */) return this.begin(undefined, this.pending);
    const at = this.pending.indexOf(PRELUDE_DELIMITER);
    if (at >= 0) {
      let prelude: any;
      try {
        prelude = JSON.parse(this.pending.subarray(0, at).toString('utf8'));
      } catch {
        return this.begin(undefined, this.pending);
      }
      return this.begin(prelude, this.pending.subarray(at + PRELUDE_DELIMITER.length));
    }
    if (this.pending.length > PRELUDE_LIMIT) this.begin(undefined, this.pending);
  }

  public finish(): void {
    if (!this.decided) this.begin(undefined, this.pending);
    this.sink.end();
  }

  private begin(prelude: any, body: Buffer): void {
    this.decided = true;
    this.started = true;
    const headers: Array<[string, string]> = [];
    if (prelude && typeof prelude === 'object') {
      if (Number.isInteger(prelude.statusCode)) this.statusCode = prelude.statusCode;
      for (const [k, v] of Object.entries(prelude.headers ?? {})) headers.push([k, String(v)]);
      for (const cookie of Array.isArray(prelude.cookies) ? prelude.cookies : []) headers.push(['set-cookie', String(cookie)]);
    }
    if (!headers.some(([k]) => k.toLowerCase() === 'content-type')) headers.push(['content-type', 'application/octet-stream']);
    const head = this.withCors({ statusCode: this.statusCode, headers, body: Buffer.alloc(0) });
    this.sink.head(head.statusCode, [...head.headers, ...this.idHeaders()]);
    this.pending = Buffer.alloc(0);
    if (body.length) this.sink.write(body);
  }
}

/** Copies the caller's identity an authorizer established (API key, IAM caller) into the integration's event. */
function copyIdentity(event: any, v1: boolean, auth: AuthorizeOutcome): void {
  if (v1) {
    const identity = event.requestContext.identity ?? (event.requestContext.identity = {});
    if (auth.callerIdentity && typeof auth.callerIdentity === 'object') Object.assign(identity, auth.callerIdentity);
    if (auth.apiKeyId) identity.apiKeyId = auth.apiKeyId;
    if (auth.apiKey) identity.apiKey = auth.apiKey;
    if (auth.callerAccountId) identity.accountId = auth.callerAccountId;
    if (auth.callerAccessKey) identity.accessKey = auth.callerAccessKey;
  }
  // Payload 2.0 (HTTP APIs, Function URLs): the IAM caller arrives as `authorizer.iam` in `authorizerContext`.
}
