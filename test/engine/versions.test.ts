// Invokes of a version or an alias run in environments of that version, never in $LATEST's, as in Lambda.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalTwin } from '../../src';

describe('versions and aliases', () => {
  let dir: string;
  let twin: LocalTwin;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-versions-'));
    fs.mkdirSync(path.join(dir, 'code'));
    fs.writeFileSync(path.join(dir, 'code', 'app.py'), [
      'import os',
      'def handler(event, context):',
      "    return {'context': context.function_version, 'env': os.environ['AWS_LAMBDA_FUNCTION_VERSION'],",
      "            'stream': context.log_stream_name, 'arn': context.invoked_function_arn}",
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify({
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'versioned', Runtime: 'python3.11', Handler: 'app.handler', Code: 'code' } },
        FnVersion: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Fn' } } },
        Live: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Fn' }, Name: 'live', FunctionVersion: { 'Fn::GetAtt': ['FnVersion', 'Version'] } } },
      },
    }));
    twin = LocalTwin.fromTemplate(path.join(dir, 'template.json'));
  });

  afterAll(async () => {
    await twin.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs an alias invoke in an environment of the version the alias points to', async () => {
    const viaAlias = await twin.invoke('versioned:live');
    expect(viaAlias.executedVersion).toBe('1');
    expect(viaAlias.payload.context).toBe('1');
    expect(viaAlias.payload.env).toBe('1');
    expect(viaAlias.payload.stream).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[1\][0-9a-f]{32}$/);
    expect(viaAlias.payload.arn).toBe('arn:aws:lambda:us-east-1:123456789012:function:versioned:live');
  });

  it('keeps $LATEST in its own environment', async () => {
    const latest = await twin.invoke('versioned');
    expect(latest.coldStart).toBe(true); // the version 1 environment is not reused for $LATEST
    expect(latest.payload.context).toBe('$LATEST');
    expect(latest.payload.stream).toMatch(/\/\[\$LATEST\][0-9a-f]{32}$/);
    const again = await twin.invoke('versioned', { qualifier: '1' });
    expect(again.coldStart).toBe(false); // the version 1 environment is warm
    expect(again.payload.context).toBe('1');
  });
});
