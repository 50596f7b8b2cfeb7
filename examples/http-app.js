// The example HTTP fronts: one function behind a REST API (LambdaRestApi), an HTTP API (HttpLambdaIntegration) and
// a Function URL. `lambda-twin start-api --app cdk.out.http` serves them; the demo calls each with fetch.
const path = require('path');
const { App, Stack, aws_apigateway: apigw, aws_apigatewayv2: apigwv2, aws_lambda: lambda } = require('aws-cdk-lib');
const { HttpLambdaIntegration } = require('aws-cdk-lib/aws-apigatewayv2-integrations');

function httpExampleStack(app, id) {
  const stack = new Stack(app, id);
  const web = new lambda.Function(stack, 'Web', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(path.join(__dirname, 'functions', 'web')),
  });
  const rest = new apigw.RestApi(stack, 'RestApi', { deployOptions: { stageName: 'prod' } });
  rest.root.addResource('hello').addResource('{name}').addMethod('GET', new apigw.LambdaIntegration(web));
  const httpApi = new apigwv2.HttpApi(stack, 'HttpApi');
  httpApi.addRoutes({ path: '/hello/{name}', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('Web', web) });
  web.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
  return stack;
}

module.exports = { httpExampleStack };

if (require.main === module) {
  const app = new App();
  httpExampleStack(app, 'LambdaTwinHttpDemo');
  app.synth();
}
