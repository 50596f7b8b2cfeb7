// Reads queues, streams and event source mappings of one template (issue 14, queues work). PLACEHOLDER.
import { EMPTY_POLL_SOURCES, PollSourcesModel } from '../../model/triggers-poll';
import { LoadedTemplate } from '../resource-context';

export function loadPollSources(_loaded: LoadedTemplate): PollSourcesModel {
  return EMPTY_POLL_SOURCES;
}
