// The twin agrees with Lambda on nodejs24.x (real Node.js processes): a callback handler fails INIT with
// Runtime.CallbackHandlerDeprecated and the context has no succeed/fail/done; on nodejs22.x both still work.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalTwin } from '../../src';

describe('callback handlers on the twin', () => {
  let dir: string;
  let twin: LocalTwin;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-node24-'));
    fs.mkdirSync(path.join(dir, 'code'));
    fs.writeFileSync(path.join(dir, 'code', 'app.js'), [
      'exports.callback = function (event, context, callback) { callback(null, { style: "callback" }); };',
      'exports.contextMethods = async (event, context) => ({ succeed: typeof context.succeed, fail: typeof context.fail, done: typeof context.done });',
      'exports.viaSucceed = function (event, context) { context.succeed({ style: "succeed" }); };',
      '',
    ].join('\n'));
    const fn = (runtime: string, handler: string) => ({ Type: 'AWS::Lambda::Function', Properties: { Runtime: runtime, Handler: handler, Code: 'code' } });
    fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify({
      Resources: {
        Callback24: fn('nodejs24.x', 'app.callback'),
        Context24: fn('nodejs24.x', 'app.contextMethods'),
        Callback22: fn('nodejs22.x', 'app.callback'),
        Context22: fn('nodejs22.x', 'app.contextMethods'),
        Succeed22: fn('nodejs22.x', 'app.viaSucceed'),
      },
    }));
    twin = LocalTwin.fromTemplate(path.join(dir, 'template.json'));
  });

  afterAll(async () => {
    await twin.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('nodejs24.x: a callback handler fails INIT with Runtime.CallbackHandlerDeprecated', async () => {
    const result = await twin.invoke('Callback24', { event: {} });
    expect(result.functionError).toBe('Unhandled');
    expect(result.payload.errorType).toBe('Runtime.CallbackHandlerDeprecated');
    expect(result.payload.errorMessage).toContain('removed support for callback-based function handlers starting with Node.js 24');
  });

  test('nodejs24.x: the context has no succeed, fail or done', async () => {
    const result = await twin.invoke('Context24', { event: {} });
    expect(result.payload).toEqual({ succeed: 'undefined', fail: 'undefined', done: 'undefined' });
  });

  test('nodejs22.x: callback handlers and context.succeed still work', async () => {
    expect((await twin.invoke('Callback22', { event: {} })).payload).toEqual({ style: 'callback' });
    expect((await twin.invoke('Context22', { event: {} })).payload).toEqual({ succeed: 'function', fail: 'function', done: 'function' });
    expect((await twin.invoke('Succeed22', { event: {} })).payload).toEqual({ style: 'succeed' });
  });
});
