// The authorizer loader on a real `cdk synth` (aws-apigateway and aws-apigatewayv2-authorizers constructs, API keys
// with usage plans) and on a SAM template, and its errors for bad input.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  App, Duration, Stack, aws_apigateway as apigw, aws_apigatewayv2 as apigwv2, aws_apigatewayv2_authorizers as v2auth,
  aws_apigatewayv2_integrations as v2int, aws_cognito as cognito, aws_lambda as lambda,
} from 'aws-cdk-lib';
import { loadAuthorizers } from '../../src/load/apis/authorizers';
import { loadCloudAssemblyApp } from '../../src/load/assembly-loader';
import { generatedResourceId } from '../../src/load/intrinsics';
import { loadSamApp } from '../../src/load/sam-loader';
import type { AuthorizerSpec } from '../../src/model/api-auth';

function synthesize(outdir: string): void {
  const app = new App({ outdir });
  const stack = new Stack(app, 'AuthStack', { env: { account: '123456789012', region: 'eu-west-1' } });
  const fn = (id: string) => new lambda.Function(stack, id, { runtime: lambda.Runtime.PYTHON_3_12, handler: 'index.handler', code: lambda.Code.fromInline('def handler(e, c): return e') });
  const backend = fn('Backend');
  const tokenFn = fn('TokenFn');
  const requestFn = fn('RequestFn');
  const pool = new cognito.UserPool(stack, 'Pool');
  const api = new apigw.RestApi(stack, 'Rest');
  const integration = new apigw.LambdaIntegration(backend);
  const token = new apigw.TokenAuthorizer(stack, 'TokenAuth', { handler: tokenFn, validationRegex: '^Bearer [-0-9a-zA-Z._]*$', resultsCacheTtl: Duration.seconds(120) });
  const request = new apigw.RequestAuthorizer(stack, 'RequestAuth', {
    handler: requestFn, identitySources: [apigw.IdentitySource.header('X-User'), apigw.IdentitySource.queryString('q')], resultsCacheTtl: Duration.seconds(0),
  });
  const pools = new apigw.CognitoUserPoolsAuthorizer(stack, 'PoolAuth', { cognitoUserPools: [pool] });
  api.root.addResource('token').addMethod('GET', integration, { authorizer: token, apiKeyRequired: true });
  api.root.addResource('request').addMethod('GET', integration, { authorizer: request });
  api.root.addResource('pool').addMethod('GET', integration, { authorizer: pools, authorizationType: apigw.AuthorizationType.COGNITO });
  const key = api.addApiKey('Key', { apiKeyName: 'local', value: 'local-key-value-0123456789' });
  const plan = api.addUsagePlan('Plan', { name: 'plan' });
  plan.addApiStage({ stage: api.deploymentStage });
  plan.addApiKey(key);
  api.addApiKey('NoValueKey');

  const httpApi = new apigwv2.HttpApi(stack, 'Http');
  const httpIntegration = new v2int.HttpLambdaIntegration('Int', backend);
  httpApi.addRoutes({ path: '/lambda', integration: httpIntegration, authorizer: new v2auth.HttpLambdaAuthorizer('HttpLambdaAuth', fn('HttpAuthFn'), { responseTypes: [v2auth.HttpLambdaResponseType.SIMPLE] }) });
  httpApi.addRoutes({ path: '/jwt', integration: httpIntegration, authorizer: new v2auth.HttpJwtAuthorizer('HttpJwtAuth', 'https://issuer.example.com', { jwtAudience: ['aud1', 'aud2'] }) });
  const client = pool.addClient('Client');
  httpApi.addRoutes({ path: '/pool', integration: httpIntegration, authorizer: new v2auth.HttpUserPoolAuthorizer('HttpPoolAuth', pool, { userPoolClients: [client] }) });
  app.synth();
}

describe('authorizer loader', () => {
  let outdir: string;
  let authorizers: readonly AuthorizerSpec[];
  let app: ReturnType<typeof loadCloudAssemblyApp>;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-auth-synth-'));
    synthesize(outdir);
    app = loadCloudAssemblyApp(outdir);
    authorizers = app.apis.authorizers;
  }, 120_000);
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  const byType = (apiKind: string, type: string) => authorizers.filter((a) => a.apiKind === apiKind && a.type === type);
  const logicalIdOf = (prefix: string) => app.functions.find((f) => f.logicalId.startsWith(prefix))!.logicalId;

  it('reads a CDK TokenAuthorizer with its function, regex, TTL and identity source', () => {
    const [token] = byType('REST', 'TOKEN');
    expect(token).toMatchObject({
      functionLogicalId: logicalIdOf('TokenFn'),
      identitySource: ['method.request.header.Authorization'],
      resultTtlSeconds: 120,
      identityValidationExpression: '^Bearer [-0-9a-zA-Z._]*$',
      stackName: 'AuthStack',
    });
    expect(token.apiId).toMatch(/^Rest/);
    expect(token.physicalId).toBe(`AuthStack-${token.id}`);
    // The permission CDK grants API Gateway names the authorizer's ARN as authorize() builds it.
    const permissions = app.functions.find((f) => f.logicalId === token.functionLogicalId)!.permissions;
    const tokenFn = app.functions.find((f) => f.logicalId === token.functionLogicalId)!;
    expect((tokenFn.unsupported ?? []).filter((u) => /Authorizer/.test(u))).toEqual([]);
    expect(permissions.map((p) => p.sourceArn)).toContain(`arn:aws:execute-api:eu-west-1:123456789012:${generatedResourceId('AuthStack', token.apiId, 10)}/authorizers/${token.physicalId}`);
  });

  it('reads a CDK RequestAuthorizer with its identity sources and TTL 0', () => {
    const [request] = byType('REST', 'REQUEST');
    expect(request).toMatchObject({ functionLogicalId: logicalIdOf('RequestFn'), resultTtlSeconds: 0 });
    expect([...request.identitySource].sort()).toEqual(['method.request.header.X-User', 'method.request.querystring.q']);
  });

  it('reads a CognitoUserPoolsAuthorizer with the local ARN of its pool', () => {
    const [pool] = byType('REST', 'COGNITO_USER_POOLS');
    expect(pool.resultTtlSeconds).toBe(300);
    expect(pool.providerArns).toHaveLength(1);
    expect(pool.providerArns![0]).toMatch(/^arn:aws:cognito-idp:eu-west-1:123456789012:userpool\/AuthStack-Pool/);
  });

  it('reads HTTP API Lambda (simple responses, payload 2.0), JWT and user pool authorizers', () => {
    const [simple] = byType('HTTP', 'REQUEST');
    expect(simple).toMatchObject({
      functionLogicalId: logicalIdOf('HttpAuthFn'),
      payloadFormatVersion: '2.0',
      enableSimpleResponses: true,
      identitySource: ['$request.header.Authorization'],
      resultTtlSeconds: 300,
    });
    const jwts = byType('HTTP', 'JWT');
    expect(jwts.map((j) => j.jwtIssuer).sort()).toEqual([expect.stringMatching(/^https:\/\/cognito-idp\.eu-west-1\.amazonaws\.com\/AuthStack-Pool/), 'https://issuer.example.com']);
    expect(jwts.find((j) => j.jwtIssuer === 'https://issuer.example.com')!.jwtAudience).toEqual(['aud1', 'aud2']);
    expect(jwts.find((j) => j.jwtIssuer !== 'https://issuer.example.com')!.jwtAudience).toEqual([expect.stringMatching(/^AuthStack-PoolClient/)]);
  });

  it('reads API keys with the stages their usage plan covers, and warns about a key without a value', () => {
    const keys = app.apis.apiKeys;
    const local = keys.find((k) => k.value === 'local-key-value-0123456789')!;
    expect(local.enabled).toBe(true);
    expect(local.stages).toEqual([expect.stringMatching(/^Rest[0-9A-F]+\/prod$/)]);
    expect(keys.find((k) => k.id.startsWith('RestNoValueKey'))!.value).toBeUndefined();
  });
});

describe('authorizer loader on SAM and bad input', () => {
  const load = (resources: Record<string, any>) => loadSamApp({ Transform: 'AWS::Serverless-2016-10-31', Resources: resources }, { stackName: 'Sam', baseDir: os.tmpdir() });
  const fn = { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'python3.12', Handler: 'a.handler', InlineCode: 'def handler(e, c): return e' } };

  it('reads SAM Api Lambda and Cognito authorizers and HttpApi JWT and Lambda authorizers', () => {
    const app = load({
      AuthFn: fn,
      Api: {
        Type: 'AWS::Serverless::Api',
        Properties: {
          StageName: 'prod',
          Auth: {
            Authorizers: {
              Tok: { FunctionArn: { 'Fn::GetAtt': ['AuthFn', 'Arn'] }, Identity: { Header: 'X-Token', ReauthorizeEvery: 30 } },
              Pool: { UserPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc' },
            },
          },
        },
      },
      Http: {
        Type: 'AWS::Serverless::HttpApi',
        Properties: {
          Auth: {
            Authorizers: {
              Jwt: { JwtConfiguration: { issuer: 'https://i.example.com', audience: ['a'] }, IdentitySource: '$request.header.Authorization' },
              Lam: { FunctionArn: { 'Fn::GetAtt': ['AuthFn', 'Arn'] }, AuthorizerPayloadFormatVersion: '1.0', Identity: { QueryStrings: ['t'] } },
            },
          },
        },
      },
    });
    const summary = app.apis.authorizers.map((a) => [a.apiId, a.id, a.type, a.identitySource.join(','), a.resultTtlSeconds]);
    expect(summary).toEqual([
      ['Api', 'Tok', 'TOKEN', 'method.request.header.X-Token', 30],
      ['Api', 'Pool', 'COGNITO_USER_POOLS', 'method.request.header.Authorization', 300],
      ['Http', 'Jwt', 'JWT', '$request.header.Authorization', 0],
      ['Http', 'Lam', 'REQUEST', '$request.querystring.t', 0],
    ]);
    expect(app.apis.authorizers[0].functionLogicalId).toBe('AuthFn');
    expect(app.apis.authorizers[3]).toMatchObject({ payloadFormatVersion: '1.0', enableSimpleResponses: false });
    // SAM adds the permission for REST authorizers; HTTP API authorizers only with EnableFunctionDefaultPermissions.
    expect(app.functions[0].permissions.map((p) => p.logicalId)).toEqual(['ApiTokAuthorizerPermission']);
  });

  it('says what is wrong with a bad authorizer, and where', () => {
    expect(() => load({ A: { Type: 'AWS::ApiGateway::Authorizer', Properties: { Type: 'MAGIC', RestApiId: 'x' } } }))
      .toThrow(/Sam: Resources\.A\.Properties\.Type is "MAGIC": an AWS::ApiGateway::Authorizer is TOKEN, REQUEST or COGNITO_USER_POOLS/);
    expect(() => load({ A: { Type: 'AWS::ApiGateway::Authorizer', Properties: { Type: 'TOKEN', RestApiId: 'x', AuthorizerUri: 'u' } } }))
      .toThrow(/IdentitySource is missing/);
    expect(() => load({ A: { Type: 'AWS::ApiGateway::Authorizer', Properties: { Type: 'TOKEN', RestApiId: 'x', IdentitySource: 'method.request.header.A', AuthorizerUri: 'u', AuthorizerResultTtlInSeconds: 7200 } } }))
      .toThrow(/AuthorizerResultTtlInSeconds is 7200: a result TTL is a whole number of seconds from 0 \(no caching\) to 3600/);
    expect(() => load({ Api: { Type: 'AWS::Serverless::Api', Properties: { Auth: { Authorizers: { X: { Identity: {} } } } } } }))
      .toThrow(/Auth\.Authorizers\.X has neither FunctionArn/);
  });

  it('warns about what it reads but does not emulate: usage plan limits, SAM-generated API keys', () => {
    const template = (resources: Record<string, any>) => ({ template: { Resources: resources }, ctx: { stackName: 'S', region: 'us-east-1', accountId: '123456789012', parameters: {}, resources }, options: { stackName: 'S', baseDir: '.' }, functions: [] });
    const { warnings } = loadAuthorizers(template({
      Plan: { Type: 'AWS::ApiGateway::UsagePlan', Properties: { ApiStages: [{ ApiId: { Ref: 'Api' }, Stage: 'prod' }], Quota: { Limit: 10, Period: 'DAY' } } },
      Api: { Type: 'AWS::Serverless::Api', Properties: { Auth: { UsagePlan: { CreateUsagePlan: 'PER_API' } } } },
    }) as any);
    expect(warnings).toEqual([
      expect.stringMatching(/^S: Resources\.Api\.Properties\.Auth\.UsagePlan creates an API key whose value API Gateway generates/),
      expect.stringMatching(/^S: Resources\.Plan \(usage plan\): Quota is not emulated locally/),
    ]);
  });

  it('keeps an authorizer whose function is not in the app, with a warning', () => {
    const app = load({
      A: {
        Type: 'AWS::ApiGateway::Authorizer',
        Properties: {
          Type: 'TOKEN',
          RestApiId: 'x',
          IdentitySource: 'method.request.header.A',
          AuthorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111111111111:function:elsewhere/invocations',
        },
      },
    });
    expect(app.apis.authorizers[0].functionArn).toBe('arn:aws:lambda:us-east-1:111111111111:function:elsewhere');
    expect(app.apis.authorizers[0].warnings?.[0]).toMatch(/is not a function of this app/);
  });
});
