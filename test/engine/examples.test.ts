// The example app's functions, synthesized from a Stack and invoked through the engine with real processes.
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { LocalTwin } from '../../src';

// The example imports lambda-twin by the name this variable gives; it is put back as it was after the file.
const moduleBefore = process.env.LAMBDA_TWIN_MODULE;
process.env.LAMBDA_TWIN_MODULE = path.join(__dirname, '..', '..', 'src');
afterAll(() => {
  if (moduleBefore === undefined) delete process.env.LAMBDA_TWIN_MODULE;
  else process.env.LAMBDA_TWIN_MODULE = moduleBefore;
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { exampleStack } = require('../../examples/app');

describe('the example app on the local twin', () => {
  let twin: LocalTwin;
  beforeAll(() => {
    const app = new App();
    const stack = exampleStack(app, 'ExamplesTest');
    twin = LocalTwin.fromStack(stack);
  });
  afterAll(() => twin.shutdown());

  it('greets John Smith from the Python handler', async () => {
    const result = await twin.invoke('Hello', { event: { first_name: 'John', last_name: 'Smith' } });
    expect(result.payload).toEqual({ message: 'Hello John Smith!' });
    expect(result.functionError).toBeUndefined();
    expect(result.coldStart).toBe(true);
    expect(result.logs).toMatch(/START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
    expect(result.logs).toMatch(/REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms/);
  });

  it('reuses the warm environment for the next invoke', async () => {
    const result = await twin.invoke('Hello', { event: { first_name: 'Jane', last_name: 'Doe' } });
    expect(result.payload).toEqual({ message: 'Hello Jane Doe!' });
    expect(result.coldStart).toBe(false);
    expect(result.logs).not.toMatch(/Init Duration/);
  });

  it('returns AWS_REGION from the environment', async () => {
    const result = await twin.invoke('Region', { event: { key1: 'value1' } });
    expect(result.payload.statusCode).toBe(200);
    expect(JSON.parse(result.payload.body)).toEqual({ 'Region ': 'us-east-1' });
  });

  it('runs the Node.js calculator', async () => {
    const result = await twin.invoke('Calculator', { event: { action: 'increment', number: 3 } });
    expect(result.payload).toBe(4);
    expect(result.logs).toMatch(/\tINFO\tcalculating \{"action":"increment","number":3\} in /);
  });

  it('reports a thrown Node.js error with its type and trace', async () => {
    const result = await twin.invoke('Calculator', { event: { action: 'explode', number: 1 } });
    expect(result.functionError).toBe('Unhandled');
    expect(result.payload.errorType).toBe('Error');
    expect(result.payload.errorMessage).toBe('Unknown action "explode": use increment, decrement or square');
    expect(Array.isArray(result.payload.trace)).toBe(true);
    expect(result.reset).toBe(false);
  });

  it('answers Runtime.MarshalError for a value JSON cannot represent', async () => {
    const result = await twin.invoke('NotJson');
    expect(result.functionError).toBe('Unhandled');
    expect(result.payload.errorType).toBe('Runtime.MarshalError');
    expect(result.payload.errorMessage).toMatch(/^Unable to marshal response: Object of type set is not JSON serializable/);
  });
});
