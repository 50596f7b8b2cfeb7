// Ruby functions (ruby3.2/3.3/3.4) run through the engine as native processes with our Ruby runtime client:
// handler forms, the context object, warm reuse, the real client's error shapes, INIT failures, timeouts, event
// values and layers. Ruby must be installed (Debian: `apt-get install ruby`); without it these tests fail.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fixtureSpec, runnerFactory } from './helpers';
import { LocalTwin } from '../../src';
import { hostInterpreter } from '../../src/engine/runtimes/runtimes';

const RUBY_FIXTURES = path.join(__dirname, '..', 'fixtures', 'ruby');
const APP = path.join(RUBY_FIXTURES, 'app');

beforeAll(() => {
  try {
    hostInterpreter('ruby3.3');
  } catch (e) {
    throw new Error(`These tests run real Ruby functions and need a Ruby interpreter: install the Debian package 'ruby' (apt-get install -y ruby). ${(e as Error).message}`);
  }
});

const make = runnerFactory();
const app = (handler: string, extra: Record<string, unknown> = {}) =>
  make(fixtureSpec({ codePath: APP, runtime: 'ruby3.3', handler, functionName: 'ruby-fn', ...extra }));

it('names the Debian package when no Ruby interpreter can be found', () => {
  expect(() => hostInterpreter('ruby3.3', { ruby: '/nonexistent/ruby' })).toThrow(/No Ruby interpreter found for runtime 'ruby3.3'.*apt-get install ruby/);
});

describe('a Ruby handler', () => {
  const fn = app('app.hello', { memorySize: 256 });

  it('gets the event and a context object, and its result comes back as JSON', async () => {
    const result = await fn.invoke({ name: 'Ada' }, {
      clientContext: JSON.stringify({ custom: { tier: 'gold' } }),
      cognitoIdentity: JSON.stringify({ cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' }),
    });
    expect(result.functionError).toBeUndefined();
    expect(result.coldStart).toBe(true);
    expect(result.body.message).toBe('Hello, Ada!');
    expect(result.body.event).toEqual({ name: 'Ada' });
    const context = result.body.context;
    expect(context.aws_request_id).toBe(result.requestId);
    expect(context.function_name).toBe('ruby-fn');
    expect(context.function_version).toBe('$LATEST');
    expect(context.invoked_function_arn).toBe('arn:aws:lambda:us-east-1:123456789012:function:ruby-fn');
    expect(context.memory_limit_in_mb).toBe('256');
    expect(context.log_group_name).toBe('/aws/lambda/ruby-fn');
    expect(context.log_stream_name).toBe(result.logStreamName);
    expect(context.identity).toEqual({ cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' });
    expect(context.client_context).toEqual({ custom: { tier: 'gold' } });
    expect(context.remaining_ms).toBeGreaterThan(0);
    expect(context.remaining_ms).toBeLessThanOrEqual(fn.spec.timeout * 1000);
    expect(context.deadline_ms - Date.now()).toBeLessThanOrEqual(fn.spec.timeout * 1000);
    expect(result.body.handler).toBe('app.hello');
    expect(result.body.trace_id).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    expect(result.logs).toContain('hello from ruby-fn\n');
  });

  it('is warm on the next invoke: the process and the state the file set up stay', async () => {
    const first = await fn.invoke({ name: 'one' });
    const second = await fn.invoke({ name: 'two' });
    expect(second.coldStart).toBe(false);
    expect(second.body.pid).toBe(first.body.pid);
    expect(second.body.invocations).toBe(first.body.invocations + 1);
  });

  it('sets _X_AMZN_TRACE_ID to the trace id of each invoke', async () => {
    const traceId = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    expect((await fn.invoke({}, { traceId })).body.trace_id).toBe(traceId);
  });

  it('can be a class method: file.Module::Class.method', async () => {
    const result = await app('app.Shop::Orders.process').invoke({ id: 7 });
    expect(result.functionError).toBeUndefined();
    expect(result.body).toEqual({ order: 7, by: 'Shop::Orders' });
  });

  it('formats the lines of a Logger on $stdout with the request id', async () => {
    const result = await app('app.logs').invoke();
    expect(result.body).toBe('logged');
    const line = result.logs.split('\n').find((l) => l.includes('logged with the request id'));
    expect(line).toMatch(new RegExp(`^I, \\[\\d{4}-\\d\\d-\\d\\dT[\\d:.]+ #\\d+\\]  INFO ${result.requestId} -- : logged with the request id$`));
  });

  it('answers a StringIO as raw bytes', async () => {
    const result = await app('app.stream').invoke();
    expect(result.functionError).toBeUndefined();
    expect(result.payload.toString()).toBe('raw bytes');
  });
});

describe('errors a Ruby handler raises', () => {
  it('come back as {errorMessage, errorType: Function<Class>, stackTrace}, and the environment stays warm', async () => {
    const fn = app('app.failure');
    const result = await fn.invoke({ value: 42 });
    expect(result.functionError).toBe('Unhandled');
    expect(result.body).toEqual({
      errorMessage: 'bad input: 42',
      errorType: 'Function<ArgumentError>',
      stackTrace: [expect.stringMatching(/app\.rb:\d+:in `failure'$/)],
    });
    expect(result.logs).toContain('Error raised from handler method\n{\n  "errorMessage": "bad input: 42",');
    expect(result.reset).toBe(false);
    const next = await fn.invoke({ value: 1 });
    expect(next.coldStart).toBe(false);
    expect(next.body.errorMessage).toBe('bad input: 1');
  });

  it('name the function\'s own exception class', async () => {
    const result = await app('app.custom_fail').invoke();
    expect(result.body.errorType).toBe('Function<OrderError>');
    expect(result.body.errorMessage).toBe('order not found');
  });

  it('are critical for a NameError: the error is answered, then the environment is gone', async () => {
    const fn = app('app.undefined_constant');
    const result = await fn.invoke();
    expect(result.functionError).toBe('Unhandled');
    expect(result.body.errorType).toBe('Function<NameError>');
    expect(result.body.errorMessage).toBe('uninitialized constant NotAConstantAnywhere');
    expect(result.logs).toContain('Critical exception from handler');
    expect(result.reset).toBe(true);
    expect(fn.leftovers()).toEqual([]);
    expect((await fn.invoke()).coldStart).toBe(true);
  });

  it('answer a handler method the file does not define with Function<NoMethodError> at invoke, as Lambda does', async () => {
    const result = await app('app.no_such_method').invoke();
    expect(result.functionError).toBe('Unhandled');
    expect(result.body.errorType).toBe('Function<NoMethodError>');
    expect(result.body.errorMessage).toContain('no_such_method');
    expect(result.reset).toBe(true);
  });
});

describe('INIT failures of a Ruby function', () => {
  it('a handler file that does not exist is Init<LoadError>', async () => {
    const result = await app('missing.handler').invoke();
    expect(result.functionError).toBe('Unhandled');
    expect(result.body).toEqual({ errorMessage: 'cannot load such file -- missing', errorType: 'Init<LoadError>', stackTrace: expect.any(Array) });
    expect(result.body.stackTrace.join('\n')).not.toContain('bootstrap.rb');
    expect(result.logs).toContain('Init error when loading handler missing.handler\n{\n');
    expect(result.reset).toBe(true);
  });

  it('a syntax error in the handler file is Init<SyntaxError>', async () => {
    const fn = make(fixtureSpec({ codePath: path.join(RUBY_FIXTURES, 'syntax'), runtime: 'ruby3.3', handler: 'app.handler' }));
    const result = await fn.invoke();
    expect(result.functionError).toBe('Unhandled');
    expect(result.body.errorType).toBe('Init<SyntaxError>');
    expect(result.body.errorMessage).toMatch(/app\.rb:3: syntax error/);
  });

  it('a class that does not exist is Function<NameError> when the handler is called', async () => {
    const result = await app('app.Nowhere::Handler.process').invoke();
    expect(result.body.errorType).toBe('Function<NameError>');
    expect(result.body.errorMessage).toContain('Nowhere');
  });

  it('a handler without a method part is Init<ArgumentError>', async () => {
    const result = await app('app').invoke();
    expect(result.body.errorType).toBe('Init<ArgumentError>');
    expect(result.body.errorMessage).toMatch(/^Invalid handler \["app"\], must be of form FILENAME\.METHOD or FILENAME\.CLASS\.METHOD/);
  });
});

describe('a Ruby function that runs past its timeout', () => {
  it('is stopped with Sandbox.Timedout and starts cold next time', async () => {
    const fn = app('app.nap', { timeout: 1 });
    const result = await fn.invoke({ seconds: 30 });
    expect(result.timedOut).toBe(true);
    expect(result.body.errorType).toBe('Sandbox.Timedout');
    expect(result.body.errorMessage).toMatch(/Task timed out after 1\.00 seconds$/);
    expect(fn.leftovers()).toEqual([]);
    const next = await fn.invoke({ seconds: 0 });
    expect(next.coldStart).toBe(true);
    expect(next.body).toBe('woke up');
  });
});

describe('a Ruby function with a layer', () => {
  it('finds ruby/lib on RUBYLIB and gems in ruby/gems/<version> on GEM_PATH', async () => {
    const fn = make(fixtureSpec({
      codePath: path.join(RUBY_FIXTURES, 'layer-fn'),
      runtime: 'ruby3.3',
      handler: 'app.handler',
      layers: [{ id: 'RubyLayer', contentPath: path.join(RUBY_FIXTURES, 'layer') }],
    }));
    const result = await fn.invoke({ name: 'Ada' });
    expect(result.functionError).toBeUndefined();
    expect(result.body).toEqual({
      greeting: 'Greetings, Ada, from the layer',
      salutation: 'Salute, Ada, from a gem',
      gem_version: '1.0.0',
    });
  });
});

const EVENTS: Array<[string, any, string]> = [
  ['an object', { first_name: 'John', nested: { list: [1, 2] } }, 'Hash'],
  ['an array', [1, 'two', { three: 3 }], 'Array'],
  ['a string', 'just text', 'String'],
  ['an integer', 42, 'Integer'],
  ['a float', 3.5, 'Float'],
  ['a boolean', true, 'TrueClass'],
  ['null', null, 'NilClass'],
];

describe('Ruby event and response values through LocalTwin', () => {
  let dir: string;
  let twin: LocalTwin;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-ruby-'));
    const fn = (runtime: string, handler: string) => ({ Type: 'AWS::Lambda::Function', Properties: { Runtime: runtime, Handler: handler, Code: APP } });
    fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify({
      Resources: {
        Echo: fn('ruby3.3', 'app.echo'),
        Nothing: fn('ruby3.2', 'app.nothing'),
        Hello: fn('ruby3.4', 'app.hello'),
      },
    }));
    twin = LocalTwin.fromTemplate(path.join(dir, 'template.json'));
  });

  afterAll(async () => {
    await twin.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(EVENTS)('hands %s to the handler as the matching Ruby value', async (_what, event, rubyClass) => {
    const result = await twin.invoke('Echo', { event });
    expect(result.functionError).toBeUndefined();
    expect(result.payload).toEqual({ class: rubyClass, event });
  });

  it('answers null for a handler that returns nil', async () => {
    const result = await twin.invoke('Nothing');
    expect(result.rawPayload).toBe('null');
  });

  it('runs ruby3.4 with the layer folders of its version on GEM_PATH and RUBYLIB', async () => {
    const result = await twin.invoke('Hello', { event: { name: 'Ruby' } });
    expect(result.payload.message).toBe('Hello, Ruby!');
    const gemPath: string[] = result.payload.gem_path.split(':');
    expect(gemPath.some((p) => p.endsWith(path.join('ruby', 'gems', '3.4.0')))).toBe(true);
    expect(result.payload.rubylib.split(':').some((p: string) => p.endsWith(path.join('ruby', 'lib')))).toBe(true);
  });
});
