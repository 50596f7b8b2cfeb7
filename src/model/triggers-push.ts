// Push triggers: S3 bucket notifications, SNS subscriptions, EventBridge rules and schedules, Scheduler schedules
// (issue 14, push work). Every field is a readonly list (stacks merge by concatenation).

export interface PushSourcesModel {
  /** Placeholder until the push-source loaders land. */
  readonly pushNotes: readonly string[];
}

export const EMPTY_PUSH_SOURCES: PushSourcesModel = { pushNotes: [] };
