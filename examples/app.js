// The example CDK app: the seeds' functions as LambdaFunction constructs. `cdk synth --app "node app.js"`
// writes cdk.out; `lambda-twin invoke Hello --app cdk.out --event '{...}'` runs a function from it.
const path = require('path');
const { App, Duration, Stack, aws_iam: iam, aws_lambda: lambda } = require('aws-cdk-lib');
// Inside this repository the library is the compiled ../lib; a user's app would require('lambda-twin').
const { LambdaFunction } = require(process.env.LAMBDA_TWIN_MODULE || '..');

function exampleStack(app, id, StackClass = Stack) {
  const stack = new StackClass(app, id);
  const code = (name) => lambda.Code.fromAsset(path.join(__dirname, 'functions', name));

  new LambdaFunction(stack, 'Hello', {
    runtime: lambda.Runtime.PYTHON_3_11,
    handler: 'lambda_function.lambda_handler',
    code: code('hello'),
    description: 'Greets the person named in the event',
  });
  const region = new LambdaFunction(stack, 'Region', {
    runtime: lambda.Runtime.PYTHON_3_11,
    handler: 'lambda_function.lambda_handler',
    code: code('region'),
    description: 'Returns the region it runs in',
  });
  // Only the example API's GET /region route may call it (API Gateway invokes it with this source ARN).
  region.addPermission('ApiInvoke', {
    principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    sourceArn: stack.formatArn({ service: 'execute-api', resource: 'example-api', resourceName: '*/GET/region' }),
  });
  new LambdaFunction(stack, 'Calculator', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: code('calculator'),
    memorySize: 256,
    description: 'Increments, decrements or squares a number',
  });
  new LambdaFunction(stack, 'NotJson', {
    runtime: lambda.Runtime.PYTHON_3_11,
    handler: 'lambda_function.lambda_handler',
    code: code('not-json'),
    description: 'Returns a value that is not JSON-serializable',
  });
  new LambdaFunction(stack, 'Slow', {
    runtime: lambda.Runtime.PYTHON_3_11,
    handler: 'lambda_function.lambda_handler',
    code: code('slow'),
    timeout: Duration.seconds(1),
    description: 'Sleeps for the seconds in the event; times out past 1 s',
  });
  return stack;
}

module.exports = { exampleStack };

if (require.main === module) {
  const app = new App({ outdir: process.env.CDK_OUTDIR });
  exampleStack(app, 'LambdaTwinDemo');
  app.synth();
}
