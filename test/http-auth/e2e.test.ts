// End to end through the HTTP front: a SAM REST API whose route is protected by a Python TOKEN authorizer, called
// with `twin.fetch` (paths are relative to the stage URL).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalTwin } from '../../src';


const AUTHORIZER = `
def handler(event, context):
    token = event['authorizationToken']
    if token == 'bad':
        raise Exception('Unauthorized')
    effect = 'Deny' if token == 'deny' else 'Allow'
    return {'principalId': 'p-' + token, 'context': {'tier': 'gold'},
            'policyDocument': {'Version': '2012-10-17', 'Statement': [{'Effect': effect, 'Action': 'execute-api:Invoke', 'Resource': event['methodArn']}]}}
`;
const BACKEND = `
import json
def handler(event, context):
    return {'statusCode': 200, 'body': json.dumps({'authorizer': event['requestContext'].get('authorizer'), 'apiKeyId': event['requestContext']['identity'].get('apiKeyId')})}
`;

describe('authorizers through twin.fetch', () => {
  let dir: string;
  let twin: LocalTwin;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-auth-e2e-'));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'auth.py'), AUTHORIZER);
    fs.writeFileSync(path.join(dir, 'src', 'app.py'), BACKEND);
    const template = {
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: {
        AuthFn: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'python3.12', Handler: 'auth.handler', CodeUri: 'src' } },
        Api: {
          Type: 'AWS::Serverless::Api',
          Properties: { StageName: 'prod', Auth: { Authorizers: { TokenAuth: { FunctionArn: { 'Fn::GetAtt': ['AuthFn', 'Arn'] } } } } },
        },
        Backend: {
          Type: 'AWS::Serverless::Function',
          Properties: {
            Runtime: 'python3.12',
            Handler: 'app.handler',
            CodeUri: 'src',
            Events: {
              Items: { Type: 'Api', Properties: { RestApiId: { Ref: 'Api' }, Path: '/items', Method: 'GET', Auth: { Authorizer: 'TokenAuth' } } },
              Keyed: { Type: 'Api', Properties: { RestApiId: { Ref: 'Api' }, Path: '/keyed', Method: 'GET', Auth: { ApiKeyRequired: true } } },
            },
          },
        },
      },
    };
    fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify(template));
    twin = LocalTwin.fromTemplate(path.join(dir, 'template.json'), { quiet: true });
  });
  afterAll(async () => {
    await twin?.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const get = (p: string, headers: Record<string, string> = {}) => twin.fetch('Api', p, { headers });

  it('passes an allowed request to the backend with the authorizer context', async () => {
    const response = await get('/items', { Authorization: 'alice' });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).authorizer).toMatchObject({ principalId: 'p-alice', tier: 'gold' });
  }, 60_000);

  it('answers 401 without a token or for Unauthorized, 403 for a Deny', async () => {
    expect((await get('/items')).status).toBe(401);
    expect((await get('/items', { Authorization: 'bad' })).status).toBe(401);
    const denied = await get('/items', { Authorization: 'deny' });
    expect(denied.status).toBe(403);
    expect(String(denied.body)).toMatch(/explicit deny/);
  }, 60_000);

  it('answers 403 Forbidden on an API-key route without a key', async () => {
    const response = await get('/keyed');
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toEqual({ message: 'Forbidden' });
  }, 60_000);
});
