// `lambda-twin start-api --jwks` (the compiled CLI: run `npx projen compile` first): a SAM HTTP API whose routes
// are protected by a JWT authorizer accepts a token signed with a key of the given JWKS file and refuses others.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

jest.setTimeout(120_000);
const CLI = path.join(__dirname, '..', '..', 'bin', 'lambda-twin');
const ISSUER = 'https://issuer.example.com';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-start-api-jwks-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('start-api --jwks serves a JWT-protected HTTP API', async () => {
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src', 'app.js'),
    'exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.authorizer) });');
  fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify({
    Transform: 'AWS::Serverless-2016-10-31',
    Resources: {
      Api: {
        Type: 'AWS::Serverless::HttpApi',
        Properties: {
          Auth: {
            DefaultAuthorizer: 'Jwt',
            Authorizers: { Jwt: { IdentitySource: '$request.header.Authorization', JwtConfiguration: { issuer: ISSUER, audience: ['my-app'] } } },
          },
        },
      },
      Fn: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          Runtime: 'nodejs22.x',
          Handler: 'app.handler',
          CodeUri: 'src',
          Events: { Get: { Type: 'HttpApi', Properties: { ApiId: { Ref: 'Api' }, Path: '/me', Method: 'GET' } } },
        },
      },
    },
  }));
  const pair = await generateKeyPair('RS256');
  fs.writeFileSync(path.join(dir, 'jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' }] }));
  const sign = (aud: string): Promise<string> => new SignJWT({ sub: 'u1', aud }).setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(ISSUER).setIssuedAt().setExpirationTime('5m').sign(pair.privateKey);

  const child = spawn(process.execPath, [CLI, 'start-api', '--template', path.join(dir, 'template.json'), '--port', '0', '--quiet',
    '--jwks', `${ISSUER}=${path.join(dir, 'jwks.json')}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\S*\/me)\s/.exec(stdout);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`start-api exited (${code}): ${stdout}${stderr}`)));
  });
  try {
    const ok = await fetch(url, { headers: { Authorization: `Bearer ${await sign('my-app')}` } });
    expect(ok.status).toBe(200);
    expect((await ok.json()).jwt.claims).toMatchObject({ sub: 'u1', iss: ISSUER });
    const wrong = await fetch(url, { headers: { Authorization: `Bearer ${await sign('someone-else')}` } });
    expect(wrong.status).toBe(401);
    await wrong.text();
    const none = await fetch(url);
    expect(none.status).toBe(401);
    await none.text();
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
});

it('start-api rejects a malformed --jwks with a clear message', async () => {
  const child = spawn(process.execPath, [CLI, 'start-api', '--template', path.join(dir, 'none.json'), '--port', '0', '--jwks', 'no-equals-sign'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  expect(code).not.toBe(0);
  expect(stderr).toMatch(/--jwks expects <issuer>=<file-or-url>/);
});
