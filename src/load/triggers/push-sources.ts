// Reads bucket notifications, topic subscriptions, rules and schedules of one template (issue 14, push work). PLACEHOLDER.
import { EMPTY_PUSH_SOURCES, PushSourcesModel } from '../../model/triggers-push';
import { LoadedTemplate } from '../resource-context';

export function loadPushSources(_loaded: LoadedTemplate): PushSourcesModel {
  return EMPTY_PUSH_SOURCES;
}
