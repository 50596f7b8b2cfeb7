// Reads the triggers of one template into the model (issue 14). Each source kind gets its own file in this folder.
import { EMPTY_TRIGGERS, TriggersModel } from '../../model/triggers';
import { LoadedTemplate } from '../resource-context';

export function loadTriggers(_loaded: LoadedTemplate): TriggersModel {
  return EMPTY_TRIGGERS;
}
