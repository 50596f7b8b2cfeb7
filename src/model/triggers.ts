// The triggers of an app, as the one loader reads them from its templates (issue 14). Poll-based sources (queues,
// streams, event source mappings) are described in triggers-poll.ts; push sources (buckets, topics, rules,
// schedules) in triggers-push.ts. Internal: not part of the jsii API. Every field is a readonly list, so the models of
// several stacks merge by concatenation (`mergeModels` in app-model.ts).
import { EMPTY_POLL_SOURCES, PollSourcesModel } from './triggers-poll';
import { EMPTY_PUSH_SOURCES, PushSourcesModel } from './triggers-push';

export interface TriggersModel extends PollSourcesModel, PushSourcesModel {}

export const EMPTY_TRIGGERS: TriggersModel = { ...EMPTY_POLL_SOURCES, ...EMPTY_PUSH_SOURCES };
