// The HTTP fronts of an app, as the one loader reads them from its templates (issue 15): REST APIs, HTTP APIs and
// Function URLs with their routes, integrations, authorizers and CORS. Internal: not part of the jsii API.
// Every field is a list, so the models of several stacks merge by concatenation (see `mergeModels` in app-model.ts).

import { ApiKeySpec, AuthorizerSpec } from './api-auth';

export interface ApisModel {
  /** Placeholder until the API loaders land. */
  readonly notes: readonly string[];
  /** Owned by the auth work (src/load/apis/authorizers.ts). */
  readonly authorizers: readonly AuthorizerSpec[];
  readonly apiKeys: readonly ApiKeySpec[];
}

export const EMPTY_APIS: ApisModel = { notes: [], authorizers: [], apiKeys: [] };
