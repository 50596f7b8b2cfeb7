// The triggers of an app, as the one loader reads them from its templates (issue 14): event source mappings,
// queues, streams, bucket notifications, topic subscriptions, rules and schedules. Internal: not part of the jsii API.
// Every field is a list, so the models of several stacks merge by concatenation (see `mergeModels` in app-model.ts).

export interface TriggersModel {
  /** Placeholder until the trigger loaders land: descriptions of what was found, for `lambda-twin list`. */
  readonly notes: readonly string[];
}

export const EMPTY_TRIGGERS: TriggersModel = { notes: [] };
