import { createHash } from 'crypto';
import { Events } from '../../src';

const FIXED_TIME = '2024-03-01T12:34:56.789Z';
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('Events.s3Put', () => {
  it('is an ObjectCreated:Put record from aws:s3 for the bucket and key', () => {
    const event = Events.s3Put({ bucket: 'uploads', key: 'photos/cat.jpg', size: 2048, region: 'eu-west-1' });
    const record = event.Records[0];
    expect(event.Records).toHaveLength(1);
    expect(record.eventSource).toBe('aws:s3');
    expect(record.eventVersion).toBe('2.1');
    expect(record.eventName).toBe('ObjectCreated:Put');
    expect(record.awsRegion).toBe('eu-west-1');
    expect(record.s3.bucket).toMatchObject({ name: 'uploads', arn: 'arn:aws:s3:::uploads' });
    expect(record.s3.object).toMatchObject({ key: 'photos/cat.jpg', size: 2048 });
    expect(record.s3.object.eTag).toMatch(/^[0-9a-f]{32}$/);
    expect(record.s3.object.sequencer).toMatch(/^[0-9A-F]+$/);
    expect(record.responseElements['x-amz-request-id']).toMatch(/^[0-9A-F]{16}$/);
  });

  it('url-encodes the key as S3 does: spaces become +, other specials %XX, slashes stay', () => {
    const event = Events.s3Put({ key: 'my folder/cat (1)+ü.jpg' });
    expect(event.Records[0].s3.object.key).toBe('my+folder/cat+%281%29%2B%C3%BC.jpg');
  });

  it('is the same event when the request id and time are fixed', () => {
    const options = { requestId: 'C3D13FE58DE4C810', time: FIXED_TIME };
    expect(Events.s3Put(options)).toEqual(Events.s3Put(options));
    expect(Events.s3Put(options).Records[0].eventTime).toBe(FIXED_TIME);
  });

  it('differs between calls when nothing is fixed', () => {
    expect(Events.s3Put().Records[0].s3.object.sequencer).not.toBe(Events.s3Put().Records[0].s3.object.sequencer);
  });

  it('rejects a time that is not a date', () => {
    expect(() => Events.s3Put({ time: 'yesterday' })).toThrow(/Invalid time 'yesterday'/);
  });
});

describe('Events.s3Delete', () => {
  it('is an ObjectRemoved:Delete record without size or eTag', () => {
    const record = Events.s3Delete({ bucket: 'b', key: 'gone.txt', versionId: 'v1' }).Records[0];
    expect(record.eventName).toBe('ObjectRemoved:Delete');
    expect(record.s3.object).toEqual({ key: 'gone.txt', versionId: 'v1', sequencer: expect.any(String) });
  });
});

describe('Events.sqsMessage', () => {
  it('carries the body with its real MD5, from the queue ARN', () => {
    const queueArn = 'arn:aws:sqs:us-west-2:111122223333:orders';
    const record = Events.sqsMessage({ body: '{"orderId":42}', queueArn, region: 'us-west-2', time: FIXED_TIME }).Records[0];
    expect(record.eventSource).toBe('aws:sqs');
    expect(record.eventSourceARN).toBe(queueArn);
    expect(record.awsRegion).toBe('us-west-2');
    expect(record.body).toBe('{"orderId":42}');
    expect(record.md5OfBody).toBe(md5('{"orderId":42}'));
    expect(record.messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(record.receiptHandle).toMatch(/^AQEB/);
    expect(record.attributes).toMatchObject({ ApproximateReceiveCount: '1', SentTimestamp: String(Date.parse(FIXED_TIME)) });
    expect(record.messageAttributes).toEqual({});
    expect(record).not.toHaveProperty('md5OfMessageAttributes');
  });

  it('defaults the queue ARN from account and region', () => {
    const record = Events.sqsMessage({ account: '999999999999', region: 'ap-south-1' }).Records[0];
    expect(record.eventSourceARN).toBe('arn:aws:sqs:ap-south-1:999999999999:example-queue');
  });

  it('sends string message attributes with the MD5 SQS computes over them', () => {
    const record = Events.sqsMessage({ messageAttributes: { Author: 'Jane', Priority: 'high' } }).Records[0];
    expect(record.messageAttributes.Author).toEqual({ stringValue: 'Jane', stringListValues: [], binaryListValues: [], dataType: 'String' });
    // Reference value: the MD5 of SQS's attribute encoding, computed independently.
    const encode = (s: string) => {
      const bytes = Buffer.from(s);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return Buffer.concat([length, bytes]);
    };
    const expected = createHash('md5').update(Buffer.concat([
      encode('Author'), encode('String'), Buffer.from([1]), encode('Jane'),
      encode('Priority'), encode('String'), Buffer.from([1]), encode('high'),
    ])).digest('hex');
    expect(record.md5OfMessageAttributes).toBe(expected);
  });

  it('adds the FIFO attributes for a .fifo queue', () => {
    const record = Events.sqsMessage({ queueArn: 'arn:aws:sqs:us-east-1:123456789012:jobs.fifo', messageGroupId: 'g1' }).Records[0];
    expect(record.attributes).toMatchObject({ MessageGroupId: 'g1', SequenceNumber: expect.stringMatching(/^\d{20}$/) });
    expect(record.attributes.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is the same event when the message id and time are fixed', () => {
    const options = { messageId: '059f36b4-87a3-44ab-83d2-661975830a7d', time: FIXED_TIME };
    expect(Events.sqsMessage(options)).toEqual(Events.sqsMessage(options));
    expect(Events.sqsMessage(options).Records[0].messageId).toBe(options.messageId);
  });
});

describe('Events.snsNotification', () => {
  it('is a Notification from aws:sns on the topic', () => {
    const topicArn = 'arn:aws:sns:us-east-1:123456789012:alerts';
    const record = Events.snsNotification({ message: 'disk full', subject: 'Alarm', topicArn, time: FIXED_TIME, messageAttributes: { level: 'warn' } }).Records[0];
    expect(record.EventSource).toBe('aws:sns');
    expect(record.EventVersion).toBe('1.0');
    expect(record.EventSubscriptionArn.startsWith(`${topicArn}:`)).toBe(true);
    expect(record.Sns).toMatchObject({ Type: 'Notification', Message: 'disk full', Subject: 'Alarm', TopicArn: topicArn, Timestamp: FIXED_TIME });
    expect(record.Sns.MessageAttributes).toEqual({ level: { Type: 'String', Value: 'warn' } });
  });

  it('sends a null subject when none is given, as SNS does', () => {
    expect(Events.snsNotification().Records[0].Sns.Subject).toBeNull();
  });
});

describe('Events.eventBridge', () => {
  it('is a version 0 event with detail-type, source and detail', () => {
    const event = Events.eventBridge({ source: 'com.shop.orders', detailType: 'OrderPlaced', detail: { orderId: 7 }, time: FIXED_TIME, id: 'e-1' });
    expect(event).toEqual({
      'version': '0',
      'id': 'e-1',
      'detail-type': 'OrderPlaced',
      'source': 'com.shop.orders',
      'account': '123456789012',
      'time': '2024-03-01T12:34:56Z',
      'region': 'us-east-1',
      'resources': [],
      'detail': { orderId: 7 },
    });
  });
});

describe('Events.scheduled', () => {
  it('is a Scheduled Event from aws.events naming the rule', () => {
    const event = Events.scheduled({ ruleName: 'nightly', account: '111122223333', region: 'eu-central-1' });
    expect(event['detail-type']).toBe('Scheduled Event');
    expect(event.source).toBe('aws.events');
    expect(event.resources).toEqual(['arn:aws:events:eu-central-1:111122223333:rule/nightly']);
    expect(event.detail).toEqual({});
  });
});

describe('Events.apiGatewayV1', () => {
  it('is an aws-proxy request with method, path, headers, query and path parameters', () => {
    const event = Events.apiGatewayV1({
      method: 'post',
      path: '/users/42',
      body: '{"name":"Jane"}',
      headers: { 'Content-Type': 'application/json' },
      queryStringParameters: { verbose: 'true' },
      pathParameters: { id: '42' },
      time: FIXED_TIME,
    });
    expect(event).toMatchObject({
      resource: '/users/{id}',
      path: '/users/42',
      httpMethod: 'POST',
      body: '{"name":"Jane"}',
      isBase64Encoded: false,
      queryStringParameters: { verbose: 'true' },
      multiValueQueryStringParameters: { verbose: ['true'] },
      pathParameters: { id: '42' },
      stageVariables: null,
    });
    expect(event.headers['Content-Type']).toBe('application/json');
    expect(event.multiValueHeaders['Content-Type']).toEqual(['application/json']);
    expect(event.requestContext).toMatchObject({
      resourcePath: '/users/{id}',
      httpMethod: 'POST',
      path: '/prod/users/42',
      stage: 'prod',
      accountId: '123456789012',
      requestTime: '01/Mar/2024:12:34:56 +0000',
      requestTimeEpoch: Date.parse(FIXED_TIME),
    });
    expect(event.requestContext.domainName).toBe(`${event.requestContext.apiId}.execute-api.us-east-1.amazonaws.com`);
  });

  it('sends nulls for absent query, path parameters and body, as API Gateway does', () => {
    const event = Events.apiGatewayV1();
    expect(event).toMatchObject({ httpMethod: 'GET', path: '/', queryStringParameters: null, pathParameters: null, body: null });
  });
});

describe('Events.apiGatewayV2', () => {
  it('is a payload 2.0 request with rawPath, rawQueryString and requestContext.http', () => {
    const event = Events.apiGatewayV2({
      method: 'PUT',
      path: '/items/9',
      queryStringParameters: { a: '1', b: 'x y' },
      headers: { 'X-Custom': 'v' },
      cookies: ['session=abc'],
      routeKey: 'PUT /items/{id}',
      pathParameters: { id: '9' },
      body: 'hello',
    });
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('PUT /items/{id}');
    expect(event.rawPath).toBe('/items/9');
    expect(event.rawQueryString).toBe('a=1&b=x+y');
    expect(event.cookies).toEqual(['session=abc']);
    expect(event.headers['x-custom']).toBe('v');
    expect(event.headers['content-length']).toBe('5');
    expect(event.requestContext.http).toMatchObject({ method: 'PUT', path: '/items/9', protocol: 'HTTP/1.1' });
    expect(event.requestContext.routeKey).toBe('PUT /items/{id}');
    expect(event.pathParameters).toEqual({ id: '9' });
    expect(event.body).toBe('hello');
  });

  it('leaves out empty optional fields instead of sending null', () => {
    const event = Events.apiGatewayV2();
    for (const field of ['cookies', 'queryStringParameters', 'body', 'pathParameters', 'stageVariables']) {
      expect(event).not.toHaveProperty(field);
    }
    expect(event.routeKey).toBe('$default');
    expect(event.rawQueryString).toBe('');
  });
});

describe('Events.functionUrl', () => {
  it('is a payload 2.0 request on a lambda-url domain', () => {
    const event = Events.functionUrl({ method: 'POST', path: '/hook', body: '{}', urlId: 'abcdefg', region: 'us-west-2' });
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('$default');
    expect(event.rawPath).toBe('/hook');
    expect(event.requestContext).toMatchObject({ apiId: 'abcdefg', domainName: 'abcdefg.lambda-url.us-west-2.on.aws', domainPrefix: 'abcdefg', stage: '$default' });
    expect(event.requestContext.http.method).toBe('POST');
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('Events.dynamoDbStream', () => {
  it('is an INSERT from aws:dynamodb with the new image as attribute values', () => {
    const record = Events.dynamoDbStream({ tableName: 'orders', keys: { pk: 'o#1' }, newImage: { pk: 'o#1', total: 9.5, paid: true, tags: ['a'] } }).Records[0];
    expect(record.eventSource).toBe('aws:dynamodb');
    expect(record.eventName).toBe('INSERT');
    expect(record.eventSourceARN).toMatch(/^arn:aws:dynamodb:us-east-1:123456789012:table\/orders\/stream\/\d{4}-/);
    expect(record.dynamodb.Keys).toEqual({ pk: { S: 'o#1' } });
    expect(record.dynamodb.NewImage).toEqual({ pk: { S: 'o#1' }, total: { N: '9.5' }, paid: { BOOL: true }, tags: { L: [{ S: 'a' }] } });
    expect(record.dynamodb).not.toHaveProperty('OldImage');
    expect(record.dynamodb.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
    expect(record.dynamodb.SequenceNumber).toMatch(/^\d{21}$/);
  });

  it('sends both images for MODIFY and only the old one for REMOVE', () => {
    const modify = Events.dynamoDbStream({ eventName: 'MODIFY', oldImage: { id: '1', n: 1 }, newImage: { id: '1', n: 2 } }).Records[0];
    expect(modify.dynamodb.OldImage.n).toEqual({ N: '1' });
    expect(modify.dynamodb.NewImage.n).toEqual({ N: '2' });
    const remove = Events.dynamoDbStream({ eventName: 'REMOVE' }).Records[0];
    expect(remove.dynamodb).toHaveProperty('OldImage');
    expect(remove.dynamodb).not.toHaveProperty('NewImage');
  });

  it('sends only keys for a KEYS_ONLY stream', () => {
    const change = Events.dynamoDbStream({ eventName: 'MODIFY', streamViewType: 'KEYS_ONLY' }).Records[0].dynamodb;
    expect(change).not.toHaveProperty('NewImage');
    expect(change).not.toHaveProperty('OldImage');
  });

  it('rejects an unknown event name', () => {
    expect(() => Events.dynamoDbStream({ eventName: 'UPSERT' })).toThrow(/expected one of INSERT, MODIFY, REMOVE/);
  });
});

describe('Events.kinesis', () => {
  it('carries the payload base64-encoded, from aws:kinesis', () => {
    const record = Events.kinesis({ data: '{"temp":21}', partitionKey: 'sensor-1', streamName: 'telemetry', time: FIXED_TIME }).Records[0];
    expect(record.eventSource).toBe('aws:kinesis');
    expect(record.eventName).toBe('aws:kinesis:record');
    expect(record.kinesis.data).toBe(Buffer.from('{"temp":21}').toString('base64'));
    expect(Buffer.from(record.kinesis.data, 'base64').toString()).toBe('{"temp":21}');
    expect(record.kinesis.partitionKey).toBe('sensor-1');
    expect(record.kinesis.approximateArrivalTimestamp).toBe(Date.parse(FIXED_TIME) / 1000);
    expect(record.eventSourceARN).toBe('arn:aws:kinesis:us-east-1:123456789012:stream/telemetry');
    expect(record.eventID).toBe(`shardId-000000000000:${record.kinesis.sequenceNumber}`);
  });
});

describe('Cognito triggers', () => {
  it('pre sign-up carries the user attributes and a response to fill in', () => {
    const event = Events.cognitoPreSignUp({ userName: 'jane', email: 'jane@example.com', userAttributes: { name: 'Jane' } });
    expect(event).toMatchObject({ version: '1', region: 'us-east-1', userName: 'jane', triggerSource: 'PreSignUp_SignUp' });
    expect(event.userPoolId).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
    expect(event.callerContext.clientId).toMatch(/^[a-z0-9]{26}$/);
    expect(event.request.userAttributes).toEqual({ email: 'jane@example.com', name: 'Jane' });
    expect(event.response).toEqual({ autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
  });

  it('post confirmation carries a confirmed user with a sub', () => {
    const event = Events.cognitoPostConfirmation({ userName: 'jane', triggerSource: 'PostConfirmation_ConfirmForgotPassword' });
    expect(event.triggerSource).toBe('PostConfirmation_ConfirmForgotPassword');
    expect(event.request.userAttributes).toMatchObject({ 'cognito:user_status': 'CONFIRMED', 'sub': expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(event.response).toEqual({});
  });

  it('is the same event for the same user name', () => {
    expect(Events.cognitoPostConfirmation({ userName: 'jane' })).toEqual(Events.cognitoPostConfirmation({ userName: 'jane' }));
  });
});
