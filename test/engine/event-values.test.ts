// Events are any JSON value, and handlers' return values come back JSON-serialized (None/undefined → null),
// in both Python and Node.js, through the public LocalTwin API.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalTwin } from '../../src';

const EVENTS: Array<[string, any]> = [
  ['an object', { first_name: 'John', nested: { list: [1, 2] } }],
  ['an array', [1, 'two', { three: 3 }]],
  ['a string', 'just text'],
  ['an integer', 42],
  ['a float', 3.5],
  ['a boolean', true],
  ['null', null],
];

describe('event and response values', () => {
  let dir: string;
  let twin: LocalTwin;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-values-'));
    fs.mkdirSync(path.join(dir, 'code'));
    fs.writeFileSync(path.join(dir, 'code', 'echo.py'), [
      'def handler(event, context):',
      '    return {"type": type(event).__name__, "event": event}',
      '',
      'def nothing(event, context):',
      '    pass',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'code', 'echo.js'), [
      'exports.handler = async (event) => ({ type: Array.isArray(event) ? "array" : event === null ? "null" : typeof event, event });',
      'exports.nothing = async () => undefined;',
      '',
    ].join('\n'));
    const fn = (runtime: string, handler: string) => ({ Type: 'AWS::Lambda::Function', Properties: { Runtime: runtime, Handler: handler, Code: 'code' } });
    fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify({
      Resources: {
        PyEcho: fn('python3.11', 'echo.handler'),
        PyNothing: fn('python3.11', 'echo.nothing'),
        NodeEcho: fn('nodejs20.x', 'echo.handler'),
        NodeNothing: fn('nodejs20.x', 'echo.nothing'),
      },
    }));
    twin = LocalTwin.fromTemplate(path.join(dir, 'template.json'));
  });

  afterAll(async () => {
    await twin.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(EVENTS)('hands %s to a Python handler as the matching Python value', async (_what, event) => {
    const result = await twin.invoke('PyEcho', { event });
    expect(result.functionError).toBeUndefined();
    expect(result.payload.event).toEqual(event);
    const pythonType: Record<string, string> = { object: 'dict', array: 'list', string: 'str', boolean: 'bool', null: 'NoneType' };
    const jsType = Array.isArray(event) ? 'array' : event === null ? 'null' : typeof event;
    const expected = jsType === 'number' ? (Number.isInteger(event) ? 'int' : 'float') : pythonType[jsType];
    expect(result.payload.type).toBe(expected);
  });

  it.each(EVENTS)('hands %s to a Node.js handler unchanged', async (_what, event) => {
    const result = await twin.invoke('NodeEcho', { event });
    expect(result.functionError).toBeUndefined();
    expect(result.payload.event).toEqual(event);
  });

  it('answers null for a Python handler that returns None', async () => {
    const result = await twin.invoke('PyNothing');
    expect(result.rawPayload).toBe('null');
    expect(result.payload).toBeNull();
  });

  it('answers null for a Node.js handler that returns undefined', async () => {
    const result = await twin.invoke('NodeNothing');
    expect(result.rawPayload).toBe('null');
    expect(result.payload).toBeNull();
  });
});
