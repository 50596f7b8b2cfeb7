// A corpus of small SAM apps written the way public samples are (SDK imports without shipping the SDK,
// requirements.txt, esbuild metadata, a layer with BuildMethod): each is built with `lambda-twin build` and its
// function invoked with an event of its trigger's type, as a new user would.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalTwin } from '../../src';
import { buildTemplate } from '../../src/build/build';
import { describeWithPrepared } from '../prepared';

jest.setTimeout(180_000);

const APPS = path.join(__dirname, '..', 'fixtures', 'sam-apps');

interface Case {
  readonly app: string;
  readonly fn: string;
  readonly event: object;
  readonly check: (payload: any) => void;
}

const apiEvent = (method: string, p: string, body?: object): object => ({
  httpMethod: method,
  path: p,
  resource: p,
  headers: {},
  queryStringParameters: null,
  body: body ? JSON.stringify(body) : null,
  requestContext: { httpMethod: method, path: p, stage: 'Prod' },
  isBase64Encoded: false,
});

const CASES: Case[] = [
  {
    app: 'py-requests',
    fn: 'HelloWorldFunction',
    event: apiEvent('GET', '/hello'),
    check: (p) => expect(JSON.parse(p.body)).toEqual({ message: 'hello world', requests: true, s3: 's3', path: '/hello' }),
  },
  {
    app: 'ts-esbuild',
    fn: 'HelloWorldFunction',
    event: apiEvent('GET', '/hello'),
    check: (p) => expect(JSON.parse(p.body)).toEqual({ message: 'hello world', path: '/hello', region: 'us-east-1' }),
  },
  {
    app: 'node-sdk',
    fn: 'PutItemFunction',
    event: apiEvent('POST', '/', { id: '1', name: 'one' }),
    check: (p) => expect(JSON.parse(p.body)).toMatchObject({ item: { id: '1', name: 'one' }, client: 'function' }),
  },
  {
    app: 'py-layer',
    fn: 'ProcessFunction',
    event: { Records: [{ messageId: 'm1', body: 'first', eventSource: 'aws:sqs' }, { messageId: 'm2', body: 'second', eventSource: 'aws:sqs' }] },
    check: (p) => expect(p).toEqual({ bodies: ['first', 'second'], sqs: 'sqs' }),
  },
];

describeWithPrepared('runtime-libs', '1', 'real-world SAM apps: built and invoked', (preparedDir) => {
  let work: string;
  let savedRoot: string | undefined;

  beforeAll(() => {
    savedRoot = process.env.LAMBDA_TWIN_RUNTIME_LIBS;
    process.env.LAMBDA_TWIN_RUNTIME_LIBS = preparedDir;
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-corpus-'));
  });

  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
    if (savedRoot === undefined) delete process.env.LAMBDA_TWIN_RUNTIME_LIBS;
    else process.env.LAMBDA_TWIN_RUNTIME_LIBS = savedRoot;
  });

  it.each(CASES)('$app: $fn', async ({ app, fn, event, check }) => {
    const built = await buildTemplate(path.join(APPS, app, 'template.yaml'), { buildDir: path.join(work, app) });
    const twin = LocalTwin.fromTemplate(built.template);
    try {
      const result = await twin.invoke(fn, { payload: JSON.stringify(event) });
      if (result.functionError) throw new Error(`${app}/${fn} failed: ${result.rawPayload}\n${result.logs}`);
      check(result.payload);
    } finally {
      await twin.shutdown();
    }
  });
});
