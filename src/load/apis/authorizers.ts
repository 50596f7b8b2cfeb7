// Reads the authorizers and API keys of one template (issue 15, auth work): `AWS::ApiGateway::Authorizer`,
// `AWS::ApiGatewayV2::Authorizer`, `AWS::ApiGateway::ApiKey` with the usage plans (`UsagePlan`, `UsagePlanKey`) that
// give keys their stages, and the `Auth` section of SAM `AWS::Serverless::Api` / `AWS::Serverless::HttpApi`
// (SAM writes those authorizers into the API's OpenAPI definition, not as resources, so they are read here).
import { ApiKeySpec, AuthorizerSpec } from '../../model/api-auth';
import { findUnresolved, physicalId, resolveValue, Unresolved } from '../intrinsics';
import { functionOfReference, LoadedTemplate } from '../resource-context';

/** REST authorizers cache results for 300 s unless told otherwise (CloudFormation and SAM alike). */
export const REST_DEFAULT_TTL_SECONDS = 300;

export interface LoadedAuthorizers {
  authorizers: AuthorizerSpec[];
  apiKeys: ApiKeySpec[];
  /** What was read but cannot be used locally, one sentence each (unresolvable values, functions not in the app). */
  warnings: string[];
}

/** The authorizer id a SAM `Auth.Authorizers` entry gets: its name (what SAM events' `Auth.Authorizer` say). */
export function samAuthorizerId(name: string): string {
  return name;
}

export function loadAuthorizers(loaded: LoadedTemplate): LoadedAuthorizers {
  const reader = new AuthReader(loaded);
  const resources: Record<string, any> = loaded.template.Resources ?? {};
  for (const [logicalId, resource] of Object.entries<any>(resources)) {
    switch (resource?.Type) {
      case 'AWS::ApiGateway::Authorizer': reader.restAuthorizer(logicalId, resource.Properties ?? {}); break;
      case 'AWS::ApiGatewayV2::Authorizer': reader.httpAuthorizer(logicalId, resource.Properties ?? {}); break;
      case 'AWS::Serverless::Api': reader.samRestAuth(logicalId, resource.Properties?.Auth); break;
      case 'AWS::Serverless::HttpApi': reader.samHttpAuth(logicalId, resource.Properties?.Auth); break;
      default: break;
    }
  }
  reader.apiKeys(resources);
  return { authorizers: reader.authorizers, apiKeys: reader.keys, warnings: reader.warnings };
}

const REST_TYPES = ['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'];
const HTTP_TYPES = ['REQUEST', 'JWT'];

class AuthReader {
  readonly authorizers: AuthorizerSpec[] = [];
  readonly keys: ApiKeySpec[] = [];
  readonly warnings: string[] = [];
  private readonly source: string;

  constructor(private readonly loaded: LoadedTemplate) {
    this.source = loaded.options.source ?? loaded.ctx.stackName;
  }

  restAuthorizer(logicalId: string, props: any): void {
    const where = `${this.source}: Resources.${logicalId}`;
    const type = String(this.resolve(props.Type, `${where}.Properties.Type`) ?? '');
    if (!REST_TYPES.includes(type)) {
      throw new Error(`${where}.Properties.Type is ${JSON.stringify(props.Type)}: an AWS::ApiGateway::Authorizer is TOKEN, REQUEST or COGNITO_USER_POOLS`);
    }
    const identity = this.resolve(props.IdentitySource, `${where}.Properties.IdentitySource`);
    const identitySource = typeof identity === 'string' ? identity.split(',').map((s) => s.trim()).filter((s) => s) : [];
    if (type !== 'REQUEST' && identitySource.length === 0) {
      throw new Error(`${where}.Properties.IdentitySource is missing: a ${type} authorizer needs one (e.g. method.request.header.Authorization)`);
    }
    const warnings: string[] = [];
    const fn = type === 'COGNITO_USER_POOLS' ? undefined : this.authorizerFunction(props.AuthorizerUri, `${where}.Properties.AuthorizerUri`, warnings);
    const providerArns = type === 'COGNITO_USER_POOLS' ? this.userPoolArns(props.ProviderARNs, `${where}.Properties.ProviderARNs`, warnings) : undefined;
    if (type === 'COGNITO_USER_POOLS' && (!providerArns || providerArns.length === 0)) {
      throw new Error(`${where}.Properties.ProviderARNs is missing: a COGNITO_USER_POOLS authorizer names its user pools`);
    }
    const ttl = this.ttl(props.AuthorizerResultTtlInSeconds, REST_DEFAULT_TTL_SECONDS, `${where}.Properties.AuthorizerResultTtlInSeconds`);
    const validation = props.IdentityValidationExpression === undefined ? undefined : String(this.resolve(props.IdentityValidationExpression, where));
    if (validation !== undefined) this.checkRegex(validation, `${where}.Properties.IdentityValidationExpression`);
    this.add({
      id: logicalId,
      stackName: this.loaded.ctx.stackName,
      apiId: this.apiLogicalId(props.RestApiId, `${where}.Properties.RestApiId`),
      name: String(this.resolve(props.Name, where) ?? logicalId),
      type,
      apiKind: 'REST',
      identitySource,
      resultTtlSeconds: ttl,
      ...(validation !== undefined ? { identityValidationExpression: validation } : {}),
      ...(providerArns ? { providerArns } : {}),
      ...fn,
      ...this.role(props.AuthorizerCredentials, `${where}.Properties.AuthorizerCredentials`),
      physicalId: this.physical(logicalId),
      source: `Resources.${logicalId}`,
      ...(warnings.length ? { warnings } : {}),
    });
  }

  httpAuthorizer(logicalId: string, props: any): void {
    const where = `${this.source}: Resources.${logicalId}`;
    const type = String(this.resolve(props.AuthorizerType, `${where}.Properties.AuthorizerType`) ?? '');
    if (!HTTP_TYPES.includes(type)) {
      throw new Error(`${where}.Properties.AuthorizerType is ${JSON.stringify(props.AuthorizerType)}: an AWS::ApiGatewayV2::Authorizer of an HTTP API is REQUEST or JWT`);
    }
    const warnings: string[] = [];
    const identitySource = this.stringList(props.IdentitySource, `${where}.Properties.IdentitySource`, warnings) ?? [];
    const base = {
      id: logicalId,
      stackName: this.loaded.ctx.stackName,
      apiId: this.apiLogicalId(props.ApiId, `${where}.Properties.ApiId`),
      name: String(this.resolve(props.Name, where) ?? logicalId),
      type,
      apiKind: 'HTTP',
      identitySource,
      physicalId: this.physical(logicalId),
      source: `Resources.${logicalId}`,
    };
    if (type === 'JWT') {
      const jwt = props.JwtConfiguration ?? {};
      const issuer = this.resolve(jwt.Issuer, `${where}.Properties.JwtConfiguration.Issuer`);
      if (typeof issuer !== 'string') {
        throw new Error(`${where}.Properties.JwtConfiguration.Issuer is missing: a JWT authorizer names the issuer its tokens come from`);
      }
      const audience = this.stringList(jwt.Audience, `${where}.Properties.JwtConfiguration.Audience`, warnings) ?? [];
      this.add({ ...base, resultTtlSeconds: 0, jwtIssuer: issuer, jwtAudience: audience, ...(warnings.length ? { warnings } : {}) });
      return;
    }
    const version = props.AuthorizerPayloadFormatVersion === undefined
      ? undefined : String(this.resolve(props.AuthorizerPayloadFormatVersion, where));
    if (version === undefined || !['1.0', '2.0'].includes(version)) {
      throw new Error(`${where}.Properties.AuthorizerPayloadFormatVersion is ${JSON.stringify(props.AuthorizerPayloadFormatVersion)}: a REQUEST authorizer of an HTTP API needs 1.0 or 2.0`);
    }
    const simple = this.resolve(props.EnableSimpleResponses, where);
    const fn = this.authorizerFunction(props.AuthorizerUri, `${where}.Properties.AuthorizerUri`, warnings);
    this.add({
      ...base,
      resultTtlSeconds: this.ttl(props.AuthorizerResultTtlInSeconds, 0, `${where}.Properties.AuthorizerResultTtlInSeconds`),
      payloadFormatVersion: version,
      enableSimpleResponses: simple === true || simple === 'true',
      ...fn,
      ...this.role(props.AuthorizerCredentialsArn, `${where}.Properties.AuthorizerCredentialsArn`),
      ...(warnings.length ? { warnings } : {}),
    });
  }

  /** SAM `AWS::Serverless::Api` `Auth.Authorizers`: Lambda TOKEN/REQUEST and Cognito authorizers. */
  samRestAuth(apiId: string, auth: any): void {
    if (!auth || typeof auth !== 'object') return;
    const plan = auth.UsagePlan?.CreateUsagePlan;
    if (plan !== undefined && plan !== 'NONE') {
      this.warnings.push(`${this.source}: Resources.${apiId}.Properties.Auth.UsagePlan creates an API key whose value API Gateway generates, which ` +
        'cannot be known locally: declare an AWS::ApiGateway::ApiKey with a Value and an AWS::ApiGateway::UsagePlanKey to call keyed routes locally');
    }
    if (!auth.Authorizers) return;
    for (const [name, config] of Object.entries<any>(auth.Authorizers)) {
      const where = `${this.source}: Resources.${apiId}.Properties.Auth.Authorizers.${name}`;
      const identity = config?.Identity ?? {};
      const warnings: string[] = [];
      const ttl = this.ttl(identity.ReauthorizeEvery, REST_DEFAULT_TTL_SECONDS, `${where}.Identity.ReauthorizeEvery`);
      const base = { id: samAuthorizerId(name), stackName: this.loaded.ctx.stackName, apiId, name, apiKind: 'REST', resultTtlSeconds: ttl, source: `Resources.${apiId}.Properties.Auth.Authorizers.${name}` };
      if (config?.UserPoolArn !== undefined) {
        const providerArns = this.userPoolArns(config.UserPoolArn, `${where}.UserPoolArn`, warnings) ?? [];
        const header = String(this.resolve(identity.Header, where) ?? 'Authorization');
        this.add({ ...base, type: 'COGNITO_USER_POOLS', identitySource: [`method.request.header.${header}`], providerArns, ...(warnings.length ? { warnings } : {}) });
        continue;
      }
      if (config?.FunctionArn === undefined) {
        throw new Error(`${where} has neither FunctionArn (a Lambda authorizer) nor UserPoolArn (a Cognito authorizer)`);
      }
      const payload = String(this.resolve(config.FunctionPayloadType, where) ?? 'TOKEN');
      if (!['TOKEN', 'REQUEST'].includes(payload)) throw new Error(`${where}.FunctionPayloadType is ${JSON.stringify(payload)}: use TOKEN or REQUEST`);
      const fn = this.authorizerFunction(config.FunctionArn, `${where}.FunctionArn`, warnings);
      let identitySource: string[];
      if (payload === 'TOKEN') {
        identitySource = [`method.request.header.${String(this.resolve(identity.Header, where) ?? 'Authorization')}`];
      } else {
        identitySource = [
          ...(this.stringList(identity.Headers, `${where}.Identity.Headers`, warnings) ?? []).map((h) => `method.request.header.${h}`),
          ...(this.stringList(identity.QueryStrings, `${where}.Identity.QueryStrings`, warnings) ?? []).map((q) => `method.request.querystring.${q}`),
          ...(this.stringList(identity.StageVariables, `${where}.Identity.StageVariables`, warnings) ?? []).map((s) => `stageVariables.${s}`),
          ...(this.stringList(identity.Context, `${where}.Identity.Context`, warnings) ?? []).map((c) => `context.${c}`),
        ];
      }
      const validation = identity.ValidationExpression === undefined ? undefined : String(this.resolve(identity.ValidationExpression, where));
      if (validation !== undefined) this.checkRegex(validation, `${where}.Identity.ValidationExpression`);
      this.add({
        ...base,
        type: payload,
        identitySource,
        ...fn,
        ...this.role(config.FunctionInvokeRole, `${where}.FunctionInvokeRole`),
        ...(validation !== undefined ? { identityValidationExpression: validation } : {}),
        ...(warnings.length ? { warnings } : {}),
      });
    }
  }

  /** SAM `AWS::Serverless::HttpApi` `Auth.Authorizers`: JWT (`JwtConfiguration`) and Lambda (`FunctionArn`) authorizers. */
  samHttpAuth(apiId: string, auth: any): void {
    if (!auth || typeof auth !== 'object' || !auth.Authorizers) return;
    for (const [name, config] of Object.entries<any>(auth.Authorizers)) {
      const where = `${this.source}: Resources.${apiId}.Properties.Auth.Authorizers.${name}`;
      const warnings: string[] = [];
      const base = { id: samAuthorizerId(name), stackName: this.loaded.ctx.stackName, apiId, name, apiKind: 'HTTP', source: `Resources.${apiId}.Properties.Auth.Authorizers.${name}` };
      if (config?.JwtConfiguration !== undefined) {
        const jwt = config.JwtConfiguration;
        const issuer = this.resolve(jwt.issuer ?? jwt.Issuer, `${where}.JwtConfiguration.issuer`);
        if (typeof issuer !== 'string') throw new Error(`${where}.JwtConfiguration.issuer is missing: a JWT authorizer names the issuer its tokens come from`);
        const identity = this.resolve(config.IdentitySource, where) ?? '$request.header.Authorization';
        this.add({
          ...base,
          type: 'JWT',
          resultTtlSeconds: 0,
          identitySource: String(identity).split(',').map((s) => s.trim()),
          jwtIssuer: issuer,
          jwtAudience: this.stringList(jwt.audience ?? jwt.Audience, `${where}.JwtConfiguration.audience`, warnings) ?? [],
          ...(warnings.length ? { warnings } : {}),
        });
        continue;
      }
      if (config?.FunctionArn === undefined) {
        throw new Error(`${where} has neither JwtConfiguration (a JWT authorizer) nor FunctionArn (a Lambda authorizer)`);
      }
      const identity = config.Identity ?? {};
      const version = String(this.resolve(config.AuthorizerPayloadFormatVersion, where) ?? '');
      if (!['1.0', '2.0'].includes(version)) {
        throw new Error(`${where}.AuthorizerPayloadFormatVersion is ${JSON.stringify(config.AuthorizerPayloadFormatVersion)}: a Lambda authorizer of an HTTP API needs 1.0 or 2.0`);
      }
      const simple = this.resolve(config.EnableSimpleResponses, where);
      this.add({
        ...base,
        type: 'REQUEST',
        identitySource: [
          ...(this.stringList(identity.Headers, `${where}.Identity.Headers`, warnings) ?? []).map((h) => `$request.header.${h}`),
          ...(this.stringList(identity.QueryStrings, `${where}.Identity.QueryStrings`, warnings) ?? []).map((q) => `$request.querystring.${q}`),
          ...(this.stringList(identity.StageVariables, `${where}.Identity.StageVariables`, warnings) ?? []).map((s) => `$stageVariables.${s}`),
          ...(this.stringList(identity.Context, `${where}.Identity.Context`, warnings) ?? []).map((c) => `$context.${c}`),
        ],
        resultTtlSeconds: this.ttl(identity.ReauthorizeEvery, 0, `${where}.Identity.ReauthorizeEvery`),
        payloadFormatVersion: version,
        enableSimpleResponses: simple === true || simple === 'true',
        ...this.authorizerFunction(config.FunctionArn, `${where}.FunctionArn`, warnings),
        ...this.role(config.FunctionInvokeRole, `${where}.FunctionInvokeRole`),
        ...(warnings.length ? { warnings } : {}),
      });
    }
  }

  /** API keys, and the stages usage plans give them (`UsagePlanKey` → `UsagePlan.ApiStages`, or the key's `StageKeys`). */
  apiKeys(resources: Record<string, any>): void {
    const planStages = new Map<string, string[]>();
    for (const [logicalId, resource] of Object.entries<any>(resources)) {
      if (resource?.Type !== 'AWS::ApiGateway::UsagePlan') continue;
      const stages = (Array.isArray(resource.Properties?.ApiStages) ? resource.Properties.ApiStages : []).map((s: any, i: number) => {
        const where = `${this.source}: Resources.${logicalId}.Properties.ApiStages[${i}]`;
        return `${this.apiLogicalId(s?.ApiId, `${where}.ApiId`)}/${this.stageName(s?.Stage, `${where}.Stage`)}`;
      });
      planStages.set(logicalId, stages);
      const limits = ['Quota', 'Throttle'].filter((p) => resource.Properties?.[p] !== undefined);
      if (limits.length) {
        this.warnings.push(`${this.source}: Resources.${logicalId} (usage plan): ${limits.join(' and ')} ${limits.length > 1 ? 'are' : 'is'} not emulated locally; its keys are checked, not metered`);
      }
    }
    const keyStages = new Map<string, string[]>();
    for (const resource of Object.values<any>(resources)) {
      if (resource?.Type !== 'AWS::ApiGateway::UsagePlanKey') continue;
      const keyId = refTarget(resource.Properties?.KeyId);
      const planId = refTarget(resource.Properties?.UsagePlanId);
      if (!keyId || !planId) continue;
      keyStages.set(keyId, [...(keyStages.get(keyId) ?? []), ...(planStages.get(planId) ?? [])]);
    }
    for (const [logicalId, resource] of Object.entries<any>(resources)) {
      if (resource?.Type !== 'AWS::ApiGateway::ApiKey') continue;
      const props = resource.Properties ?? {};
      const where = `${this.source}: Resources.${logicalId}`;
      const stageKeys = (Array.isArray(props.StageKeys) ? props.StageKeys : []).map((k: any, i: number) =>
        `${this.apiLogicalId(k?.RestApiId, `${where}.Properties.StageKeys[${i}].RestApiId`)}/${this.stageName(k?.StageName, `${where}.Properties.StageKeys[${i}].StageName`)}`);
      const value = props.Value === undefined ? undefined : this.resolve(props.Value, `${where}.Properties.Value`);
      const enabled = this.resolve(props.Enabled, where);
      this.keys.push({
        id: logicalId,
        stackName: this.loaded.ctx.stackName,
        physicalId: this.physical(logicalId),
        name: String(this.resolve(props.Name, where) ?? logicalId),
        ...(typeof value === 'string' ? { value } : {}),
        // CloudFormation's default is a disabled key (CDK writes Enabled: true).
        enabled: enabled === true || enabled === 'true',
        stages: [...new Set([...stageKeys, ...(keyStages.get(logicalId) ?? [])])],
      });
      if (typeof value !== 'string') {
        this.warnings.push(`${where} has no Value (API Gateway generates one when deployed): give it a Value to call its API with this key locally`);
      }
    }
  }

  private add(spec: AuthorizerSpec): void {
    this.authorizers.push(spec);
    for (const w of spec.warnings ?? []) this.warnings.push(w);
  }

  /** The authorizer function an `AuthorizerUri` (or SAM `FunctionArn`) names. */
  private authorizerFunction(uri: any, where: string, warnings: string[]): Pick<AuthorizerSpec, 'functionLogicalId' | 'functionStackName' | 'functionArn'> {
    if (uri === undefined) throw new Error(`${where} is missing: a Lambda authorizer names its function`);
    let spec = functionOfReference(this.loaded, uri) ?? findFunctionReference(this.loaded, uri);
    const resolved = resolveValue(uri, this.loaded.ctx);
    const arn = typeof resolved === 'string' ? (/functions\/(arn:[^/]+)\/invocations/.exec(resolved)?.[1] ?? resolved) : undefined;
    if (!spec && arn) spec = functionOfReference(this.loaded, arn);
    if (!spec) {
      warnings.push(`${where} (${arn ?? JSON.stringify(uri)}) is not a function of this app: requests it authorizes get 500 locally`);
      return arn ? { functionArn: arn } : {};
    }
    return { functionLogicalId: spec.logicalId, functionStackName: spec.stackName, ...(arn ? { functionArn: arn } : {}) };
  }

  /**
   * User pool ARNs; `Fn::GetAtt Pool.Arn` of a pool of the template is its local ARN
   * (`arn:aws:cognito-idp:{region}:{account}:userpool/{Ref of the pool}`), so tokens name the issuer that `Ref` gives.
   */
  private userPoolArns(value: any, where: string, warnings: string[]): string[] | undefined {
    if (value === undefined) return undefined;
    const out: string[] = [];
    for (const item of Array.isArray(value) ? value : [value]) {
      const att = item?.['Fn::GetAtt'];
      const [poolId, attribute] = Array.isArray(att) ? att : typeof att === 'string' ? att.split('.') : [];
      if (attribute === 'Arn' && this.loaded.template.Resources?.[poolId]?.Type === 'AWS::Cognito::UserPool') {
        out.push(`arn:aws:cognito-idp:${this.loaded.ctx.region}:${this.loaded.ctx.accountId}:userpool/${this.physical(poolId)}`);
      } else {
        out.push(...(this.stringList(item, where, warnings) ?? []));
      }
    }
    return out;
  }

  private role(value: any, where: string): { invokeRoleArn?: string } {
    if (value === undefined) return {};
    const arn = this.resolve(value, where);
    return typeof arn === 'string' ? { invokeRoleArn: arn } : {};
  }

  private ttl(value: any, fallback: number, where: string): number {
    if (value === undefined) return fallback;
    const n = Number(this.resolve(value, where));
    if (!Number.isInteger(n) || n < 0 || n > 3600) throw new Error(`${where} is ${JSON.stringify(value)}: a result TTL is a whole number of seconds from 0 (no caching) to 3600`);
    return n;
  }

  private checkRegex(expression: string, where: string): void {
    try {
      new RegExp(expression);
    } catch (e) {
      throw new Error(`${where} ${JSON.stringify(expression)} is not a valid regular expression: ${(e as Error).message}`);
    }
  }

  private stringList(value: any, where: string, warnings: string[]): string[] | undefined {
    if (value === undefined) return undefined;
    const v = this.resolve(value, where);
    const list = Array.isArray(v) ? v : [v];
    const out: string[] = [];
    for (const item of list) {
      if (item instanceof Unresolved) warnings.push(`${where} cannot be resolved locally: ${item.reason}`);
      else if (item !== undefined && item !== null) out.push(String(item));
    }
    return out;
  }

  /** A resolved value; a template parameter without a value is an error naming it (CloudFormation refuses it too). */
  private resolve(value: any, where: string): any {
    if (value === undefined) return undefined;
    const v = resolveValue(value, this.loaded.ctx);
    const bad = findUnresolved(v);
    if (bad?.parameter !== undefined) throw new Error(`${where} cannot be resolved locally: ${bad.reason}`);
    return v instanceof Unresolved ? undefined : v;
  }

  private physical(logicalId: string): string {
    const id = physicalId(logicalId, this.loaded.template.Resources[logicalId], this.loaded.ctx);
    return typeof id === 'string' ? id : `${this.loaded.ctx.stackName}-${logicalId}`;
  }

  /** The logical id of the API a `RestApiId`/`ApiId` refers to (a `Ref`), or the value as written. */
  private apiLogicalId(value: any, where: string): string {
    const target = refTarget(value);
    if (target) return target;
    const v = this.resolve(value, where);
    if (typeof v !== 'string') throw new Error(`${where} is missing: name the API (a Ref to its resource)`);
    return v;
  }

  /** A stage name: a `Ref` to an `AWS::ApiGateway::Stage` is its `StageName` (what CloudFormation returns for it). */
  private stageName(value: any, where: string): string {
    const target = refTarget(value);
    const resource = target ? this.loaded.template.Resources?.[target] : undefined;
    if (resource?.Type === 'AWS::ApiGateway::Stage') return String(this.resolve(resource.Properties?.StageName, where) ?? target);
    const v = this.resolve(value, where);
    if (typeof v !== 'string') throw new Error(`${where} is missing: name the stage`);
    return v;
  }
}

function refTarget(value: any): string | undefined {
  return value && typeof value === 'object' && typeof value.Ref === 'string' ? value.Ref : undefined;
}

/** The first function a `Ref`/`Fn::GetAtt` somewhere inside `value` (a `Fn::Join`/`Fn::Sub` URI) names. */
function findFunctionReference(loaded: LoadedTemplate, value: any): ReturnType<typeof functionOfReference> {
  if (!value || typeof value !== 'object') return undefined;
  if (!Array.isArray(value) && (value.Ref !== undefined || value['Fn::GetAtt'] !== undefined)) {
    const spec = functionOfReference(loaded, value);
    if (spec) return spec;
  }
  if (!Array.isArray(value) && typeof value['Fn::Sub'] === 'string') {
    for (const m of value['Fn::Sub'].matchAll(/\$\{([A-Za-z0-9]+)(?:\.Arn)?\}/g)) {
      const spec = functionOfReference(loaded, { Ref: m[1] });
      if (spec) return spec;
    }
  }
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    const spec = findFunctionReference(loaded, child);
    if (spec) return spec;
  }
  return undefined;
}
