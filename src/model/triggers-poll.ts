// Poll-based triggers: SQS queues, Kinesis streams, DynamoDB streams and the event source mappings that connect them
// to functions (issue 14, queues work). Every field is a readonly list (stacks merge by concatenation).

export interface PollSourcesModel {
  /** Placeholder until the poll-source loaders land. */
  readonly pollNotes: readonly string[];
}

export const EMPTY_POLL_SOURCES: PollSourcesModel = { pollNotes: [] };
