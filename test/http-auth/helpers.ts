// Builds AuthorizeInput objects as the HTTP front would for one request, so the auth work is tested without it.
import type { AuthorizeInput, RouteAuthorization } from '../../src/engine/http/auth/authorize';
import type { TwinCore } from '../../src/engine/twin';

export interface RequestFields extends Partial<Omit<AuthorizeInput, 'authorization' | 'core'>> {
  readonly authorization?: RouteAuthorization;
}

/** A GET of `/items` on stage `prod` of REST API `apiId`, with the given fields replacing the defaults. */
export function authInput(core: TwinCore, fields: RequestFields = {}): AuthorizeInput {
  const apiKind = fields.apiKind ?? 'REST';
  const apiPhysicalId = fields.apiPhysicalId ?? 'api123';
  const method = fields.method ?? 'GET';
  const path = fields.path ?? '/items';
  const stage = fields.stage ?? 'prod';
  return {
    core,
    apiKind,
    apiId: fields.apiId ?? 'Api',
    apiPhysicalId,
    stage,
    region: 'us-east-1',
    accountId: '123456789012',
    authorization: fields.authorization ?? { authorizationType: 'NONE' },
    apiKeys: [],
    method,
    path,
    resourcePath: fields.resourcePath ?? path,
    headers: {},
    rawQueryString: '',
    sourceIp: '127.0.0.1',
    requestId: 'req-1',
    methodArn: `arn:aws:execute-api:us-east-1:123456789012:${apiPhysicalId}/${stage}/${method}${path}`,
    integrationEvent: undefined,
    ...fields,
  } as AuthorizeInput;
}
