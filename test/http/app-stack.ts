// The CDK app the HTTP front tests run: a REST API, an HTTP API and two Function URLs over the handlers in
// fixtures/app, synthesized for real (aws-cdk-lib's own constructs).
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as v2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';

const CODE = path.join(__dirname, 'fixtures', 'app');

export function httpTestStack(): Stack {
  const app = new App();
  const stack = new Stack(app, 'HttpFronts', { env: { account: '123456789012', region: 'us-east-1' } });
  const fn = (id: string, file: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function => new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X, handler: `${file}.handler`, code: lambda.Code.fromAsset(CODE), ...props,
  });
  const echo = fn('Echo', 'echo');
  const v2fn = fn('V2', 'v2');
  const malformed = fn('Malformed', 'malformed');
  const sleepy = fn('Sleepy', 'sleepy', { timeout: Duration.seconds(10) });
  const binary = fn('Binary', 'binary');

  const rest = new apigw.RestApi(stack, 'Rest', {
    deployOptions: { stageName: 'dev', variables: { color: 'blue' } },
    binaryMediaTypes: ['image/png', 'application/octet-stream'],
    defaultCorsPreflightOptions: { allowOrigins: ['https://a.example'] },
  });
  const items = rest.root.addResource('items');
  items.addMethod('GET', new apigw.LambdaIntegration(echo));
  const item = items.addResource('{id}');
  item.addMethod('GET', new apigw.LambdaIntegration(echo));
  items.addResource('special').addMethod('GET', new apigw.LambdaIntegration(binary));
  rest.root.addResource('{proxy+}').addMethod('ANY', new apigw.LambdaIntegration(echo));
  rest.root.addResource('bad').addMethod('GET', new apigw.LambdaIntegration(malformed));
  rest.root.addResource('slow').addMethod('GET', new apigw.LambdaIntegration(sleepy, { timeout: Duration.seconds(1) }));
  rest.root.addResource('binary').addMethod('POST', new apigw.LambdaIntegration(binary));
  // A Lambda proxy integration without the permission LambdaIntegration would add.
  const lonely = fn('Lonely', 'echo');
  rest.root.addResource('noperm').addMethod('GET', new apigw.Integration({
    type: apigw.IntegrationType.AWS_PROXY,
    integrationHttpMethod: 'POST',
    uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${lonely.functionArn}/invocations`,
  }));

  const http = new v2.HttpApi(stack, 'Http', {
    corsPreflight: { allowOrigins: ['https://b.example'], allowMethods: [v2.CorsHttpMethod.GET, v2.CorsHttpMethod.POST], allowHeaders: ['content-type'], maxAge: Duration.seconds(60) },
  });
  http.addRoutes({ path: '/hello/{name}', methods: [v2.HttpMethod.GET], integration: new HttpLambdaIntegration('V2Int', v2fn) });
  http.addRoutes({ path: '/files/{path+}', methods: [v2.HttpMethod.ANY], integration: new HttpLambdaIntegration('V2Files', v2fn) });
  http.addRoutes({
    path: '/v1/{x}',
    methods: [v2.HttpMethod.GET],
    integration: new HttpLambdaIntegration('V1Int', echo, { payloadFormatVersion: v2.PayloadFormatVersion.VERSION_1_0 }),
  });
  http.addRoutes({ path: '/bad', methods: [v2.HttpMethod.GET], integration: new HttpLambdaIntegration('BadInt', malformed) });

  http.addRoutes({
    path: '/v1bad',
    methods: [v2.HttpMethod.GET],
    integration: new HttpLambdaIntegration('V1BadInt', malformed, { payloadFormatVersion: v2.PayloadFormatVersion.VERSION_1_0 }),
  });
  http.addRoutes({ path: '/slow', methods: [v2.HttpMethod.GET], integration: new HttpLambdaIntegration('SlowInt', sleepy, { timeout: Duration.seconds(1) }) });

  // An HTTP API with only a named stage: its routes are under /beta.
  const staged = new v2.HttpApi(stack, 'Staged', { createDefaultStage: false });
  staged.addStage('Beta', { stageName: 'beta', autoDeploy: true });
  staged.addRoutes({ path: '/ping', methods: [v2.HttpMethod.GET], integration: new HttpLambdaIntegration('PingInt', v2fn) });

  // A REST API from an inline OpenAPI definition with an aws_proxy integration.
  const spec = new apigw.SpecRestApi(stack, 'Spec', {
    deployOptions: { stageName: 'api' },
    apiDefinition: apigw.ApiDefinition.fromInline({
      openapi: '3.0.1',
      info: { title: 'spec', version: '1' },
      paths: {
        '/spec/{id}': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'aws_proxy',
              httpMethod: 'POST',
              uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${echo.functionArn}/invocations`,
            },
          },
        },
      },
    }),
  });
  echo.addPermission('SpecInvoke', { principal: new iam.ServicePrincipal('apigateway.amazonaws.com'), sourceArn: spec.arnForExecuteApi() });

  const urlEcho = fn('UrlEcho', 'v2', { timeout: Duration.seconds(1) });
  urlEcho.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE, cors: { allowedOrigins: ['*'] } });
  const streamer = fn('Streamer', 'stream');
  streamer.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE, invokeMode: lambda.InvokeMode.RESPONSE_STREAM });
  const urlSleepy = fn('UrlSleepy', 'sleepy', { timeout: Duration.seconds(1) });
  urlSleepy.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
  return stack;
}
