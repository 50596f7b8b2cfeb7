// useLocalTwin: one twin a test file, built once, shared warm by the tests, and gone after them.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, aws_lambda as lambda } from 'aws-cdk-lib';
import { useLocalTwin } from '../../src/testing/jest';

const codeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-twin-use-twin-'));
fs.writeFileSync(path.join(codeDir, 'index.js'), 'exports.handler = async () => ({ pid: process.pid });\n');

let stacksBuilt = 0;
let runtimePids: number[] = [];
let kitOfBlock: ReturnType<typeof useLocalTwin>;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('a describe block with useLocalTwin', () => {
  const kit = useLocalTwin(() => {
    stacksBuilt++;
    const stack = new Stack(new App(), 'UseTwinTest');
    new lambda.Function(stack, 'Pid', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromAsset(codeDir) });
    return stack;
  }, { isolate: false }); // plain processes: the block checks the runtime's host pid, which a PID namespace hides
  kitOfBlock = kit;

  it('builds the stack once, before the first test', () => {
    expect(stacksBuilt).toBe(1);
    expect(kit.stack.stackName).toBe('UseTwinTest');
    expect(kit.functions().map((f) => f.constructPath)).toEqual(['UseTwinTest/Pid/Resource']);
  });

  it('starts an environment on the first invoke', async () => {
    const result = await kit.invoke('Pid');
    expect(result).toSucceed();
    expect(result.coldStart).toBe(true);
    runtimePids.push(result.payload.pid);
  });

  it('reuses it warm in the next test', async () => {
    const result = await kit.invoke('Pid');
    expect(result.coldStart).toBe(false);
    expect(result.payload.pid).toBe(runtimePids[0]);
    expect(isAlive(runtimePids[0])).toBe(true);
    expect(stacksBuilt).toBe(1);
  });

  it('invokes through kit.fn as well', async () => {
    expect(await kit.fn('Pid').invoke()).toSucceedWith({ pid: runtimePids[0] });
  });
});

describe('after that block', () => {
  it('has shut its runtime processes down', () => {
    expect(runtimePids).toHaveLength(1);
    expect(isAlive(runtimePids[0])).toBe(false);
  });

  it('refuses to hand out the shut-down twin', () => {
    expect(() => kitOfBlock.twin).toThrow(/shut down after its tests \(afterAll\); use it inside tests and hooks/);
    expect(() => kitOfBlock.invoke('Pid')).toThrow(/shut down/);
  });

  it('never built the stack again', () => {
    expect(stacksBuilt).toBe(1);
  });
});

afterAll(() => {
  runtimePids = [];
  fs.rmSync(codeDir, { recursive: true, force: true });
});
