// Routes from an OpenAPI definition (`Body` / `DefinitionBody`): each operation's `x-amazon-apigateway-integration`
// becomes a route; `aws_proxy` integrations run their function, the rest are listed as not emulated.
import { integrationTarget, unsupportedIntegration } from './common';
import { IntegrationSpec, RouteSpec } from '../../model/apis';
import { resolveValue } from '../intrinsics';
import { LoadedTemplate } from '../resource-context';

const OPERATIONS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'x-amazon-apigateway-any-method'];

/** The routes of an OpenAPI document for one API; `notes` collects what is not emulated. */
export function openApiRoutes(
  loaded: LoadedTemplate, apiId: string, kind: string, body: any, defaults: { payloadFormatVersion: string; timeoutMs?: number }, notes: string[],
): RouteSpec[] {
  const doc = resolveValue(body, loaded.ctx);
  if (!doc || typeof doc !== 'object' || typeof doc.paths !== 'object') {
    if (body !== undefined) notes.push(`${apiId}: its OpenAPI definition could not be read (it is not an inline document with paths); only routes from events are served`);
    return [];
  }
  const routes: RouteSpec[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    if (!item || typeof item !== 'object') continue;
    for (const op of OPERATIONS) {
      const operation = item[op];
      if (!operation) continue;
      const method = op === 'x-amazon-apigateway-any-method' ? 'ANY' : op.toUpperCase();
      const where = `${apiId} ${method} ${path}`;
      const x = operation['x-amazon-apigateway-integration'];
      let integration: IntegrationSpec;
      if (!x) {
        integration = unsupportedIntegration('NONE', `${where} has no x-amazon-apigateway-integration`);
      } else if (String(x.type).toLowerCase() === 'aws_proxy') {
        const target = integrationTarget(loaded, body?.paths?.[path]?.[op]?.['x-amazon-apigateway-integration']?.uri ?? x.uri);
        integration = typeof target === 'string'
          ? unsupportedIntegration('AWS_PROXY', `${where}: ${target}`)
          : {
            type: 'AWS_PROXY',
            ...target,
            payloadFormatVersion: String(x.payloadFormatVersion ?? defaults.payloadFormatVersion),
            timeoutMs: x.timeoutInMillis !== undefined ? Number(x.timeoutInMillis) : defaults.timeoutMs,
          };
      } else if (String(x.type).toLowerCase() === 'mock') {
        const first = Object.values<any>(x.responses ?? {})[0];
        integration = { type: 'MOCK', payloadFormatVersion: '1.0', mockStatusCode: Number(first?.statusCode ?? 200), mockHeaders: mockHeaders(first?.responseParameters) };
      } else {
        integration = unsupportedIntegration(String(x.type).toUpperCase(), `${where} uses a ${String(x.type).toUpperCase()} integration, which lambda-twin does not emulate (only Lambda proxy and MOCK)`);
        notes.push(integration.unsupported!);
      }
      routes.push({
        stackName: loaded.ctx.stackName,
        apiId,
        kind,
        routeId: `${apiId} ${method} ${path}`,
        method,
        path,
        integration,
        authorization: { authorizationType: 'NONE' },
      });
    }
  }
  return routes;
}

/** `method.response.header.X: "'value'"` parameters as a header map (static values only). */
export function mockHeaders(parameters: any): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries<any>(parameters ?? {})) {
    const name = /^method\.response\.header\.(.+)$/.exec(key)?.[1];
    if (!name || typeof value !== 'string') continue;
    const literal = /^'(.*)'$/s.exec(value);
    if (literal) headers[name] = literal[1];
  }
  return headers;
}
