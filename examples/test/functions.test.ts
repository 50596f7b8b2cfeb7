// Behaviour and snapshot tests of the example app's functions, written with lambda-twin's testing kit: each
// invoke runs the real handler in a local process. Copy this file next to your app and change the lines marked
// "In your project". In this repository test/examples/examples-kit.test.ts runs it.
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
// In your project: import { Events, Snapshot } from 'lambda-twin';
import { Events, Snapshot } from '../../src';
// In your project: import { useLocalTwin } from 'lambda-twin/lib/testing/jest';
// (importing it also registers the matchers: toSucceed, toFailWith, toHaveLogged, toHaveTimedOut …)
import { useLocalTwin } from '../../src/testing/jest';

// In your project: import your own stack, e.g. `import { OrdersStack } from '../lib/orders-stack';`.
// Here the example app loads the library from src/ instead of the compiled lib/.
process.env.LAMBDA_TWIN_MODULE = path.join(__dirname, '..', '..', 'src');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { exampleStack } = require('../app') as { exampleStack: (app: App, id: string) => Stack };

// One twin for the whole file: synthesized once, warm environments shared by the tests, shut down after them.
const kit = useLocalTwin(() => exampleStack(new App(), 'ExampleTest'));

describe('Hello (Python)', () => {
  it('greets the person named in the event', async () => {
    const result = await kit.invoke('Hello', { event: { first_name: 'Ana', last_name: 'Lima' } });
    expect(result).toSucceedWith({ message: 'Hello Ana Lima!' });
  });

  it('fails with KeyError when the event has no first_name, and keeps its environment', async () => {
    const result = await kit.invoke('Hello', { event: { last_name: 'Lima' } });
    expect(result).toFailWith('KeyError', "'first_name'");
    expect(result).toHaveLogged('[ERROR] KeyError');
    expect(result).not.toHaveReset();
  });
});

describe('Calculator (Node.js)', () => {
  it('squares a number and logs what it calculates', async () => {
    const result = await kit.invoke('Calculator', { event: { action: 'square', number: 7 } });
    expect(result).toSucceedWith(49);
    expect(result).toHaveLogged(/INFO\tcalculating \{"action":"square","number":7\}/);
  });

  it('rejects an unknown action with an Error', async () => {
    const result = await kit.invoke('Calculator', { event: { action: 'explode', number: 1 } });
    expect(result).toFailWith('Error', /^Unknown action "explode"/);
  });

  it('rejects a number that is not a number with a TypeError', async () => {
    expect(await kit.invoke('Calculator', { event: { action: 'increment', number: '3' } })).toFailWith('TypeError');
  });
});

describe('Region behind API Gateway', () => {
  const routeArn = 'arn:aws:execute-api:us-east-1:123456789012:example-api/prod/GET/region';

  it('answers an API Gateway request with the region it runs in', async () => {
    const result = await kit.invoke('Region', { event: Events.apiGatewayV1({ method: 'GET', path: '/region' }) });
    expect(result).toSucceed();
    expect(result.payload.statusCode).toBe(200);
    expect(JSON.parse(result.payload.body)).toEqual({ 'Region ': 'us-east-1' });
  });

  it('may be invoked by the example API, only on its GET /region route', () => {
    expect(kit.fn('Region')).toAllowInvokeFrom('apigateway.amazonaws.com', { sourceArn: routeArn });
    expect(kit.fn('Region')).not.toAllowInvokeFrom('apigateway.amazonaws.com', { sourceArn: routeArn.replace('GET', 'POST') });
    expect(kit.fn('Region')).not.toAllowInvokeFrom('apigateway.amazonaws.com');
    expect(kit.fn('Region')).not.toAllowInvokeFrom('s3.amazonaws.com', { sourceArn: 'arn:aws:s3:::uploads' });
  });

  it('answers the API when invoked as API Gateway, and refuses S3', async () => {
    const request = Events.apiGatewayV1({ method: 'GET', path: '/region' });
    expect(await kit.invoke('Region', { event: request, principal: 'apigateway.amazonaws.com', sourceArn: routeArn })).toSucceed();
    await expect(kit.invoke('Region', { event: request, principal: 's3.amazonaws.com', sourceArn: 'arn:aws:s3:::uploads' }))
      .rejects.toMatchObject({ code: 'AccessDeniedException' });
  });

  it('is the only function another service may invoke', () => {
    expect(kit.fn('Hello')).not.toAllowInvokeFrom('apigateway.amazonaws.com', { sourceArn: routeArn });
    expect(kit.fn('Calculator')).not.toAllowInvokeFrom('*');
  });
});

describe('Slow (1 s timeout)', () => {
  it('answers when the work fits in its timeout', async () => {
    expect(await kit.invoke('Slow', { event: { seconds: 0.1 } })).toSucceedWith({ slept: 0.1 });
  });

  it('times out past 1 s, and the next invoke gets a fresh environment', async () => {
    const result = await kit.invoke('Slow', { event: { seconds: 5 } });
    expect(result).toHaveTimedOut();
    expect(result).toFailWith('Sandbox.Timedout', /Task timed out after 1\.00 seconds/);
    expect(result).toHaveReset();

    const next = await kit.invoke('Slow', { event: { seconds: 0 } });
    expect(next).toSucceed();
    expect(next.coldStart).toBe(true);
  });
});

describe('snapshots', () => {
  it('of the functions in the template: asset hashes are masked, so only configuration changes show', () => {
    // The whole template works too (`Snapshot.ofStack(kit.stack)`); keeping to the Lambda resources keeps the
    // snapshot about the functions.
    const { Resources } = Snapshot.ofStack(kit.stack);
    const lambdaResources = Object.fromEntries(Object.entries<any>(Resources).filter(([, r]) => r.Type.startsWith('AWS::Lambda::')));
    expect(lambdaResources).toMatchSnapshot();
  });

  it('of an invoke: payload, error and the function\'s own log lines, request ids and times masked', async () => {
    expect(Snapshot.ofInvoke(await kit.invoke('Calculator', { event: { action: 'decrement', number: 1 } }))).toMatchSnapshot();
    expect(Snapshot.ofInvoke(await kit.invoke('Calculator', { event: { action: 'explode', number: 1 } }))).toMatchSnapshot();
  });
});
