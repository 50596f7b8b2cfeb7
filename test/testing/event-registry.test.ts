import { Command } from 'commander';
import { registerGenerateEventCommand } from '../../src/cli/commands/generate-event';
import { generateEvent, listEventKinds } from '../../src/testing/event-registry';

const SAM_NAMES = [
  's3 put', 's3 delete', 'sqs receive-message', 'sns notification', 'eventbridge event', 'cloudwatch scheduled-event',
  'apigateway aws-proxy', 'apigateway http-api-proxy', 'lambda function-url', 'dynamodb update', 'kinesis get-records',
  'cognito-idp pre-sign-up', 'cognito-idp post-confirmation',
];

describe('the event registry', () => {
  it('lists every event under its sam local generate-event name, each flag described', () => {
    const kinds = listEventKinds();
    expect(kinds.map((k) => `${k.service} ${k.kind}`).sort()).toEqual([...SAM_NAMES].sort());
    for (const kind of kinds) {
      expect(kind.description).not.toBe('');
      for (const flag of kind.flags) {
        expect(flag.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(flag.description).not.toBe('');
      }
    }
  });

  it.each(listEventKinds().map((k) => [k.service, k.kind]))('generates %s %s as JSON-serializable data', (service, kind) => {
    const event = generateEvent(service, kind, {});
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });

  it.each(listEventKinds().filter((k) => k.flags.some((f) => f.name === 'region')).map((k) => [k.service, k.kind]))(
    'puts --region into %s %s', (service, kind) => {
      expect(JSON.stringify(generateEvent(service, kind, { region: 'sa-east-1' }))).toContain('sa-east-1');
      expect(JSON.stringify(generateEvent(service, kind, {}))).not.toContain('sa-east-1');
    });

  it('passes typed flags through to the fixture', () => {
    const s3 = generateEvent('s3', 'put', { 'bucket': 'b', 'key': 'a b', 'size': '7', 'e-tag': 'abc' }) as any;
    expect(s3.Records[0].s3.object).toMatchObject({ key: 'a+b', size: 7, eTag: 'abc' });
    const sqs = generateEvent('sqs', 'receive-message', { messageAttributes: '{"k":"v"}' }) as any;
    expect(sqs.Records[0].messageAttributes.k.stringValue).toBe('v');
    const api = generateEvent('apigateway', 'aws-proxy', { 'query': 'a=1&b=2', 'path-parameters': '{"id":"5"}', 'path': '/x/5' }) as any;
    expect(api.queryStringParameters).toEqual({ a: '1', b: '2' });
    expect(api.resource).toBe('/x/{id}');
    const bridge = generateEvent('eventbridge', 'event', { detail: '{"n":[1,2]}', resources: 'arn:a, arn:b' }) as any;
    expect(bridge.detail).toEqual({ n: [1, 2] });
    expect(bridge.resources).toEqual(['arn:a', 'arn:b']);
  });

  it('generates the INSERT, MODIFY, REMOVE life of one item for dynamodb update, or one record on request', () => {
    const batch = generateEvent('dynamodb', 'update', { 'event-id': 'seed', 'time': '2024-01-01T00:00:00Z' }) as any;
    expect(batch.Records.map((r: any) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    expect(new Set(batch.Records.map((r: any) => r.eventID)).size).toBe(3);
    expect(generateEvent('dynamodb', 'update', { 'event-id': 'seed', 'time': '2024-01-01T00:00:00Z' })).toEqual(batch);
    const one = generateEvent('dynamodb', 'update', { 'event-name': 'REMOVE' }) as any;
    expect(one.Records.map((r: any) => r.eventName)).toEqual(['REMOVE']);
  });

  it('names the valid services for an unknown service', () => {
    expect(() => generateEvent('s4', 'put', {})).toThrow("Unknown service 's4'. Valid services: apigateway, cloudwatch, cognito-idp, dynamodb, eventbridge, kinesis, lambda, s3, sns, sqs");
  });

  it('names the valid kinds for an unknown kind', () => {
    expect(() => generateEvent('s3', 'copy', {})).toThrow("Unknown event kind 'copy' for service 's3'. Valid kinds: put, delete");
  });

  it('names the valid flags for an unknown flag', () => {
    expect(() => generateEvent('kinesis', 'get-records', { colour: 'red' })).toThrow(/Unknown flag '--colour' for 'kinesis get-records'. Valid flags: --data, /);
  });

  it('rejects flag values of the wrong type', () => {
    expect(() => generateEvent('s3', 'put', { size: 'big' })).toThrow("Flag '--size' expects a number, got 'big'");
    expect(() => generateEvent('sqs', 'receive-message', { 'message-attributes': '{"n":1}' })).toThrow(/expects a JSON object of string values/);
    expect(() => generateEvent('eventbridge', 'event', { detail: '{oops' })).toThrow(/expects JSON/);
    expect(() => generateEvent('apigateway', 'http-api-proxy', { 'is-base64-encoded': 'yes' })).toThrow(/expects true or false/);
  });
});

describe('lambda-twin generate-event', () => {
  function run(args: string[]): { stdout: string; stderr: string; exitCode: number } {
    let stdout = '';
    let stderr = '';
    const program = new Command('lambda-twin').exitOverride().configureOutput({
      writeOut: (text) => { stdout += text; },
      writeErr: (text) => { stderr += text; },
    });
    registerGenerateEventCommand(program);
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((text: any) => { stdout += text; return true; });
    try {
      program.parse(['generate-event', ...args], { from: 'user' });
      return { stdout, stderr, exitCode: 0 };
    } catch (e: any) {
      return { stdout, stderr, exitCode: e.exitCode ?? 1 };
    } finally {
      write.mockRestore();
    }
  }

  it('prints the event as JSON', () => {
    const result = run(['sqs', 'receive-message', '--body', 'hi', '--queue-arn', 'arn:aws:sqs:us-east-1:123456789012:q']);
    expect(result.exitCode).toBe(0);
    const event = JSON.parse(result.stdout);
    expect(event.Records[0]).toMatchObject({ body: 'hi', eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:q' });
  });

  it('prints the same event twice when id and time are fixed', () => {
    const args = ['apigateway', 'http-api-proxy', '--request-id', 'r1', '--time', '2024-01-01T00:00:00Z', '--method', 'POST'];
    const first = run(args);
    expect(first.exitCode).toBe(0);
    expect(JSON.parse(first.stdout).requestContext.requestId).toBe('r1');
    expect(run(args).stdout).toBe(first.stdout);
  });

  it('fails listing the valid services for an unknown service', () => {
    const result = run(['s4']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Unknown service 's4'. Valid services: apigateway,");
  });

  it('fails listing the valid kinds for an unknown kind', () => {
    const result = run(['s3', 'copy']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('Valid kinds: put, delete');
  });

  it('fails with the flag named for a bad flag value', () => {
    const result = run(['s3', 'put', '--size', 'big']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Flag '--size' expects a number");
    expect(result.stdout).toBe('');
  });

  it('describes each kind\'s flags in --help', () => {
    const result = run(['kinesis', 'get-records', '--help']);
    expect(result.stdout).toContain('--partition-key <value>');
    expect(result.stdout).toContain('base64-encoded');
  });
});
