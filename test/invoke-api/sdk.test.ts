// The Invoke API driven by the AWS SDK for JavaScript v3, unchanged but for `endpoint`: every invocation type,
// qualifiers, log tails, client context, the error classes, concurrency, and async destinations.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { Duration } from 'aws-cdk-lib';
import { FIXTURE_TEMPLATE, json, lambdaClient, text } from './helpers';
import { InvokeApiServer, LocalTwin } from '../../src';

describe('the Invoke API through the AWS SDK', () => {
  let twin: LocalTwin;
  let server: InvokeApiServer;
  let lambda: LambdaClient;
  beforeAll(async () => {
    twin = LocalTwin.fromTemplate(FIXTURE_TEMPLATE, { asyncRetryDelay: Duration.millis(20) });
    server = await InvokeApiServer.start(twin, { port: 0, accessKeyAccounts: { AKIDPARTNER: '111122223333' } });
    lambda = lambdaClient(server.url);
  });
  afterAll(async () => {
    lambda?.destroy();
    await server?.close();
    await twin?.shutdown();
  });

  it('listens on loopback', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('runs a RequestResponse invoke and answers 200 with the payload and executed version', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from(JSON.stringify({ hello: 'world' })) }));
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(out.ExecutedVersion).toBe('$LATEST');
    const body = json(out.Payload);
    expect(body.event).toEqual({ hello: 'world' });
    expect(body.invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:echo');
    expect(out.$metadata.requestId).toBe(body.requestId);
  });

  it('passes an empty payload as {}', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'echo' }));
    expect(json(out.Payload).event).toEqual({});
  });

  it('finds the function by full ARN, partial ARN and name:alias', async () => {
    const full = await lambda.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:echo', Payload: Buffer.from('1') }));
    expect(json(full.Payload).event).toBe(1);
    const partial = await lambda.send(new InvokeCommand({ FunctionName: '123456789012:function:echo:live', Payload: Buffer.from('2') }));
    expect(partial.ExecutedVersion).toBe('1');
    const aliased = await lambda.send(new InvokeCommand({ FunctionName: 'echo:live' }));
    expect(aliased.ExecutedVersion).toBe('1');
    expect(json(aliased.Payload).invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:echo:live');
  });

  it('resolves Qualifier: an alias runs the version it points to; $LATEST and version numbers run as themselves', async () => {
    const alias = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: 'live' }));
    expect(alias.ExecutedVersion).toBe('1');
    const version = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: '1' }));
    expect(version.ExecutedVersion).toBe('1');
    const latest = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: '$LATEST' }));
    expect(latest.ExecutedVersion).toBe('$LATEST');
  });

  it('answers ResourceNotFoundException for an unknown function or qualifier', async () => {
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 }, message: expect.stringMatching(/^Function not found: /),
    });
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: 'staging' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', message: expect.stringContaining('function:echo:staging'),
    });
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:echo' })))
      .rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('answers InvalidParameterValueException for a malformed qualifier or a qualifier that contradicts the name', async () => {
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: 'bad!qualifier' })))
      .rejects.toMatchObject({ name: 'InvalidParameterValueException', $metadata: { httpStatusCode: 400 } });
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'echo:live', Qualifier: '1' })))
      .rejects.toMatchObject({ name: 'InvalidParameterValueException', message: expect.stringContaining('does not match') });
  });

  it('answers InvalidRequestContentException when the payload is not JSON', async () => {
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{not json') })))
      .rejects.toMatchObject({ name: 'InvalidRequestContentException', $metadata: { httpStatusCode: 400 }, message: expect.stringContaining('Could not parse request body into json') });
  });

  it('answers RequestEntityTooLargeException past 6 MB synchronous and 1 MB asynchronous', async () => {
    const big = Buffer.from(JSON.stringify('x'.repeat(6 * 1024 * 1024)));
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: big }))).rejects.toMatchObject({
      name: 'RequestEntityTooLargeException',
      $metadata: { httpStatusCode: 413 },
      message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    });
    const medium = Buffer.from(JSON.stringify('x'.repeat(1024 * 1024 + 10)));
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: medium }))).rejects.toMatchObject({
      name: 'RequestEntityTooLargeException', message: 'Request must be smaller than 1048576 bytes for the InvokeFunction operation',
    });
  });

  it('returns a function error with X-Amz-Function-Error and the error body, still 200', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'failing', Payload: Buffer.from('{"n":1}') }));
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(json(out.Payload)).toMatchObject({ errorType: 'Error', errorMessage: 'failing on purpose: {"n":1}' });
  });

  it('returns the last 4 KB of the log, base64, for LogType Tail', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'echo', LogType: 'Tail', Payload: Buffer.from('{"bigLog":10000}') }));
    const log = Buffer.from(out.LogResult!, 'base64');
    expect(log.length).toBeLessThanOrEqual(4096);
    expect(log.length).toBeGreaterThan(4000);
    expect(log.toString('utf8')).toMatch(/END RequestId: [0-9a-f-]{36}\nREPORT RequestId: [0-9a-f-]{36}\tDuration: /);
    const none = await lambda.send(new InvokeCommand({ FunctionName: 'echo' }));
    expect(none.LogResult).toBeUndefined();
  });

  it('decodes X-Amz-Client-Context and hands it to the function', async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { tenant: 'acme' }, env: { locale: 'en' } })).toString('base64');
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'echo', ClientContext: clientContext }));
    expect(json(out.Payload).clientContext).toMatchObject({ custom: { tenant: 'acme' }, env: { locale: 'en' } });
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'echo', ClientContext: Buffer.from('not json').toString('base64') })))
      .rejects.toMatchObject({ name: 'InvalidRequestContentException' });
  });

  it('answers DryRun with 204 after checking, without running the function', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }));
    expect(out.StatusCode).toBe(204);
    expect(text(out.Payload)).toBe('');
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'nope', InvocationType: 'DryRun' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('queues an Event invoke (202) and records its success in the on-success destination', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: Buffer.from('{"async":true}') }));
    expect(out.StatusCode).toBe(202);
    const requestId = out.$metadata.requestId;
    await twin.settleEvents();
    const records = twin.destinationRecords('arn:aws:sns:us-east-1:123456789012:echo-success');
    const record = records.find((r) => r.requestContext.requestId === requestId);
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: { functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:echo:$LATEST', condition: 'Success', approximateInvokeCount: 1 },
      requestPayload: { async: true },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: { event: { async: true }, requestId },
    });
  });

  it('retries a failing Event invoke MaximumRetryAttempts times, then records it in the on-failure destination and the DLQ', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'failing', InvocationType: 'Event', Payload: Buffer.from('{"order":7}') }));
    await twin.settleEvents();
    const failure = twin.destinationRecords('arn:aws:sqs:us-east-1:123456789012:failures').find((r) => r.requestContext.requestId === out.$metadata.requestId);
    expect(failure).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 2 },
      requestPayload: { order: 7 },
      responseContext: { statusCode: 200, functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'failing on purpose: {"order":7}' },
    });
    const dead = twin.destinationRecords('arn:aws:sqs:us-east-1:123456789012:failing-dlq').find((r) => r.messageAttributes.RequestID === out.$metadata.requestId);
    expect(dead).toMatchObject({ body: '{"order":7}', messageAttributes: { ErrorCode: '200', ErrorMessage: 'failing on purpose: {"order":7}' } });
  });

  it('answers InvalidParameterValueException for an unknown invocation type or log type', async () => {
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Later' as any })))
      .rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'echo', LogType: 'Everything' as any })))
      .rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  });

  it('runs parallel invokes in parallel environments and throttles past reserved concurrency with TooManyRequestsException', async () => {
    const slow = (ms: number) => lambda.send(new InvokeCommand({ FunctionName: 'slow', Payload: Buffer.from(JSON.stringify({ ms })) }));
    const first = slow(1500);
    // Wait until the first invoke holds the function's only environment slot.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(slow(1)).rejects.toMatchObject({
      name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 }, Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
    expect(json((await first).Payload)).toEqual({ slept: 1500 });
    const echoes = await Promise.all([1, 2, 3].map((n) => lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from(String(n)) }))));
    expect(echoes.map((o) => json(o.Payload).event)).toEqual([1, 2, 3]);
  });

  describe('resource-based policy', () => {
    const asPrincipal = (headers: Record<string, string>) => {
      const client = lambdaClient(server.url);
      client.middlewareStack.add((next) => async (args: any) => {
        Object.assign(args.request.headers, headers);
        return next(args);
      }, { step: 'build', name: 'principalHeaders' });
      return client;
    };

    it('lets the S3 bucket the permission names invoke, with its source account', async () => {
      const s3 = asPrincipal({ 'X-Lambda-Twin-Principal': 's3.amazonaws.com', 'X-Lambda-Twin-Source-Arn': 'arn:aws:s3:::uploads-bucket', 'X-Lambda-Twin-Source-Account': '123456789012' });
      const out = await s3.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }));
      expect(out.StatusCode).toBe(204);
      s3.destroy();
    });

    it('denies another bucket, and SNS, with AccessDeniedException', async () => {
      const otherBucket = asPrincipal({ 'X-Lambda-Twin-Principal': 's3.amazonaws.com', 'X-Lambda-Twin-Source-Arn': 'arn:aws:s3:::other-bucket', 'X-Lambda-Twin-Source-Account': '123456789012' });
      await expect(otherBucket.send(new InvokeCommand({ FunctionName: 'echo' }))).rejects.toMatchObject({
        name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 }, message: expect.stringContaining('is not authorized to perform: lambda:InvokeFunction'),
      });
      const sns = asPrincipal({ 'X-Lambda-Twin-Principal': 'sns.amazonaws.com', 'X-Lambda-Twin-Source-Arn': 'arn:aws:sns:us-east-1:123456789012:topic' });
      await expect(sns.send(new InvokeCommand({ FunctionName: 'echo' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
      otherBucket.destroy();
      sns.destroy();
    });

    it('maps SDK credentials to an account: the partner account may invoke the live alias only', async () => {
      const partner = lambdaClient(server.url, 'AKIDPARTNER');
      const live = await partner.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: 'live' }));
      expect(live.ExecutedVersion).toBe('1');
      await expect(partner.send(new InvokeCommand({ FunctionName: 'echo' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
      partner.destroy();
    });

    it('accepts a caller of the organization the permission names', async () => {
      const member = asPrincipal({ 'X-Lambda-Twin-Principal': 'arn:aws:iam::444455556666:role/app', 'X-Lambda-Twin-Principal-Org-Id': 'o-abc123' });
      expect((await member.send(new InvokeCommand({ FunctionName: 'echo' }))).StatusCode).toBe(200);
      const outsider = asPrincipal({ 'X-Lambda-Twin-Principal': 'arn:aws:iam::444455556666:role/app', 'X-Lambda-Twin-Principal-Org-Id': 'o-other' });
      await expect(outsider.send(new InvokeCommand({ FunctionName: 'echo' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
      member.destroy();
      outsider.destroy();
    });
  });
});
