// EventBridge events: custom application events and the scheduled events of a rate/cron rule.
import { EventFixtureOptions } from './fixture-options';
import { DEFAULT_ACCOUNT, DEFAULT_REGION, SeededValues, eventTime, isoSeconds } from './volatile-values';

/**
 * Options for a custom EventBridge event.
 */
export interface EventBridgeEventOptions extends EventFixtureOptions {
  /**
   * The event source.
   * @default 'com.example.app'
   */
  readonly source?: string;

  /**
   * The detail type.
   * @default 'ExampleEvent'
   */
  readonly detailType?: string;

  /**
   * The event detail (any JSON object).
   * @default {}
   */
  readonly detail?: any;

  /**
   * ARNs of the resources the event concerns.
   * @default []
   */
  readonly resources?: string[];

  /**
   * The event id. Fix it (with `time`) for a deterministic event.
   * @default - a fresh UUID
   */
  readonly id?: string;
}

/**
 * Options for the event a scheduled (rate or cron) rule sends.
 */
export interface ScheduledEventOptions extends EventFixtureOptions {
  /**
   * The rule's name; the event's only resource is the rule ARN.
   * @default 'example-schedule'
   */
  readonly ruleName?: string;

  /**
   * The event id. Fix it (with `time`) for a deterministic event.
   * @default - a fresh UUID
   */
  readonly id?: string;
}

/** A custom event put on an event bus. */
export function eventBridgeEvent(options: EventBridgeEventOptions = {}): any {
  return envelope(options, {
    'detail-type': options.detailType ?? 'ExampleEvent',
    'source': options.source ?? 'com.example.app',
    'resources': [...(options.resources ?? [])],
    'detail': options.detail ?? {},
  });
}

/** The event a scheduled rule sends (CloudWatch Events `Scheduled Event`). */
export function scheduledEvent(options: ScheduledEventOptions = {}): any {
  const region = options.region ?? DEFAULT_REGION;
  const account = options.account ?? DEFAULT_ACCOUNT;
  return envelope(options, {
    'detail-type': 'Scheduled Event',
    'source': 'aws.events',
    'resources': [`arn:aws:events:${region}:${account}:rule/${options.ruleName ?? 'example-schedule'}`],
    'detail': {},
  });
}

function envelope(options: EventFixtureOptions & { readonly id?: string }, body: Record<string, unknown>): any {
  const ids = SeededValues.fromId(options.id);
  return {
    'version': '0',
    'id': options.id ?? ids.uuid('event-id'),
    'detail-type': body['detail-type'],
    'source': body.source,
    'account': options.account ?? DEFAULT_ACCOUNT,
    'time': isoSeconds(eventTime(options.time)),
    'region': options.region ?? DEFAULT_REGION,
    'resources': body.resources,
    'detail': body.detail,
  };
}
