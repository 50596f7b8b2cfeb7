// Reads the triggers of one template into the model (issue 14): poll sources (queues, streams, event source
// mappings) and push sources (buckets, topics, rules, schedules), each kind in its own file in this folder.
import { loadPollSources } from './poll-sources';
import { loadPushSources } from './push-sources';
import { TriggersModel } from '../../model/triggers';
import { LoadedTemplate } from '../resource-context';

export function loadTriggers(loaded: LoadedTemplate): TriggersModel {
  return { ...loadPollSources(loaded), ...loadPushSources(loaded) };
}
