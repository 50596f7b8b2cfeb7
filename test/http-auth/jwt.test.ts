// JWT authorizers (HTTP API) and Cognito user pool authorizers (REST) with keys from a local JWKS file: tokens
// signed with jose, valid and refused for each reason API Gateway refuses them.
import * as fs from 'fs';
import * as nodeHttp from 'http';
import * as os from 'os';
import * as path from 'path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { authInput } from './helpers';
import { authorize } from '../../src/engine/http/auth/authorize';
import { TwinCore } from '../../src/engine/twin';
import type { AuthorizerSpec } from '../../src/model/api-auth';

const ISSUER = 'https://issuer.example.com/';
const POOL_ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool1';

const jwtAuthorizer: AuthorizerSpec = {
  id: 'JwtAuth',
  stackName: 'S',
  apiId: 'Http',
  name: 'jwt',
  type: 'JWT',
  apiKind: 'HTTP',
  identitySource: ['$request.header.Authorization'],
  resultTtlSeconds: 0,
  jwtIssuer: ISSUER,
  jwtAudience: ['my-client'],
};
const cognitoAuthorizer: AuthorizerSpec = {
  id: 'PoolAuth',
  stackName: 'S',
  apiId: 'Api',
  name: 'pool',
  type: 'COGNITO_USER_POOLS',
  apiKind: 'REST',
  identitySource: ['method.request.header.Authorization'],
  resultTtlSeconds: 300,
  providerArns: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Pool1'],
};

describe('JWT and Cognito authorizers', () => {
  let dir: string;
  let jwksFile: string;
  let core: TwinCore;
  let rsa: CryptoKey;
  let other: CryptoKey;
  let ec: CryptoKey;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-jwt-'));
    const rsaPair = await generateKeyPair('RS256');
    const ecPair = await generateKeyPair('ES256');
    rsa = rsaPair.privateKey as CryptoKey;
    ec = ecPair.privateKey as CryptoKey;
    other = (await generateKeyPair('RS256')).privateKey as CryptoKey;
    const keys = [
      { ...(await exportJWK(rsaPair.publicKey)), kid: 'rsa1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ecPair.publicKey)), kid: 'ec1', alg: 'ES256', use: 'sig' },
    ];
    jwksFile = path.join(dir, 'jwks.json');
    fs.writeFileSync(jwksFile, JSON.stringify({ keys }));
    core = new TwinCore([], { quiet: true, stateDir: path.join(dir, 'state') });
  });
  afterAll(async () => {
    await core?.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const sign = (claims: Record<string, unknown>, options: { key?: CryptoKey; kid?: string; alg?: string; exp?: string | number } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? 'rsa1' })
      .setIssuedAt()
      .setExpirationTime(options.exp ?? '1h')
      .sign(options.key ?? rsa);

  const http = (token: string | undefined, scopes?: string[], jwks: Record<string, string> = { [ISSUER]: jwksFile }) => authInput(core, {
    apiKind: 'HTTP',
    apiId: 'Http',
    stage: '$default',
    authorizer: jwtAuthorizer,
    jwks,
    authorization: { authorizationType: 'JWT', authorizerId: 'JwtAuth', ...(scopes ? { scopes } : {}) },
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });

  it('lets a valid token through and passes its claims as strings', async () => {
    const token = await sign({ iss: ISSUER, aud: 'my-client', sub: 'alice', admin: true });
    const outcome = await authorize(http(token));
    expect(outcome.reason).toMatch(/valid token/);
    expect(outcome.allowed).toBe(true);
    const claims = outcome.authorizerContext.jwt.claims;
    expect(claims).toMatchObject({ iss: ISSUER, aud: 'my-client', sub: 'alice', admin: 'true' });
    expect(typeof claims.exp).toBe('string');
    expect(outcome.authorizerContext.jwt.scopes).toBeNull();
  });

  it.each([
    ['expired', { iss: ISSUER, aud: 'my-client' }, { exp: Math.floor(Date.now() / 1000) - 60 }, /expired/],
    ['of another audience', { iss: ISSUER, aud: 'someone-else' }, {}, /audience/],
    ['of another issuer', { iss: 'https://evil.example.com/', aud: 'my-client' }, {}, /issuer/],
    ['signed with a key not in the JWKS', { iss: ISSUER, aud: 'my-client' }, { kid: 'rsa2', key: 'other' }, /kid|signature/],
    ['signed with EC (API Gateway takes RSA only)', { iss: ISSUER, aud: 'my-client' }, { kid: 'ec1', alg: 'ES256', key: 'ec' }, /RSA/],
  ])('answers 401 with www-authenticate for a token %s', async (_what, claims, options: any, description) => {
    const key = options.key === 'other' ? other : options.key === 'ec' ? ec : rsa;
    const token = await sign(claims, { ...options, key });
    const outcome = await authorize(http(token));
    expect(outcome).toMatchObject({ allowed: false, statusCode: 401, body: '{"message":"Unauthorized"}' });
    expect(outcome.headers?.['www-authenticate']).toMatch(/^Bearer scope="" error="invalid_token" error_description="/);
    expect(outcome.headers?.['www-authenticate']).toMatch(description);
  });

  it('takes client_id in place of aud (Cognito access tokens)', async () => {
    const token = await sign({ iss: ISSUER, client_id: 'my-client', scope: 'orders/read' });
    expect((await authorize(http(token))).allowed).toBe(true);
  });

  it('checks the route\'s scopes against scope or scp: 403 insufficient_scope when none matches', async () => {
    const reader = await sign({ iss: ISSUER, aud: 'my-client', scope: 'orders/read profile' });
    const ok = await authorize(http(reader, ['orders/write', 'orders/read']));
    expect(ok.allowed).toBe(true);
    expect(ok.authorizerContext.jwt.scopes).toEqual(['orders/read', 'profile']);
    const scp = await sign({ iss: ISSUER, aud: 'my-client', scp: ['orders/write'] });
    expect((await authorize(http(scp, ['orders/write']))).allowed).toBe(true);
    const missing = await authorize(http(reader, ['orders/write']));
    expect(missing).toMatchObject({ allowed: false, statusCode: 403, body: '{"message":"Forbidden"}' });
    expect(missing.headers?.['www-authenticate']).toMatch(/error="insufficient_scope"/);
  });

  it('answers 401 for a missing token and names the flag when no JWKS is configured for the issuer', async () => {
    expect((await authorize(http(undefined))).statusCode).toBe(401);
    const token = await sign({ iss: ISSUER, aud: 'my-client' });
    const outcome = await authorize(http(token, undefined, {}));
    expect(outcome.statusCode).toBe(401);
    expect(outcome.reason).toContain(`--jwks ${ISSUER}=`);
  });

  it('checks a REST Cognito token against the issuer derived from the pool ARN and passes claims', async () => {
    const rest = (token: string) => authInput(core, {
      authorizer: cognitoAuthorizer,
      jwks: { '*': jwksFile },
      authorization: { authorizationType: 'COGNITO_USER_POOLS', authorizerId: 'PoolAuth' },
      headers: { authorization: token },
    });
    const good = await authorize(rest(await sign({ 'iss': POOL_ISSUER, 'aud': 'app-client', 'cognito:username': 'bob', 'token_use': 'id' })));
    expect(good.allowed).toBe(true);
    expect(good.authorizerContext.claims).toMatchObject({ 'cognito:username': 'bob', 'aud': 'app-client' });
    const wrongPool = await authorize(rest(await sign({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' })));
    expect(wrongPool).toMatchObject({ allowed: false, statusCode: 401, body: '{"message":"Unauthorized"}' });
  });

  it('fetches the keys from a JWKS URL on a real loopback server, once', async () => {
    let fetches = 0;
    const server = nodeHttp.createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(fs.readFileSync(jwksFile));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as any).port}/.well-known/jwks.json`;
      const token = await sign({ iss: ISSUER, aud: 'my-client' });
      expect((await authorize(http(token, undefined, { [ISSUER]: url }))).allowed).toBe(true);
      expect((await authorize(http(token, undefined, { [ISSUER]: url }))).allowed).toBe(true);
      expect(fetches).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
