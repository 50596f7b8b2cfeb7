// The jest matchers on real invokes: what passes, what fails, and what a failure tells the reader.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack, aws_iam as iam, aws_lambda as lambda } from 'aws-cdk-lib';
import { useLocalTwin } from '../../src/testing/jest';

const HANDLER = `
exports.handler = async (event) => {
  console.log('mode', event.mode);
  if (event.mode === 'fail') throw new RangeError('too big: ' + event.n);
  if (event.mode === 'sleep') await new Promise((resolve) => setTimeout(resolve, 5000));
  if (event.mode === 'exit') process.exit(3);
  if (event.mode === 'env') return process.env[event.name] ?? null;
  return { ok: true, n: event.n };
};
`;

const codeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-twin-matchers-'));
fs.writeFileSync(path.join(codeDir, 'index.js'), HANDLER);
afterAll(() => fs.rmSync(codeDir, { recursive: true, force: true }));

function matchersStack(): Stack {
  const stack = new Stack(new App(), 'MatchersTest');
  const fn = new lambda.Function(stack, 'Worker', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(codeDir),
    timeout: Duration.seconds(1),
    environment: { TABLE: 'orders' },
  });
  fn.addPermission('FromOrdersTopic', {
    principal: new iam.ServicePrincipal('sns.amazonaws.com'),
    sourceArn: 'arn:aws:sns:us-east-1:123456789012:orders',
  });
  return stack;
}

const kit = useLocalTwin(matchersStack, { environment: { STAGE: 'test' } });

describe('toSucceed and toSucceedWith', () => {
  it('pass for an invoke that returned, and compare its payload', async () => {
    const result = await kit.invoke('Worker', { event: { n: 2 } });
    expect(result).toSucceed();
    expect(result).toSucceedWith({ ok: true, n: 2 });
    expect(result).not.toSucceedWith({ ok: true, n: 3 });
  });

  it('fail for a function error, showing the error, the payload and the log', async () => {
    const result = await kit.invoke('Worker', { event: { mode: 'fail', n: 5 } });
    expect(result).not.toSucceed();
    expect(() => expect(result).toSucceed()).toThrow(/Expected the invoke to succeed, but it failed with RangeError: too big: 5/);
    expect(() => expect(result).toSucceed()).toThrow(/Payload: \{"errorType":"RangeError"/);
    expect(() => expect(result).toSucceed()).toThrow(/Log:\n(.|\n)*INFO\tmode fail(.|\n)*REPORT RequestId/);
  });

  it('say what came back when the payload differs', async () => {
    const result = await kit.invoke('Worker', { event: { n: 1 } });
    expect(() => expect(result).toSucceedWith({ ok: false })).toThrow(/but it succeeded with \{"n": 1, "ok": true\}/);
  });
});

describe('toFailWith', () => {
  it('matches the error type and message, by string or pattern', async () => {
    const result = await kit.invoke('Worker', { event: { mode: 'fail', n: 7 } });
    expect(result).toFailWith();
    expect(result).toFailWith('RangeError');
    expect(result).toFailWith(/Error$/, 'too big: 7');
    expect(result).not.toFailWith('TypeError');
    expect(() => expect(result).toFailWith('TypeError')).toThrow(/Expected the invoke to fail with "TypeError", but it failed with RangeError: too big: 7/);
  });

  it('does not pass for a successful invoke', async () => {
    const result = await kit.invoke('Worker', { event: { n: 1 } });
    expect(result).not.toFailWith();
    expect(() => expect(result).toFailWith('RangeError')).toThrow(/but it succeeded/);
  });

  it('names a crash of the runtime process Runtime.ExitError, and the environment is reset', async () => {
    const result = await kit.invoke('Worker', { event: { mode: 'exit' } });
    expect(result).toFailWith('Runtime.ExitError');
    expect(result).toHaveReset();
  });
});

describe('toHaveLogged', () => {
  it('finds text and patterns in the invoke\'s log', async () => {
    const result = await kit.invoke('Worker', { event: { mode: 'log-me' } });
    expect(result).toHaveLogged('mode log-me');
    expect(result).toHaveLogged(/REPORT RequestId: \S+\tDuration/);
    expect(result).not.toHaveLogged('mode something-else');
  });

  it('shows the log tail when the text is missing', async () => {
    const result = await kit.invoke('Worker', { event: { mode: 'quiet' } });
    expect(() => expect(result).toHaveLogged('a line nobody wrote')).toThrow(/Expected the invoke's log to contain "a line nobody wrote"(.|\n)*INFO\tmode quiet/);
  });
});

describe('toHaveTimedOut and toHaveReset', () => {
  it('see a timeout, and the environment thrown away after it', async () => {
    const result = await kit.invoke('Worker', { event: { mode: 'sleep' } });
    expect(result).toHaveTimedOut();
    expect(result).toHaveReset();
    expect(result).toFailWith('Sandbox.Timedout');
    expect(() => expect(result).not.toHaveTimedOut()).toThrow(/Expected the invoke to finish in time, but it timed out after \d+ ms/);
  });

  it('do not pass for an invoke that finished in a warm environment', async () => {
    await kit.invoke('Worker', { event: { n: 0 } });
    const result = await kit.invoke('Worker', { event: { n: 1 } });
    expect(result.coldStart).toBe(false);
    expect(result).not.toHaveTimedOut();
    expect(result).not.toHaveReset();
    expect(() => expect(result).toHaveTimedOut()).toThrow(/Expected the invoke to time out, but it finished in \d+ ms/);
    expect(() => expect(result).toHaveReset()).toThrow(/to be thrown away, but it was kept warm/);
  });
});

describe('toHaveEnvironmentVariable', () => {
  it('sees the template\'s variables and the twin\'s, as the process does', async () => {
    expect(kit.fn('Worker')).toHaveEnvironmentVariable('TABLE', 'orders');
    expect(kit.fn('Worker')).toHaveEnvironmentVariable('STAGE');
    expect(kit.fn('Worker')).toHaveEnvironmentVariable('STAGE', /^te/);
    expect(kit.fn('Worker')).not.toHaveEnvironmentVariable('TABLE', 'users');
    expect(await kit.invoke('Worker', { event: { mode: 'env', name: 'TABLE' } })).toSucceedWith('orders');
    expect(await kit.invoke('Worker', { event: { mode: 'env', name: 'STAGE' } })).toSucceedWith('test');
  });

  it('lists the variables the function has when one is missing', () => {
    expect(() => expect(kit.fn('Worker')).toHaveEnvironmentVariable('QUEUE_URL')).toThrow(/to get "QUEUE_URL"; it is not set\.\nIts variables: STAGE, TABLE/);
  });

  it('accepts a FunctionSummary too', () => {
    expect(kit.functions()[0]).toHaveEnvironmentVariable('TABLE', 'orders');
  });
});

describe('toAllowInvokeFrom', () => {
  it('reads the function\'s resource-based policy', () => {
    expect(kit.fn('Worker')).toAllowInvokeFrom('sns.amazonaws.com', { sourceArn: 'arn:aws:sns:us-east-1:123456789012:orders' });
    expect(kit.fn('Worker')).not.toAllowInvokeFrom('sns.amazonaws.com', { sourceArn: 'arn:aws:sns:us-east-1:123456789012:payments' });
    expect(kit.fn('Worker')).not.toAllowInvokeFrom('s3.amazonaws.com');
  });

  it('explains a denial with the statements that did not match and the whole policy', () => {
    expect(() => expect(kit.fn('Worker')).toAllowInvokeFrom('sns.amazonaws.com', { sourceArn: 'arn:aws:sns:us-east-1:123456789012:payments' }))
      .toThrow(/is not authorized to perform lambda:InvokeFunction on \S+: no statement matches \(\S+: source ARN arn:aws:sns:us-east-1:123456789012:payments is not like arn:aws:sns:us-east-1:123456789012:orders\)\.\nIts policy:\n {2}\S+: sns\.amazonaws\.com may lambda:InvokeFunction if source ARN is like arn:aws:sns:us-east-1:123456789012:orders/);
  });

  it('names the statement that allows a call it was told to deny', () => {
    expect(() => expect(kit.fn('Worker')).not.toAllowInvokeFrom('sns.amazonaws.com', { sourceArn: 'arn:aws:sns:us-east-1:123456789012:orders' }))
      .toThrow(/not to be invokable by sns\.amazonaws\.com from arn:aws:sns:us-east-1:123456789012:orders, but statement \S+ allows/);
  });

  it('applies a permission on the function to unqualified invokes only', () => {
    expect(kit.fn('Worker')).not.toAllowInvokeFrom('sns.amazonaws.com', { sourceArn: 'arn:aws:sns:us-east-1:123456789012:orders', qualifier: 'live' });
  });

  it('lets callers of the function\'s own account in, as their IAM policies decide', () => {
    expect(kit.fn('Worker')).toAllowInvokeFrom('arn:aws:iam::123456789012:role/ops');
    expect(kit.fn('Worker')).not.toAllowInvokeFrom('arn:aws:iam::999999999999:role/ops');
  });

  it('agrees with an invoke made as that principal', async () => {
    const orders = { principal: 'sns.amazonaws.com', sourceArn: 'arn:aws:sns:us-east-1:123456789012:orders' };
    expect(await kit.invoke('Worker', { ...orders, event: { n: 1 } })).toSucceed();
    await expect(kit.invoke('Worker', { ...orders, sourceArn: orders.sourceArn.replace('orders', 'payments'), event: { n: 1 } }))
      .rejects.toMatchObject({ code: 'AccessDeniedException' });
    await expect(kit.invoke('Worker', { principal: 's3.amazonaws.com', event: { n: 1 } })).rejects.toMatchObject({ code: 'AccessDeniedException' });
  });
});

describe('misuse', () => {
  it('tells to await an invoke passed as a promise', async () => {
    const pending = kit.invoke('Worker', { event: { n: 1 } });
    expect(() => expect(pending).toSucceed()).toThrow(/got a Promise: write expect\(await kit\.invoke\(…\)\)\.toSucceed\(…\)/);
    await pending;
  });

  it('says what it expected instead of something that is not an invoke result', () => {
    expect(() => expect({ statusCode: 200 }).toSucceed()).toThrow(/toSucceed expects the result of an invoke \(LocalTwin.invoke\), got Object with keys statusCode/);
    expect(() => expect('Worker').toAllowInvokeFrom('s3.amazonaws.com')).toThrow(/expects a function of the twin, as in expect\(kit\.fn\('Hello'\)\)/);
  });

  it('says which functions exist when a name is wrong', () => {
    expect(() => expect(kit.fn('Wroker')).toAllowInvokeFrom('s3.amazonaws.com')).toThrow(/Function not found: arn:aws:lambda:[a-z0-9-]+:\d{12}:function:Wroker\. Functions in this app: Worker/);
  });
});
