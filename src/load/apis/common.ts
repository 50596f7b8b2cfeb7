// What the API loaders share: finding the function an integration URI names, reading CORS and auth fields, and the
// bits of a template every front needs (construct paths, physical ids).
import { HttpFrontSpec, CorsSpec, IntegrationSpec, RouteAuthorizationSpec } from '../../model/apis';
import { physicalId, resolveValue, Unresolved } from '../intrinsics';
import { functionOfReference, LoadedTemplate } from '../resource-context';

/** Resources of the template with the given type, in template order. */
export function resourcesOfType(loaded: LoadedTemplate, ...types: string[]): Array<[string, any]> {
  return Object.entries<any>(loaded.template.Resources ?? {}).filter(([, r]) => types.includes(r?.Type));
}

/** The logical id a `Ref` / `Fn::GetAtt` (or an `integrations/${Ref}` join) points at, if it names one of `ids`. */
export function referencedId(value: any, ids: ReadonlySet<string>): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') {
    for (const m of value.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z]+)?\}/g)) if (ids.has(m[1])) return m[1];
    return ids.has(value) ? value : undefined;
  }
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = referencedId(v, ids);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object') {
    if (typeof value.Ref === 'string' && ids.has(value.Ref)) return value.Ref;
    const getAtt = value['Fn::GetAtt'];
    const target = Array.isArray(getAtt) ? getAtt[0] : typeof getAtt === 'string' ? getAtt.split('.')[0] : undefined;
    if (typeof target === 'string' && ids.has(target)) return target;
    for (const v of Object.values(value)) {
      const found = referencedId(v, ids);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The function (and qualifier) a Lambda integration URI stands for: `arn:…:apigateway:…:lambda:path/2015-03-31/
 * functions/<function arn>/invocations` or the function ARN itself, usually written as an `Fn::Join`/`Fn::Sub`
 * around `Fn::GetAtt [Fn, Arn]`. The unresolved structure is searched first, then the resolved ARN is matched.
 */
export function integrationTarget(loaded: LoadedTemplate, uri: any): Pick<IntegrationSpec, 'functionStackName' | 'functionLogicalId' | 'qualifier'> | string {
  const resources = loaded.template.Resources ?? {};
  const candidates = new Set(Object.keys(resources).filter((id) => ['AWS::Lambda::Function', 'AWS::Lambda::Alias', 'AWS::Lambda::Version'].includes(resources[id]?.Type)));
  const id = referencedId(uri, candidates);
  const resolved = resolveValue(uri, loaded.ctx);
  const arnText = typeof resolved === 'string' ? resolved : undefined;
  const qualifierInArn = arnText ? /:function:[^:/]+:([^:/]+)(?:\/invocations)?$/.exec(arnText)?.[1] : undefined;
  if (id) {
    const spec = functionOfReference(loaded, { Ref: id });
    if (spec) {
      const resource = resources[id];
      const qualifier = resource.Type === 'AWS::Lambda::Alias' ? String(resolveValue(resource.Properties?.Name, loaded.ctx))
        : resource.Type === 'AWS::Lambda::Version' ? undefined : qualifierInArn;
      return { functionStackName: spec.stackName, functionLogicalId: spec.logicalId, qualifier };
    }
  }
  if (arnText) {
    const name = /:function:([^:/]+)/.exec(arnText)?.[1];
    const spec = name ? functionOfReference(loaded, name) : undefined;
    if (spec) return { functionStackName: spec.stackName, functionLogicalId: spec.logicalId, qualifier: qualifierInArn };
    return `its integration URI ${arnText} names a function that is not in this app`;
  }
  const why = resolved instanceof Unresolved ? resolved.reason : 'it could not be read';
  return `its integration URI names no function of this app (${why})`;
}

/** A string value of the template, resolved, or `fallback` when absent or unresolvable. */
export function stringValue(loaded: LoadedTemplate, value: any, fallback?: string): string | undefined {
  if (value === undefined) return fallback;
  const resolved = resolveValue(value, loaded.ctx);
  if (resolved === undefined || resolved === null || resolved instanceof Unresolved || typeof resolved === 'object') return fallback;
  return String(resolved);
}

/** A list of strings (resolved), dropping what cannot be resolved. */
export function stringList(loaded: LoadedTemplate, value: any): string[] {
  if (value === undefined) return [];
  const resolved = resolveValue(value, loaded.ctx);
  const list = Array.isArray(resolved) ? resolved : [resolved];
  return list.filter((v) => v !== undefined && v !== null && !(v instanceof Unresolved)).map(String);
}

/** A string map (stage variables), resolved. */
export function stringMap(loaded: LoadedTemplate, value: any): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    const s = stringValue(loaded, v);
    if (s !== undefined) out[k] = s;
  }
  return out;
}

/** `CorsConfiguration` (HTTP API) / `Cors` (Function URL): the same fields. */
export function corsOf(loaded: LoadedTemplate, cors: any): CorsSpec | undefined {
  if (!cors || typeof cors !== 'object') return undefined;
  const maxAge = stringValue(loaded, cors.MaxAge);
  return {
    allowOrigins: stringList(loaded, cors.AllowOrigins),
    allowMethods: stringList(loaded, cors.AllowMethods).map((m) => m.toUpperCase()),
    allowHeaders: stringList(loaded, cors.AllowHeaders),
    exposeHeaders: stringList(loaded, cors.ExposeHeaders),
    maxAge: maxAge !== undefined ? Number(maxAge) : undefined,
    allowCredentials: String(resolveValue(cors.AllowCredentials, loaded.ctx)) === 'true',
  };
}

/** The common fields of one front. */
export function frontBase(loaded: LoadedTemplate, kind: string, logicalId: string, resource: any): Omit<HttpFrontSpec, 'binaryMediaTypes'> {
  const id = physicalId(logicalId, resource, loaded.ctx);
  return {
    kind,
    id: logicalId,
    stackName: loaded.ctx.stackName,
    name: stringValue(loaded, resource.Properties?.Name, logicalId)!,
    physicalId: typeof id === 'string' ? id : logicalId.toLowerCase(),
    constructPath: typeof resource.Metadata?.['aws:cdk:path'] === 'string' ? resource.Metadata['aws:cdk:path'] : undefined,
    region: loaded.ctx.region,
    accountId: loaded.ctx.accountId,
  };
}

/** A route's authorization from the fields Method / Route resources share. */
export function authorizationOf(loaded: LoadedTemplate, props: any, authorizerIds: ReadonlySet<string>): RouteAuthorizationSpec {
  const type = stringValue(loaded, props.AuthorizationType, 'NONE')!;
  const authorizerId = props.AuthorizerId !== undefined
    ? referencedId(props.AuthorizerId, authorizerIds) ?? stringValue(loaded, props.AuthorizerId) : undefined;
  const scopes = props.AuthorizationScopes !== undefined ? stringList(loaded, props.AuthorizationScopes) : undefined;
  const apiKeyRequired = String(resolveValue(props.ApiKeyRequired, loaded.ctx)) === 'true' ? true : undefined;
  return {
    authorizationType: type,
    ...(authorizerId !== undefined ? { authorizerId } : {}),
    ...(scopes !== undefined ? { scopes } : {}),
    ...(apiKeyRequired ? { apiKeyRequired } : {}),
  };
}

/** An integration that is not emulated: its requests answer 500 naming the resource. */
export function unsupportedIntegration(type: string, why: string): IntegrationSpec {
  return { type, payloadFormatVersion: '1.0', unsupported: why };
}
