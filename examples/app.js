// The example CDK app: the seeds' functions as LambdaFunction constructs. `cdk synth --app "node app.js"`
// writes cdk.out; `lambda-twin invoke Hello --app cdk.out --event '{...}'` runs a function from it.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { App, DockerImage, Duration, Stack, aws_iam: iam, aws_lambda: lambda } = require('aws-cdk-lib');
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

/**
 * A Maven project's package, built on the host with `mvn package` (CDK's local bundling: no Docker) into the
 * layout Lambda's Java runtime loads: classes at the root, dependencies in lib/. A build newer than every source
 * file is reused. MAVEN_REPO_LOCAL, when set, is the local repository Maven downloads into.
 */
function mavenCode(projectDir) {
  const built = path.join(projectDir, 'target', 'lambda');
  return lambda.Code.fromAsset(projectDir, {
    exclude: ['target'],
    bundling: {
      image: DockerImage.fromRegistry('local-bundling-only'), // never pulled: the local build below answers
      local: {
        tryBundle(outputDir) {
          if (!upToDate(built, [path.join(projectDir, 'src'), path.join(projectDir, 'pom.xml')])) {
            const repo = process.env.MAVEN_REPO_LOCAL ? [`-Dmaven.repo.local=${process.env.MAVEN_REPO_LOCAL}`] : [];
            const mvn = spawnSync('mvn', ['-B', '-q', '-Dstyle.color=never', ...repo, '-f', path.join(projectDir, 'pom.xml'), 'package'], { stdio: 'inherit' });
            if (mvn.status !== 0) throw new Error(`mvn package failed in ${projectDir} (is Maven installed?)`);
          }
          fs.cpSync(built, outputDir, { recursive: true });
          return true;
        },
      },
    },
  });
}

function newestMtime(file) {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(file).map((f) => newestMtime(path.join(file, f))));
}

function upToDate(built, sources) {
  return fs.existsSync(built) && newestMtime(built) >= Math.max(...sources.map(newestMtime));
}

/** The seeds' Java example: `example.Hello::myHandler`, an int in and a String out, logging through the Context. */
function javaExampleStack(app, id) {
  const stack = new Stack(app, id);
  new LambdaFunction(stack, 'HelloJava', {
    runtime: lambda.Runtime.JAVA_17,
    handler: 'example.Hello::myHandler',
    code: mavenCode(path.join(__dirname, 'functions', 'hello-java')),
    memorySize: 512,
    timeout: Duration.seconds(15),
    description: "The seeds' Java handler: returns the number it is given, as a String",
  });
  return stack;
}

module.exports = { exampleStack, javaExampleStack };

if (require.main === module) {
  const app = new App({ outdir: process.env.CDK_OUTDIR });
  exampleStack(app, 'LambdaTwinDemo');
  javaExampleStack(app, 'LambdaTwinDemoJava');
  app.synth();
}
