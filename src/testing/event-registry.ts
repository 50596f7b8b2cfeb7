// The catalogue of sample events by (service, kind), named as `sam local generate-event` names them, with
// string flags a CLI can pass through. Internal: the public API is the `Events` class.
import { apiGatewayV1Event, apiGatewayV2Event, functionUrlEvent } from './events/api-gateway';
import { cognitoPostConfirmationEvent, cognitoPreSignUpEvent } from './events/cognito';
import { dynamoDbStreamRecord } from './events/dynamodb';
import { eventBridgeEvent, scheduledEvent } from './events/eventbridge';
import { kinesisEvent } from './events/kinesis';
import { s3DeleteEvent, s3PutEvent } from './events/s3';
import { snsNotificationEvent } from './events/sns';
import { sqsMessageEvent } from './events/sqs';
import { SeededValues } from './events/volatile-values';

/** How a flag's string value becomes an option value. */
export type FlagType = 'string' | 'number' | 'boolean' | 'json' | 'string-map' | 'list' | 'query';

/** A command-line flag of one event kind. */
export interface EventFlag {
  /** The flag name without dashes, kebab-case: `queue-arn`. */
  readonly name: string;
  readonly description: string;
  readonly type: FlagType;
}

/** One event the registry can generate. */
export interface EventKind {
  readonly service: string;
  readonly kind: string;
  readonly description: string;
  readonly flags: readonly EventFlag[];
}

interface RegisteredEventKind extends EventKind {
  readonly build: (options: Record<string, any>) => object;
}

const flag = (name: string, description: string, type: FlagType = 'string'): EventFlag => ({ name, description, type });

const ACCOUNT = flag('account', 'AWS account id (default 123456789012)');
const REGION = flag('region', 'AWS region (default us-east-1)');
const TIME = flag('time', 'event time as ISO 8601 (default now)');
const WHERE_AND_WHEN = [ACCOUNT, REGION, TIME];

const HTTP_FLAGS = [
  flag('method', 'HTTP method (default GET)'),
  flag('path', 'request path (default /)'),
  flag('body', 'request body (default none)'),
  flag('headers', 'request headers as a JSON object', 'string-map'),
  flag('query', 'query string, e.g. "a=1&b=2"', 'query'),
  flag('source-ip', 'client IP address (default 198.51.100.1)'),
  flag('is-base64-encoded', 'the body is base64-encoded binary (true/false)', 'boolean'),
  flag('request-id', 'request id (default fresh)'),
];

const REGISTRY: readonly RegisteredEventKind[] = [
  {
    service: 's3',
    kind: 'put',
    description: 'S3 ObjectCreated:Put notification',
    flags: [
      flag('bucket', 'bucket name (default example-bucket)'),
      flag('key', 'object key, unencoded (default test/key)'),
      flag('size', 'object size in bytes (default 1024)', 'number'),
      flag('e-tag', 'object ETag (default derived)'),
      flag('version-id', 'object version id (default none)'),
      flag('request-id', 'x-amz-request-id (default fresh)'),
      ...WHERE_AND_WHEN,
    ],
    build: s3PutEvent,
  },
  {
    service: 's3',
    kind: 'delete',
    description: 'S3 ObjectRemoved:Delete notification',
    flags: [
      flag('bucket', 'bucket name (default example-bucket)'),
      flag('key', 'object key, unencoded (default test/key)'),
      flag('version-id', 'object version id (default none)'),
      flag('request-id', 'x-amz-request-id (default fresh)'),
      ...WHERE_AND_WHEN,
    ],
    build: s3DeleteEvent,
  },
  {
    service: 'sqs',
    kind: 'receive-message',
    description: 'SQS message received by an event source mapping',
    flags: [
      flag('body', 'message body (default "Hello from SQS!")'),
      flag('queue-arn', 'queue ARN; a .fifo name adds FIFO attributes'),
      flag('message-attributes', 'string message attributes as a JSON object', 'string-map'),
      flag('message-id', 'message id (default fresh UUID)'),
      flag('receive-count', 'approximate receive count (default 1)', 'number'),
      flag('message-group-id', 'message group id, FIFO queues (default 1)'),
      ...WHERE_AND_WHEN,
    ],
    build: sqsMessageEvent,
  },
  {
    service: 'sns',
    kind: 'notification',
    description: 'SNS notification delivered to a subscribed function',
    flags: [
      flag('message', 'message (default "Hello from SNS!")'),
      flag('subject', 'subject (default none)'),
      flag('topic-arn', 'topic ARN'),
      flag('message-attributes', 'string message attributes as a JSON object', 'string-map'),
      flag('message-id', 'message id (default fresh UUID)'),
      ...WHERE_AND_WHEN,
    ],
    build: snsNotificationEvent,
  },
  {
    service: 'eventbridge',
    kind: 'event',
    description: 'custom event from an EventBridge bus',
    flags: [
      flag('source', 'event source (default com.example.app)'),
      flag('detail-type', 'detail type (default ExampleEvent)'),
      flag('detail', 'event detail as JSON (default {})', 'json'),
      flag('resources', 'comma-separated resource ARNs', 'list'),
      flag('id', 'event id (default fresh UUID)'),
      ...WHERE_AND_WHEN,
    ],
    build: eventBridgeEvent,
  },
  {
    service: 'cloudwatch',
    kind: 'scheduled-event',
    description: 'event sent by a scheduled (rate/cron) rule',
    flags: [
      flag('rule-name', 'rule name (default example-schedule)'),
      flag('id', 'event id (default fresh UUID)'),
      ...WHERE_AND_WHEN,
    ],
    build: scheduledEvent,
  },
  {
    service: 'apigateway',
    kind: 'aws-proxy',
    description: 'API Gateway REST API proxy request (payload 1.0)',
    flags: [
      ...HTTP_FLAGS,
      flag('resource', 'resource template, e.g. /users/{id} (default the path)'),
      flag('path-parameters', 'path parameters as a JSON object', 'string-map'),
      flag('stage-variables', 'stage variables as a JSON object', 'string-map'),
      flag('stage', 'stage name (default prod)'),
      flag('api-id', 'REST API id (default derived)'),
      ...WHERE_AND_WHEN,
    ],
    build: (options) => apiGatewayV1Event(withQuery(options)),
  },
  {
    service: 'apigateway',
    kind: 'http-api-proxy',
    description: 'API Gateway HTTP API proxy request (payload 2.0)',
    flags: [
      ...HTTP_FLAGS,
      flag('route-key', 'route key, e.g. "GET /users/{id}" (default $default)'),
      flag('path-parameters', 'path parameters as a JSON object', 'string-map'),
      flag('stage-variables', 'stage variables as a JSON object', 'string-map'),
      flag('cookies', 'comma-separated cookies, each name=value', 'list'),
      flag('stage', 'stage name (default $default)'),
      flag('api-id', 'HTTP API id (default derived)'),
      ...WHERE_AND_WHEN,
    ],
    build: (options) => apiGatewayV2Event(withQuery(options)),
  },
  {
    service: 'lambda',
    kind: 'function-url',
    description: 'Lambda function URL request',
    flags: [
      ...HTTP_FLAGS,
      flag('cookies', 'comma-separated cookies, each name=value', 'list'),
      flag('url-id', 'function URL id (default derived)'),
      ...WHERE_AND_WHEN,
    ],
    build: (options) => functionUrlEvent(withQuery(options)),
  },
  {
    service: 'dynamodb',
    kind: 'update',
    description: 'DynamoDB stream batch: INSERT, MODIFY and REMOVE of one item (or just --event-name)',
    flags: [
      flag('event-name', 'only this record: INSERT, MODIFY or REMOVE (default all three)'),
      flag('table-name', 'table name (default example-table)'),
      flag('keys', 'key attributes as plain JSON (default {"id":"101"})', 'json'),
      flag('new-image', 'item after the change as plain JSON', 'json'),
      flag('old-image', 'item before the change as plain JSON', 'json'),
      flag('stream-view-type', 'KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES (default NEW_AND_OLD_IMAGES)'),
      flag('event-id', 'event id of the first record; the others derive from it (default fresh)'),
      ...WHERE_AND_WHEN,
    ],
    build: dynamoDbUpdateBatch,
  },
  {
    service: 'kinesis',
    kind: 'get-records',
    description: 'Kinesis data stream record',
    flags: [
      flag('data', 'record payload as text; sent base64-encoded (default "Hello from Kinesis!")'),
      flag('partition-key', 'partition key (default partition-1)'),
      flag('stream-name', 'stream name (default example-stream)'),
      flag('sequence-number', 'sequence number (default fresh)'),
      ...WHERE_AND_WHEN,
    ],
    build: kinesisEvent,
  },
  ...(['pre-sign-up', 'post-confirmation'] as const).map((kind): RegisteredEventKind => ({
    service: 'cognito-idp',
    kind,
    description: kind === 'pre-sign-up' ? 'Cognito user pool pre sign-up trigger' : 'Cognito user pool post confirmation trigger',
    flags: [
      flag('user-name', 'user name (default example-user)'),
      flag('email', 'email (default user@example.com)'),
      flag('user-attributes', 'further user attributes as a JSON object', 'string-map'),
      flag('client-metadata', 'client metadata as a JSON object', 'string-map'),
      flag('user-pool-id', 'user pool id (default derived)'),
      flag('client-id', 'app client id (default derived)'),
      flag('trigger-source', 'trigger source, e.g. PreSignUp_AdminCreateUser'),
      REGION,
    ],
    build: kind === 'pre-sign-up' ? cognitoPreSignUpEvent : cognitoPostConfirmationEvent,
  })),
];

/** Every (service, kind) the registry can generate, with its flags. */
export function listEventKinds(): EventKind[] {
  return REGISTRY.map(({ build: _build, ...kind }) => kind);
}

/**
 * Builds the sample event for a service and kind from string flags (kebab-case or camelCase names, without
 * dashes). Throws an error listing the valid choices for an unknown service, kind or flag.
 */
export function generateEvent(service: string, kind: string, flags: Record<string, string> = {}): object {
  const entry = findEventKind(service, kind);
  const options: Record<string, any> = {};
  for (const [rawName, value] of Object.entries(flags)) {
    const name = toKebabCase(rawName);
    const definition = entry.flags.find((f) => f.name === name);
    if (!definition) {
      throw new Error(`Unknown flag '--${name}' for '${service} ${kind}'. Valid flags: ${entry.flags.map((f) => `--${f.name}`).join(', ')}`);
    }
    options[toCamelCase(name)] = parseFlag(definition, value);
  }
  return entry.build(options);
}

function findEventKind(service: string, kind: string): RegisteredEventKind {
  const ofService = REGISTRY.filter((e) => e.service === service);
  if (ofService.length === 0) {
    const services = [...new Set(REGISTRY.map((e) => e.service))].sort();
    throw new Error(`Unknown service '${service}'. Valid services: ${services.join(', ')}`);
  }
  const entry = ofService.find((e) => e.kind === kind);
  if (!entry) {
    throw new Error(`Unknown event kind '${kind}' for service '${service}'. Valid kinds: ${ofService.map((e) => e.kind).join(', ')}`);
  }
  return entry;
}

function parseFlag(definition: EventFlag, value: string): unknown {
  const fail = (expected: string) => new Error(`Flag '--${definition.name}' expects ${expected}, got '${value}'`);
  switch (definition.type) {
    case 'string':
      return value;
    case 'number': {
      const parsed = Number(value);
      if (value.trim() === '' || !Number.isFinite(parsed)) throw fail('a number');
      return parsed;
    }
    case 'boolean':
      if (value !== 'true' && value !== 'false') throw fail('true or false');
      return value === 'true';
    case 'list':
      return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
    case 'query':
      return Object.fromEntries(new URLSearchParams(value));
    case 'json':
    case 'string-map': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        throw fail('JSON');
      }
      if (definition.type === 'string-map') {
        const isStringMap = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
          && Object.values(parsed as object).every((v) => typeof v === 'string');
        if (!isStringMap) throw fail('a JSON object of string values');
      }
      return parsed;
    }
  }
}

/** The `query` flag feeds `queryStringParameters`. */
function withQuery(options: Record<string, any>): Record<string, any> {
  const { query, ...rest } = options;
  return query === undefined ? rest : { ...rest, queryStringParameters: query };
}

/** Like `sam local generate-event dynamodb update`: the life of one item, unless one event name is asked for. */
function dynamoDbUpdateBatch(options: Record<string, any>): object {
  if (options.eventName !== undefined) {
    return { Records: [dynamoDbStreamRecord(options)] };
  }
  const ids = SeededValues.fromId(options.eventId);
  const firstId = options.eventId ?? ids.hex('event-id', 32);
  const records = ['INSERT', 'MODIFY', 'REMOVE'].map((eventName, index) => dynamoDbStreamRecord({
    ...options,
    eventName,
    eventId: index === 0 ? firstId : ids.hex(`event-id-${index}`, 32),
  }));
  return { Records: records };
}

function toKebabCase(name: string): string {
  return name.replace(/^-+/, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function toCamelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
