// Reads the authorizers and API keys of one template (issue 15, auth work). PLACEHOLDER until it lands.
import { ApiKeySpec, AuthorizerSpec } from '../../model/api-auth';
import { LoadedTemplate } from '../resource-context';

export function loadAuthorizers(_loaded: LoadedTemplate): { authorizers: AuthorizerSpec[]; apiKeys: ApiKeySpec[] } {
  return { authorizers: [], apiKeys: [] };
}
