// Go functions as Lambda runs them: a `bootstrap` built with `go build` against AWS's own aws-lambda-go (from the
// Go module proxy, by scripts/test-setup.js), zipped at the package root, run as provided.al2023 through our
// Runtime API. Typed events in and out, returned errors with Go's type names, lambdacontext, and a panic.
import * as path from 'path';
import { fixtureSpec, runnerFactory } from '../engine/helpers';
import { describeWithPrepared } from '../prepared';

const make = runnerFactory();

describeWithPrepared('go-handlers', '1', 'a Go bootstrap built with aws-lambda-go', (dir) => {
  const zip = path.join(dir, 'function.zip');
  const fn = (mode: string) => make(fixtureSpec({
    codePath: zip, runtime: 'provided.al2023', handler: 'bootstrap', functionName: `go-${mode}`, environment: { HANDLER_MODE: mode },
  }));

  describe('typed events and errors', () => {
    const greet = fn('greet');

    it('decodes the event into a struct and encodes the result', async () => {
      const result = await greet.invoke({ name: 'Ann', age: 30 });
      expect(result.functionError).toBeUndefined();
      expect(result.body).toEqual({ message: 'Hello, Ann', nextAge: 31 });
      expect(result.logs).not.toMatch(/INIT_START/); // a custom runtime has no runtime version line
    });

    it('reports a returned error with its Go type name, and stays warm', async () => {
      const plain = await greet.invoke({ name: 'plain' });
      expect(plain.functionError).toBe('Unhandled');
      expect(plain.body).toEqual({ errorMessage: 'plain failure', errorType: 'errorString' });
      const custom = await greet.invoke({ name: 'custom' });
      expect(custom.body).toEqual({ errorMessage: 'custom failure 7', errorType: 'customError' });
      const wrapped = await greet.invoke({ name: 'wrapped' });
      expect(wrapped.body).toEqual({ errorMessage: 'outer: inner', errorType: 'wrapError' });
      expect(wrapped.coldStart).toBe(false);
      expect(wrapped.reset).toBe(false);
    });

    it('reports an event that does not decode as the invoke error', async () => {
      const result = await greet.invoke('not an object');
      expect(result.functionError).toBe('Unhandled');
      expect(result.body.errorType).toBe('UnmarshalTypeError');
      expect(result.body.errorMessage).toMatch(/cannot unmarshal string/);
    });

    it('reports a panic with its value, type and stack, and the environment starts cold again', async () => {
      const result = await greet.invoke({ name: 'panic' });
      expect(result.functionError).toBe('Unhandled');
      expect(result.body.errorMessage).toBe('go panicked');
      expect(result.body.errorType).toBe('string');
      expect(Array.isArray(result.body.stackTrace)).toBe(true);
      expect(result.body.stackTrace.some((f: { label?: string }) => f.label === 'greet')).toBe(true);
      const next = await greet.invoke({ name: 'Bo', age: 1 });
      expect(next.coldStart).toBe(true);
      expect(next.body).toEqual({ message: 'Hello, Bo', nextAge: 2 });
    });
  });

  it('gives lambdacontext the function, the request and a deadline', async () => {
    const result = await fn('context').invoke({});
    expect(result.body).toEqual({
      functionName: 'go-context',
      memory: 128,
      version: '$LATEST',
      logGroup: '/aws/lambda/go-context',
      requestIdLen: 36,
      arn: expect.stringMatching(/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:go-context$/),
      hasDeadline: true,
    });
  });

  it('takes and answers aws-lambda-go event types (SQS partial batch response, API Gateway proxy)', async () => {
    const sqs = await fn('sqs').invoke({ Records: [{ messageId: 'm1', body: 'ok' }, { messageId: 'm2', body: 'fail' }] });
    expect(sqs.body).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    const api = await fn('api').invoke({ httpMethod: 'GET', path: '/items', queryStringParameters: { q: 'x' } });
    expect(api.body).toEqual({ statusCode: 201, headers: null, multiValueHeaders: null, body: 'GET /items x' });
  });
});
