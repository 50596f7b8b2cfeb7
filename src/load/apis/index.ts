// Reads the HTTP fronts of one template into the model (issue 15): REST APIs, HTTP APIs, Function URLs.
import { ApisModel, EMPTY_APIS } from '../../model/apis';
import { LoadedTemplate } from '../resource-context';

export function loadApis(_loaded: LoadedTemplate): ApisModel {
  return EMPTY_APIS;
}
