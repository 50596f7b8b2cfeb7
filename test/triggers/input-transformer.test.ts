// Target input as EventBridge documents it (eb-transform-target-input, API_InputTransformer, API_Target): the whole
// event, constant Input, InputPath, and InputTransformer templates with quoted and bare placeholders; Scheduler's
// context attributes (managing-schedule-context-attributes).
import { checkTargetInput, renderSchedulerInput, renderTargetInput, TargetInputError } from '../../src/engine/triggers/input-transformer';

const EVENT = {
  'version': '0',
  'id': '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  'source': 'aws.ec2',
  'account': '123456789012',
  'time': '2015-11-11T21:29:54Z',
  'region': 'us-east-1',
  'resources': ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  'detail': { 'instance-id': 'i-abcd1111', 'state': 'pending', 'count': 3, 'tags': { env: 'prod' }, 'quote': 'say "hi"' },
};

describe('renderTargetInput', () => {
  it('sends the whole event when no input is configured', () => {
    expect(JSON.parse(renderTargetInput({}, EVENT))).toEqual(EVENT);
  });

  it('sends a constant Input as it is', () => {
    expect(renderTargetInput({ Input: '{"fixed": true}' }, EVENT)).toBe('{"fixed": true}');
  });

  it('rejects a constant Input that is not JSON', () => {
    expect(() => renderTargetInput({ Input: '{fixed' }, EVENT)).toThrow(/Input must be valid JSON text/);
  });

  it.each([
    ['$', EVENT],
    ['$.detail', EVENT.detail],
    ['$.detail.state', 'pending'],
    ['$.detail.instance-id', 'i-abcd1111'],
    ['$.resources[0]', EVENT.resources[0]],
    ["$['detail-type']", EVENT['detail-type']],
    ['$.detail.tags.env', 'prod'],
  ])('InputPath %s selects part of the event', (path, expected) => {
    expect(JSON.parse(renderTargetInput({ InputPath: path }, EVENT))).toEqual(expected);
  });

  it('InputPath to nothing sends null', () => {
    expect(renderTargetInput({ InputPath: '$.detail.missing' }, EVENT)).toBe('null');
    expect(renderTargetInput({ InputPath: '$.resources[5]' }, EVENT)).toBe('null');
  });

  it.each([
    ['detail', /is not a JSONPath: it starts with "\$"/],
    ['$.', /a name is missing after "\."/],
    ['$[x]', /must hold an index/],
    ['$ .a', /unexpected " "/],
  ])('rejects the InputPath %s', (path, message) => {
    expect(() => renderTargetInput({ InputPath: path }, EVENT)).toThrow(TargetInputError);
    expect(() => renderTargetInput({ InputPath: path }, EVENT)).toThrow(message);
  });

  it('rejects more than one kind of input', () => {
    expect(() => checkTargetInput({ Input: '{}', InputPath: '$' })).toThrow(/only one of Input, InputPath and InputTransformer, this one has Input and InputPath/);
  });
});

describe('InputTransformer', () => {
  const transform = (template: string, map: Record<string, string> = {}, context = {}) =>
    renderTargetInput({ InputTransformer: { InputPathsMap: map, InputTemplate: template } }, EVENT, context);

  it('inserts JSON for a bare placeholder and text inside a string', () => {
    const out = transform('{"instance": <instance>, "message": "Instance <instance> is <state>", "count": <count>}',
      { instance: '$.detail.instance-id', state: '$.detail.state', count: '$.detail.count' });
    expect(JSON.parse(out)).toEqual({ instance: 'i-abcd1111', message: 'Instance i-abcd1111 is pending', count: 3 });
  });

  it('inserts objects as JSON, and as their JSON text inside a string', () => {
    const out = transform('{"tags": <tags>, "text": "<tags>"}', { tags: '$.detail.tags' });
    expect(out).toBe('{"tags": {"env":"prod"}, "text": "{"env":"prod"}"}');
  });

  it('splices text into strings unescaped, as EventBridge does', () => {
    expect(transform('"<q>"', { q: '$.detail.quote' })).toBe('"say "hi""');
    expect(transform('<q>', { q: '$.detail.quote' })).toBe('"say \\"hi\\""');
  });

  it('renders a plain string template', () => {
    expect(transform('"<instance> is in state <state>"', { instance: '$.detail.instance-id', state: '$.detail.state' }))
      .toBe('"i-abcd1111 is in state pending"');
  });

  it('gives null for a path the event does not have (empty text inside a string)', () => {
    expect(transform('{"a": <missing>, "b": "x<missing>y"}', { missing: '$.detail.nothing' })).toBe('{"a": null, "b": "xy"}');
  });

  it('leaves placeholders that are not defined as they are', () => {
    expect(transform('{"a": "<undefined>"}', {})).toBe('{"a": "<undefined>"}');
  });

  it('is not fooled by escaped quotes in the template', () => {
    expect(transform('{"a": "\\"<state>", "b": <state>}', { state: '$.detail.state' })).toBe('{"a": "\\"pending", "b": "pending"}');
  });

  it('fills the reserved placeholders', () => {
    const out = transform('{"rule": <aws.events.rule-name>, "arn": "<aws.events.rule-arn>", "at": <aws.events.event.ingestion-time>, "event": <aws.events.event>, "full": <aws.events.event.json>}',
      {}, { ruleName: 'my-rule', ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/my-rule' });
    const parsed = JSON.parse(out);
    expect(parsed.rule).toBe('my-rule');
    expect(parsed.arn).toBe('arn:aws:events:us-east-1:123456789012:rule/my-rule');
    expect(parsed.at).toBe(EVENT.time);
    expect(parsed.full).toEqual(EVENT);
    expect(parsed.event.detail).toBeUndefined();
    expect(parsed.event.source).toBe('aws.ec2');
  });

  it.each([
    [{ 'bad name': '$.a' }, /may only use letters, digits/],
    [{ 'aws.x': '$.a' }, /reserved/],
    [{ a: 'detail' }, /InputPathsMap\.a "detail" is not a JSONPath/],
  ])('rejects the InputPathsMap %j', (map, message) => {
    expect(() => transform('<a>', map)).toThrow(message);
  });

  it('rejects a template that is too long', () => {
    expect(() => transform('x'.repeat(8193))).toThrow(/at most 8192/);
  });
});

describe('renderSchedulerInput', () => {
  it('sends Input verbatim with the context attributes replaced', () => {
    const out = renderSchedulerInput('{"arn": "<aws.scheduler.schedule-arn>", "at": "<aws.scheduler.scheduled-time>", "n": <aws.scheduler.attempt-number>, "id": "<aws.scheduler.execution-id>"}', {
      scheduleArn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/s', scheduledTime: '2026-12-02T10:00:00Z', attemptNumber: 1, executionId: 'e-1',
    });
    expect(JSON.parse(out)).toEqual({ arn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/s', at: '2026-12-02T10:00:00Z', n: 1, id: 'e-1' });
  });

  it('leaves attributes it has no value for', () => {
    expect(renderSchedulerInput('"<aws.scheduler.execution-id>"')).toBe('"<aws.scheduler.execution-id>"');
  });
});
