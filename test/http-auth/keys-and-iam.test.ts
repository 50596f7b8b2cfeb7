// API keys of REST methods and AWS_IAM for REST, HTTP API routes and Function URLs (SigV4 credentials mapped to
// accounts; the URL's resource policy decides cross-account callers).
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { authInput } from './helpers';
import { authorize } from '../../src/engine/http/auth/authorize';
import { TwinCore } from '../../src/engine/twin';
import type { ApiKeySpec } from '../../src/model/api-auth';
import { fixtureSpec } from '../engine/helpers';

const KEYS: ApiKeySpec[] = [
  { id: 'GoodKey', physicalId: 'key-good', name: 'good', value: 'good-key-value-0123456789', enabled: true, stages: ['Api/prod'] },
  { id: 'OffKey', name: 'off', value: 'disabled-key-value-012345', enabled: false, stages: ['Api/prod'] },
  { id: 'DevKey', name: 'dev', value: 'dev-key-value-01234567890', enabled: true, stages: ['Api/dev'] },
];

describe('API keys and AWS_IAM', () => {
  let dir: string;
  let core: TwinCore;
  const urlFunction = fixtureSpec({
    logicalId: 'UrlFn',
    stackName: 'S',
    functionName: 'url-fn',
    codePath: '/nonexistent',
    runtime: 'python3.12',
    handler: 'x.handler',
    permissions: [{ logicalId: 'CrossAccount', action: 'lambda:InvokeFunctionUrl', principal: '444455556666', functionUrlAuthType: 'AWS_IAM' }],
  });

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-keys-iam-'));
    core = new TwinCore([urlFunction], { quiet: true, stateDir: path.join(dir, 'state') });
  });
  afterAll(async () => {
    await core?.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const keyed = (key: string | undefined) => authInput(core, {
    apiKeys: KEYS,
    authorization: { authorizationType: 'NONE', apiKeyRequired: true },
    headers: key === undefined ? {} : { 'x-api-key': key },
  });

  it('lets a request with an enabled key of a usage plan for the stage through, with the key id', async () => {
    const outcome = await authorize(keyed('good-key-value-0123456789'));
    expect(outcome).toMatchObject({ allowed: true, apiKeyId: 'key-good', apiKey: 'good-key-value-0123456789' });
  });

  it.each([
    ['no key', undefined, /no x-api-key/],
    ['an unknown key', 'nope', /not the value of any API key/],
    ['a disabled key', 'disabled-key-value-012345', /disabled/],
    ['a key of another stage', 'dev-key-value-01234567890', /no usage plan for stage prod/],
  ])('answers 403 Forbidden for %s', async (_what, key, why) => {
    const outcome = await authorize(keyed(key));
    expect(outcome).toMatchObject({ allowed: false, statusCode: 403, body: '{"message":"Forbidden"}' });
    expect(outcome.reason).toMatch(why);
  });

  it('lets NONE routes without an API key through', async () => {
    expect((await authorize(authInput(core))).allowed).toBe(true);
  });

  /** Headers of a request really signed by the AWS SDK (a Lambda Invoke caught by a loopback server). */
  async function signedHeaders(accessKeyId: string, sessionToken?: string): Promise<Record<string, string>> {
    let captured: http.IncomingHttpHeaders | undefined;
    const server = http.createServer((req, res) => {
      captured = req.headers;
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = new LambdaClient({
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${(server.address() as any).port}`,
        maxAttempts: 1,
        credentials: { accessKeyId, secretAccessKey: 'secret', ...(sessionToken ? { sessionToken } : {}) },
      });
      await client.send(new InvokeCommand({ FunctionName: 'f', Payload: Buffer.from('{}') }));
      client.destroy();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    return Object.fromEntries(Object.entries(captured ?? {}).map(([k, v]) => [k, String(v)]));
  }

  const iam = (kind: string, headers: Record<string, string>, extra: Record<string, any> = {}) => authInput(core, {
    apiKind: kind,
    authorization: { authorizationType: 'AWS_IAM' },
    headers,
    accessKeyAccounts: { AKIAOTHERACCOUNT: '444455556666', AKIASTRANGER: '777788889999' },
    ...extra,
  });

  it('answers an unsigned AWS_IAM request as each front does', async () => {
    expect(await authorize(iam('REST', {}))).toMatchObject({ statusCode: 403, body: '{"message":"Missing Authentication Token"}' });
    expect(await authorize(iam('HTTP', {}))).toMatchObject({ statusCode: 403, body: '{"message":"Forbidden"}' });
    const url = await authorize(iam('URL', {}, { apiId: 'UrlFn', stackName: 'S' }));
    expect(url.statusCode).toBe(403);
    expect(JSON.parse(url.body!).Message).toMatch(/^Forbidden/);
  });

  it('refuses a malformed signature with 403', async () => {
    const outcome = await authorize(iam('REST', { authorization: 'AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abc' }));
    expect(outcome).toMatchObject({ allowed: false, statusCode: 403 });
    expect(outcome.body).toMatch(/Credential/);
  });

  it('lets a SigV4-signed REST request through with the caller\'s identity (own account by default)', async () => {
    const outcome = await authorize(iam('REST', await signedHeaders('AKIALOCAL', 'session')));
    expect(outcome).toMatchObject({ allowed: true, callerAccountId: '123456789012', callerAccessKey: 'AKIALOCAL' });
    expect(outcome.callerIdentity).toMatchObject({ accessKey: 'AKIALOCAL', accountId: '123456789012', userArn: 'arn:aws:iam::123456789012:root' });
  });

  it('fills authorizer.iam for HTTP APIs with the mapped account', async () => {
    const outcome = await authorize(iam('HTTP', await signedHeaders('AKIAOTHERACCOUNT')));
    expect(outcome.allowed).toBe(true);
    expect(outcome.authorizerContext.iam).toMatchObject({ accessKey: 'AKIAOTHERACCOUNT', accountId: '444455556666', userArn: 'arn:aws:iam::444455556666:root' });
  });

  it('lets the Function URL\'s resource policy decide: own account and the granted account pass, others get 403', async () => {
    const url = async (key: string) => authorize(iam('URL', await signedHeaders(key), { apiId: 'UrlFn', stackName: 'S' }));
    expect((await url('AKIALOCAL')).allowed).toBe(true);
    const granted = await url('AKIAOTHERACCOUNT');
    expect(granted.allowed).toBe(true);
    expect(granted.reason).toMatch(/CrossAccount/);
    const stranger = await url('AKIASTRANGER');
    expect(stranger).toMatchObject({ allowed: false, statusCode: 403 });
    expect(stranger.reason).toMatch(/777788889999/);
  });

  it('accepts presigned query credentials', async () => {
    const outcome = await authorize(iam('HTTP', {}, {
      rawQueryString: 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIALOCAL%2F20260101%2Fus-east-1%2Fexecute-api%2Faws4_request&X-Amz-Signature=abcd',
    }));
    expect(outcome.allowed).toBe(true);
  });

  it('answers 500 for an authorizer the API does not have, and for an unknown authorization type', async () => {
    const missing = await authorize(authInput(core, { authorization: { authorizationType: 'CUSTOM', authorizerId: 'Nope' } }));
    expect(missing).toMatchObject({ allowed: false, statusCode: 500 });
    expect(missing.reason).toMatch(/Nope/);
    expect((await authorize(authInput(core, { authorization: { authorizationType: 'MAGIC' } }))).statusCode).toBe(500);
  });
});
