// The options every event fixture shares: where and when the event happened.

/**
 * Options every event fixture takes.
 */
export interface EventFixtureOptions {
  /**
   * The AWS account the event comes from.
   * @default '123456789012'
   */
  readonly account?: string;

  /**
   * The region the event comes from.
   * @default 'us-east-1'
   */
  readonly region?: string;

  /**
   * When the event happened, as an ISO 8601 timestamp. Fix it (with the event's id) for a deterministic event.
   * @default - now
   */
  readonly time?: string;
}
