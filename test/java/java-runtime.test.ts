// The java runtime family in the engine: the package layouts Lambda loads (a jar uploaded as the package, classes
// with lib/*.jar, aws-lambda-java-core from a layer's java/lib), the JVM flags sized from the memory setting, and
// JAVA_TOOL_OPTIONS honoured by the JVM.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fixtureSpec, runnerFactory } from '../engine/helpers';
import { describeWithPrepared } from '../prepared';

const make = runnerFactory();

describeWithPrepared('java-fixtures', '1', 'java17 functions', (dir) => {
  const hello = { runtime: 'java17', handler: 'example.Hello::myHandler', timeout: 15 };

  it('runs a jar uploaded as the package (extracted, its lib/*.jar on the classpath)', async () => {
    const fn = make(fixtureSpec({ ...hello, codePath: path.join(dir, 'hello.jar') }));
    const result = await fn.invoke(123);
    expect(result.functionError).toBeUndefined();
    expect(result.body).toBe('123');
    expect(result.logs).toMatch(/^received : 123$/m);
  }, 60_000);

  it("loads aws-lambda-java-core from a layer's java/lib when the package has no lib/", async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-java-layer-'));
    try {
      const code = path.join(work, 'code');
      fs.cpSync(path.join(dir, 'hello', 'example'), path.join(code, 'example'), { recursive: true });
      const layerLib = path.join(work, 'layer', 'java', 'lib');
      fs.mkdirSync(layerLib, { recursive: true });
      for (const jar of fs.readdirSync(path.join(dir, 'hello', 'lib'))) fs.copyFileSync(path.join(dir, 'hello', 'lib', jar), path.join(layerLib, jar));
      const fn = make(fixtureSpec({ ...hello, codePath: code, layers: [{ id: 'CoreLayer', contentPath: path.join(work, 'layer') }] }));
      const result = await fn.invoke(5);
      expect(result.functionError).toBeUndefined();
      expect(result.body).toBe('5');
      await fn.close();
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }, 60_000);

  it('starts the JVM with the heap, metaspace and code cache of the memory size, and honours JAVA_TOOL_OPTIONS', async () => {
    const fn = make(fixtureSpec({
      runtime: 'java17',
      handler: 'conformance.Handlers::jvm',
      timeout: 15,
      memorySize: 256,
      codePath: path.join(dir, 'conformance'),
      environment: { JAVA_TOOL_OPTIONS: '-Dlt.probe=yes' },
    }), { isolate: false }); // plain: java.io.tmpdir is then the environment's host folder (isolated it is /tmp, its own)
    const result = await fn.invoke({});
    expect(result.functionError).toBeUndefined();
    expect(result.body.arguments).toEqual(expect.arrayContaining([
      '-XX:MaxHeapSize=222822k', '-XX:MaxMetaspaceSize=26214k', '-XX:ReservedCodeCacheSize=13107k',
      '-XX:+UseSerialGC', '-XX:+TieredCompilation', '-XX:TieredStopAtLevel=1',
    ]));
    expect(result.body.maxMemory).toBeLessThanOrEqual(222822 * 1024);
    expect(result.body.probe).toBe('yes');
    expect(result.logs).toContain('Picked up JAVA_TOOL_OPTIONS: -Dlt.probe=yes');
    expect(result.body.tmpdir.startsWith(fn.stateDir)).toBe(true); // the environment's /tmp, not the host's
  }, 60_000);
});
