// End to end with a CDK-synthesized app: authorizers, API keys and AWS_IAM through `twin.fetch`, with real Node
// functions (the authorizers count their invokes in a file, so the REST result cache is checked by what ran).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as v2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { LocalTwin } from '../../src';
import { coreOf } from '../../src/core-of';

const ISSUER = 'https://issuer.example.com';

const TOKEN_AUTHORIZER = `
const fs = require('fs');
exports.handler = async (event) => {
  fs.appendFileSync(process.env.COUNT_FILE, 'token\\n');
  const token = event.authorizationToken;
  if (token === 'bad') throw new Error('Unauthorized');
  const effect = token === 'deny' ? 'Deny' : 'Allow';
  return { principalId: 'p-' + token, context: { tier: 'gold' },
    policyDocument: { Version: '2012-10-17', Statement: [{ Effect: effect, Action: 'execute-api:Invoke', Resource: event.methodArn }] } };
};`;
const SIMPLE_AUTHORIZER = `
exports.handler = async (event) => ({ isAuthorized: event.headers.authorization === 'open-sesame', context: { who: 'simple' } });`;
const BACKEND = `
exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({
  authorizer: event.requestContext.authorizer ?? null, identity: event.requestContext.identity ?? null }) });`;

function authStack(dir: string): Stack {
  const app = new App();
  const stack = new Stack(app, 'AuthE2e', { env: { account: '123456789012', region: 'us-east-1' } });
  const code = lambda.Code.fromAsset(dir);
  const fn = (id: string, file: string): lambda.Function => new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X, handler: `${file}.handler`, code, environment: { COUNT_FILE: path.join(dir, 'count.txt') },
  });
  const backend = fn('Backend', 'backend');

  const rest = new apigw.RestApi(stack, 'Rest', { deployOptions: { stageName: 'prod' } });
  const tokenAuthorizer = new apigw.TokenAuthorizer(stack, 'TokenAuth', { handler: fn('TokenFn', 'token') });
  rest.root.addResource('items').addMethod('GET', new apigw.LambdaIntegration(backend), { authorizer: tokenAuthorizer });
  rest.root.addResource('keyed').addMethod('GET', new apigw.LambdaIntegration(backend), { apiKeyRequired: true });
  const key = rest.addApiKey('Key', { value: 'a-very-long-api-key-value-1234' });
  const plan = rest.addUsagePlan('Plan', { apiStages: [{ api: rest, stage: rest.deploymentStage }] });
  plan.addApiKey(key);
  plan.addApiKey(rest.addApiKey('Generated')); // no value: API Gateway generates one, so the loader warns
  rest.root.addResource('signed').addMethod('GET', new apigw.LambdaIntegration(backend), { authorizationType: apigw.AuthorizationType.IAM });

  const http = new v2.HttpApi(stack, 'Http');
  const integration = new HttpLambdaIntegration('BackendInt', backend);
  http.addRoutes({
    path: '/simple',
    methods: [v2.HttpMethod.GET],
    integration,
    authorizer: new HttpLambdaAuthorizer('Simple', fn('SimpleFn', 'simple'), { responseTypes: [HttpLambdaResponseType.SIMPLE] }),
  });
  http.addRoutes({
    path: '/jwt',
    methods: [v2.HttpMethod.GET],
    integration,
    authorizer: new HttpJwtAuthorizer('Jwt', ISSUER, { jwtAudience: ['my-app'] }),
  });

  backend.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
  return stack;
}

describe('authorizers of a CDK app through twin.fetch', () => {
  let dir: string;
  let twin: LocalTwin;
  let sign: (claims: Record<string, unknown>) => Promise<string>;
  const count = (): number => (fs.existsSync(path.join(dir, 'count.txt')) ? fs.readFileSync(path.join(dir, 'count.txt'), 'utf8').split('\n').filter(Boolean).length : 0);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-auth-cdk-'));
    fs.writeFileSync(path.join(dir, 'token.js'), TOKEN_AUTHORIZER);
    fs.writeFileSync(path.join(dir, 'simple.js'), SIMPLE_AUTHORIZER);
    fs.writeFileSync(path.join(dir, 'backend.js'), BACKEND);
    const pair = await generateKeyPair('RS256');
    fs.writeFileSync(path.join(dir, 'jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] }));
    sign = (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(ISSUER).setIssuedAt().setExpirationTime('5m').sign(pair.privateKey);
    twin = LocalTwin.fromStack(authStack(dir), {
      // Plain processes on purpose: the authorizers count their invokes in a host file.
      isolate: false, quiet: true, jwks: { [ISSUER]: path.join(dir, 'jwks.json') }, accessKeyAccounts: { AKIDOTHER: '999988887777' },
    });
  }, 120_000);
  afterAll(async () => {
    await twin?.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('REST TOKEN authorizer: allows with the context, denies, refuses, and caches the result by token', async () => {
    const first = await twin.fetch('Rest', '/items', { headers: { Authorization: 'alice' } });
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body).authorizer).toMatchObject({ principalId: 'p-alice', tier: 'gold' });
    expect(count()).toBe(1);
    const second = await twin.fetch('Rest', '/items', { headers: { Authorization: 'alice' } });
    expect(second.status).toBe(200);
    expect(count()).toBe(1);
    expect((await twin.fetch('Rest', '/items', { headers: { Authorization: 'deny' } })).status).toBe(403);
    expect(count()).toBe(2);
    expect((await twin.fetch('Rest', '/items', { headers: { Authorization: 'bad' } })).status).toBe(401);
    expect((await twin.fetch('Rest', '/items')).status).toBe(401);
  }, 120_000);

  it('REST API key: refused without or with a wrong key, passed with the usage plan key (identity.apiKeyId)', async () => {
    expect((await twin.fetch('Rest', '/keyed')).status).toBe(403);
    expect((await twin.fetch('Rest', '/keyed', { headers: { 'x-api-key': 'wrong' } })).status).toBe(403);
    const ok = await twin.fetch('Rest', '/keyed', { headers: { 'x-api-key': 'a-very-long-api-key-value-1234' } });
    expect(ok.status).toBe(200);
    const identity = JSON.parse(ok.body).identity;
    expect(identity.apiKey).toBe('a-very-long-api-key-value-1234');
    expect(typeof identity.apiKeyId).toBe('string');
  }, 120_000);

  it('HTTP API Lambda authorizer with simple responses', async () => {
    const ok = await twin.fetch('Http', '/simple', { headers: { Authorization: 'open-sesame' } });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).authorizer).toEqual({ lambda: { who: 'simple' } });
    expect((await twin.fetch('Http', '/simple', { headers: { Authorization: 'nope' } })).status).toBe(403);
  }, 120_000);

  it('HTTP API JWT authorizer with a JWKS file', async () => {
    const token = await sign({ aud: 'my-app', sub: 'user-1', scope: 'read' });
    const ok = await twin.fetch('Http', '/jwt', { headers: { Authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).authorizer.jwt.claims).toMatchObject({ sub: 'user-1', iss: ISSUER });
    const wrongAudience = await twin.fetch('Http', '/jwt', { headers: { Authorization: `Bearer ${await sign({ aud: 'other' })}` } });
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.headers['www-authenticate']).toMatch(/Bearer/);
    expect((await twin.fetch('Http', '/jwt')).status).toBe(401);
  }, 120_000);

  it('REST AWS_IAM: the signer lands in requestContext.identity, with the account of --access-key-account', async () => {
    const signed = (akid: string): Record<string, string> => ({
      Authorization: `AWS4-HMAC-SHA256 Credential=${akid}/20261202/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'cd'.repeat(32)}`,
    });
    const other = await twin.fetch('Rest', '/signed', { headers: signed('AKIDOTHER') });
    expect(other.status).toBe(200);
    expect(JSON.parse(other.body).identity).toMatchObject({ accessKey: 'AKIDOTHER', accountId: '999988887777' });
    const unsigned = await twin.fetch('Rest', '/signed');
    expect(unsigned.status).toBe(403);
    expect(JSON.parse(unsigned.body)).toEqual({ message: 'Missing Authentication Token' });
  }, 120_000);

  it('lists what the authorizer loader warns about with the APIs\' unsupported items', () => {
    expect(coreOf(twin).app.apis.unsupported.join('\n')).toMatch(/Generated[^\n]*(Value|value)/);
  });

  it('AWS_IAM Function URL: signed by the own account passes, unsigned or another account is refused', async () => {
    const signature = (akid: string): Record<string, string> => ({
      'Authorization': `AWS4-HMAC-SHA256 Credential=${akid}/20261202/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'ab'.repeat(32)}`,
      'X-Amz-Date': '20261202T000000Z',
    });
    const ok = await twin.fetch('Backend', '/', { headers: signature('AKIDOWN') });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).authorizer.iam).toMatchObject({ accessKey: 'AKIDOWN', accountId: '123456789012' });
    expect((await twin.fetch('Backend', '/')).status).toBe(403);
    expect((await twin.fetch('Backend', '/', { headers: signature('AKIDOTHER') })).status).toBe(403);
  }, 120_000);
});
