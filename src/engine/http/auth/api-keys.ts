// API keys of REST methods with `ApiKeyRequired`: the `x-api-key` header must carry the value of an enabled key
// that a usage plan (or the key's StageKeys) gives the API's stage. Quotas and throttling are not emulated.
import type { AuthorizeInput } from './authorize';
import { headerValue } from './identity-source';
import type { ApiKeySpec } from '../../../model/api-auth';

export type ApiKeyCheck = { readonly key: ApiKeySpec } | { readonly refused: string };

export function checkApiKey(input: AuthorizeInput): ApiKeyCheck {
  const value = headerValue(input, 'x-api-key');
  if (value === undefined || value === '') return { refused: 'the method requires an API key and the request has no x-api-key header' };
  const stage = `${input.apiId}/${input.stage}`;
  const matching = input.apiKeys.filter((k) => k.value === value);
  if (matching.length === 0) return { refused: 'the x-api-key header is not the value of any API key of the app' };
  const usable = matching.find((k) => k.enabled && k.stages.includes(stage));
  if (usable) return { key: usable };
  const key = matching[0];
  if (!matching.some((k) => k.enabled)) return { refused: `API key ${key.name ?? key.id} is disabled (Enabled: true turns it on)` };
  return { refused: `API key ${key.name ?? key.id} is in no usage plan for stage ${input.stage} of ${input.apiId} (it has ${key.stages.join(', ') || 'no stages'})` };
}
