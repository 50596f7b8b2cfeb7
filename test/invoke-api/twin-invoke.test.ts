// LocalTwin.invoke with the Invoke API's options: callers checked against the resource-based policy, DryRun,
// and Event invokes with their destinations, without any HTTP in between.
import { Duration } from 'aws-cdk-lib';
import { FIXTURE_TEMPLATE } from './helpers';
import { LocalTwin } from '../../src';

describe('LocalTwin.invoke as another principal and invocation type', () => {
  let twin: LocalTwin;
  beforeAll(() => {
    twin = LocalTwin.fromTemplate(FIXTURE_TEMPLATE, { asyncRetryDelay: Duration.millis(10) });
  });
  afterAll(() => twin.shutdown());

  it('lets S3 bucket uploads-bucket invoke the function, and not SNS topic alerts', async () => {
    const fromBucket = await twin.invoke('echo', {
      event: { Records: [] }, principal: 's3.amazonaws.com', sourceArn: 'arn:aws:s3:::uploads-bucket', sourceAccount: '123456789012',
    });
    expect(fromBucket.payload.event).toEqual({ Records: [] });
    await expect(twin.invoke('echo', { principal: 'sns.amazonaws.com', sourceArn: 'arn:aws:sns:us-east-1:123456789012:alerts' }))
      .rejects.toMatchObject({ code: 'AccessDeniedException', message: expect.stringContaining('no statement matches') });
  });

  it('checks a DryRun without running the function', async () => {
    const result = await twin.invoke('echo', { invocationType: 'DryRun' });
    expect(result.statusCode).toBe(204);
    expect(result.logs).toBe('');
  });

  it('queues an Event invoke and records it in the on-success destination once settled', async () => {
    const result = await twin.invoke('echo', { invocationType: 'Event', event: { n: 42 } });
    expect(result.statusCode).toBe(202);
    await twin.settleEvents();
    const records = twin.destinationRecords('arn:aws:sns:us-east-1:123456789012:echo-success');
    expect(records.find((r) => r.requestContext.requestId === result.requestId)).toMatchObject({
      requestPayload: { n: 42 }, responsePayload: { event: { n: 42 }, requestId: result.requestId },
    });
  });

  it('keeps the existing synchronous behaviour and error codes', async () => {
    const result = await twin.invoke('Echo', { event: { a: 1 } });
    expect(result.statusCode).toBe(200);
    expect(result.payload.event).toEqual({ a: 1 });
    await expect(twin.invoke('Missing')).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
    await expect(twin.invoke('echo', { payload: 'not json' })).rejects.toMatchObject({ code: 'InvalidRequestContentException' });
    await expect(twin.invoke('echo', { invocationType: 'Sometime' })).rejects.toMatchObject({ code: 'InvalidParameterValueException' });
  });
});
