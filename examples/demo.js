// The demo (`npm run demo`): synthesizes the example app (CloudFormation, and SAM when available), invokes
// every function through the `lambda-twin` CLI as a user would, then shows warm invokes from the library.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'bin', 'lambda-twin');
const cdkOut = path.join(__dirname, 'cdk.out');
const samOut = path.join(__dirname, 'cdk.out.sam');
process.env.LAMBDA_TWIN_MODULE = process.env.LAMBDA_TWIN_MODULE || root;
const lambdaTwin = require(process.env.LAMBDA_TWIN_MODULE);

// The AWS SDK announces its future Node.js requirement on every run; that is not the demo's subject.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  if (String(warning?.name ?? warning).includes('NodeVersionSupportWarning') || String(warning).includes('AWS SDK for JavaScript')) return;
  emitWarning(warning, ...rest);
};

// Bold headings on a terminal only, and never with NO_COLOR set (https://no-color.org).
const bold = process.stdout.isTTY && !process.env.NO_COLOR ? (text) => `\x1b[1m${text}\x1b[0m` : (text) => text;

function heading(text) {
  process.stdout.write(`\n${bold(`== ${text}`)}\n`);
}

function run(args) {
  process.stdout.write(`$ lambda-twin ${args.map((a) => (/[\s{}"]/.test(a) ? `'${a}'` : a)).join(' ')}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  process.stdout.write(`(exit code ${r.status})\n`);
  return r.status;
}

function synthesize(outdir, StackClass) {
  const { App } = require('aws-cdk-lib');
  const { exampleStack } = require('./app');
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir });
  exampleStack(app, 'LambdaTwinDemo', StackClass);
  return app.synth();
}

async function main() {
  heading('1. Synthesize examples/app.js (CloudFormation) into examples/cdk.out');
  const assembly = synthesize(cdkOut);
  const template = assembly.getStackByName('LambdaTwinDemo').template;
  for (const [id, r] of Object.entries(template.Resources)) {
    if (r.Type === 'AWS::Lambda::Function') {
      process.stdout.write(`  ${r.Type}  ${id}  ${r.Properties.Runtime}  ${r.Properties.Handler}\n`);
    }
  }

  if (lambdaTwin.SamStack) {
    heading('2. The same app as a SAM template (SamStack) into examples/cdk.out.sam');
    const sam = synthesize(samOut, lambdaTwin.SamStack).getStackByName('LambdaTwinDemo').template;
    process.stdout.write(`  Transform: ${sam.Transform}\n`);
    for (const [id, r] of Object.entries(sam.Resources)) {
      if (!r.Type.startsWith('AWS::Serverless::')) continue;
      const codeUri = r.Properties.CodeUri ?? r.Properties.ContentUri;
      const where = typeof codeUri === 'string' ? codeUri : `s3 key ${codeUri.Key}`;
      process.stdout.write(`  ${r.Type}  ${id}  CodeUri: ${where}  (local code: ${r.Metadata['aws:asset:path']})\n`);
    }
  }

  heading('3. Invoke each function locally with the CLI (response on stdout, logs on stderr)');
  run(['invoke', 'Hello', '--app', cdkOut, '--event', '{"first_name":"John","last_name":"Smith"}']);
  run(['invoke', 'Region', '--app', cdkOut, '--event', '{"key1":"value1","key2":"value2","key3":"value3"}']);
  run(['invoke', 'Calculator', '--app', cdkOut, '--event', '{"action":"increment","number":3}']);
  run(['invoke', 'NotJson', '--app', cdkOut]);
  if (lambdaTwin.SamStack && fs.existsSync(samOut)) {
    process.stdout.write('\nThe SAM output runs the same way:\n');
    run(['invoke', 'Hello', '--app', samOut, '--event', '{"first_name":"John","last_name":"Smith"}', '--no-logs']);
  }

  heading('4. Warm invokes from the library: one cold start, then the environment is reused (frozen in between)');
  const twin = lambdaTwin.LocalTwin.fromAssembly(cdkOut);
  try {
    for (let i = 1; i <= 4; i++) {
      const r = await twin.invoke('Calculator', { event: { action: 'square', number: i } });
      process.stdout.write(`  Calculator square(${i}) = ${JSON.stringify(r.payload)}  ${r.coldStart ? 'cold' : 'warm'}  ` +
        `duration ${r.durationMs.toFixed(2)} ms${r.initDurationMs !== undefined ? `, init ${r.initDurationMs.toFixed(2)} ms` : ''}\n`);
    }
    const report = (await twin.invoke('Hello', { event: { first_name: 'Ada', last_name: 'Lovelace' } })).logs
      .split('\n').find((l) => l.startsWith('REPORT'));
    process.stdout.write(`  ${report}\n`);
  } finally {
    await twin.shutdown();
  }
  heading('5. The Invoke API: the AWS SDK calls the twin as it would call Lambda');
  const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
  const apiTwin = lambdaTwin.LocalTwin.fromAssembly(cdkOut);
  const server = await lambdaTwin.InvokeApiServer.start(apiTwin, { port: 0 });
  const client = new LambdaClient({
    endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1,
  });
  const regionName = apiTwin.functions().find((f) => f.logicalId.startsWith('Region')).functionName;
  try {
    const sync = await client.send(new InvokeCommand({ FunctionName: regionName, Payload: Buffer.from('{}'), LogType: 'Tail' }));
    process.stdout.write(`  InvokeCommand ${regionName}: StatusCode ${sync.StatusCode}, ExecutedVersion ${sync.ExecutedVersion}, ` +
      `payload ${Buffer.from(sync.Payload).toString()}\n  X-Amz-Log-Result (last 4 KB of the log) ends with: ` +
      `${Buffer.from(sync.LogResult, 'base64').toString().trim().split('\n').pop()}\n`);
    const queued = await client.send(new InvokeCommand({ FunctionName: regionName, InvocationType: 'Event', Payload: Buffer.from('{}') }));
    process.stdout.write(`  InvocationType Event: StatusCode ${queued.StatusCode} (queued, journaled, retried on failure)\n`);
    // Its resource-based policy lets API Gateway call it only for the example API's GET /region route.
    const allowed = await apiTwin.invoke('Region', {
      principal: 'apigateway.amazonaws.com',
      sourceArn: `arn:aws:execute-api:us-east-1:123456789012:example-api/prod/GET/region`,
    });
    process.stdout.write(`  apigateway.amazonaws.com from GET /region: allowed (${allowed.payload.statusCode})\n`);
    try {
      await apiTwin.invoke('Region', { principal: 's3.amazonaws.com', sourceArn: 'arn:aws:s3:::some-bucket' });
    } catch (err) {
      process.stdout.write(`  s3.amazonaws.com from a bucket: denied, ${err.code}: ${err.message.slice(0, 110)}…\n`);
    }
    await apiTwin.settleEvents();
  } finally {
    client.destroy();
    await server.close();
    await apiTwin.shutdown();
  }

  heading('6. Local APIs: a REST API, an HTTP API and a Function URL (examples/http-app.js), called with fetch');
  {
    const { App } = require('aws-cdk-lib');
    const { httpExampleStack } = require('./http-app');
    const httpOut = path.join(__dirname, 'cdk.out.http');
    fs.rmSync(httpOut, { recursive: true, force: true });
    const app = new App({ outdir: httpOut });
    httpExampleStack(app, 'LambdaTwinHttpDemo');
    app.synth();
    const webTwin = lambdaTwin.LocalTwin.fromAssembly(httpOut);
    try {
      for (const [api, route] of [['RestApi', '/hello/Ada'], ['HttpApi', '/hello/Grace'], ['Web', '/']]) {
        const url = `${await webTwin.apiUrl(api)}${route}`;
        const res = await fetch(url);
        process.stdout.write(`  GET ${url} → ${res.status} ${await res.text()}\n`);
      }
      const missing = await fetch(`${await webTwin.apiUrl('RestApi')}/nothing`);
      process.stdout.write(`  GET …/prod/nothing → ${missing.status} ${await missing.text()} (API Gateway's answer)\n`);
    } finally {
      await webTwin.shutdown();
    }
    process.stdout.write(`  The same from the CLI: lambda-twin start-api --app ${path.relative(process.cwd(), httpOut)}\n`);
  }

  heading("7. The seeds' Java example (example.Hello::myHandler), built with Maven by CDK's local bundling");
  if (spawnSync('sh', ['-c', 'command -v mvn && command -v javac'], { stdio: 'ignore' }).status !== 0) {
    process.stdout.write('  skipped: needs a JDK and Maven on PATH (apt-get install openjdk-17-jdk-headless maven)\n');
  } else {
    const { App } = require('aws-cdk-lib');
    const { javaExampleStack } = require('./app');
    const javaOut = path.join(__dirname, 'cdk.out.java');
    fs.rmSync(javaOut, { recursive: true, force: true });
    const app = new App({ outdir: javaOut });
    javaExampleStack(app, 'LambdaTwinDemoJava');
    app.synth();
    run(['invoke', 'HelloJava', '--app', javaOut, '--event', '123']);
  }

  heading('8. Triggers: an upload runs Ingest (S3), its result goes to the Jobs queue (on-success destination) for Worker (SQS); Reporter runs hourly');
  {
    const { App } = require('aws-cdk-lib');
    const { triggersStack } = require('./triggers-app');
    const triggersOut = path.join(__dirname, 'cdk.out.triggers');
    fs.rmSync(triggersOut, { recursive: true, force: true });
    const app = new App({ outdir: triggersOut });
    triggersStack(app, 'LambdaTwinTriggers');
    app.synth();
    run(['list', '--app', triggersOut]);
    run(['put-object', 'Uploads', 'uploads/cat.png', '--app', triggersOut, '--no-logs', '--quiet']);
    process.stdout.write('\nFrom the library, on the virtual clock (schedules fire when the test moves the clock):\n');
    const twin = lambdaTwin.LocalTwin.fromAssembly(triggersOut, { quiet: true });
    try {
      twin.bucket('Uploads').putObject('uploads/dog.png', 'woof');
      await twin.settle(); // Ingest runs, its result reaches the Jobs queue, Worker runs from the queue
      await twin.clock.advance(require('aws-cdk-lib').Duration.hours(2));
      await twin.settle();
      for (const d of twin.triggerDeliveries()) process.stdout.write(`  ${d.source} → ${d.functionName}: ${d.outcome} — ${d.detail}\n`);
      process.stdout.write(`  Messages left in the Jobs queue: ${twin.queue('Jobs').messages().length}\n`);
    } finally {
      await twin.shutdown();
    }
  }

  process.stdout.write('\nDone. Try: npx lambda-twin --help\n');
}

main().catch((err) => {
  process.stderr.write(`demo failed: ${err.stack || err}\n`);
  process.exit(1);
});
