// What the Invoke API reads from request headers beyond the AWS ones: who the caller claims to be (there is no
// real IAM locally), and the client context, decoded and checked as Lambda does.
import { CLIENT_CONTEXT_LIMIT, invalidRequestContent } from './errors';

/** Headers a caller can set to act as another principal (there is no real IAM locally). */
export const PRINCIPAL_HEADER = 'x-lambda-twin-principal';
export const SOURCE_ARN_HEADER = 'x-lambda-twin-source-arn';
export const SOURCE_ACCOUNT_HEADER = 'x-lambda-twin-source-account';
export const PRINCIPAL_ORG_ID_HEADER = 'x-lambda-twin-principal-org-id';

/** Decodes `X-Amz-Client-Context` (base64 of a JSON object) to JSON text. */
export function decodeClientContext(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.length > CLIENT_CONTEXT_LIMIT) {
    throw invalidRequestContent(`Client context must be at most ${CLIENT_CONTEXT_LIMIT} bytes of base64; got ${value.length}.`);
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw invalidRequestContent('Client context must be a valid Base64-encoded JSON object.');
  const text = Buffer.from(value, 'base64').toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidRequestContent('Client context must be a valid Base64-encoded JSON object.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidRequestContent('Client context must be a valid Base64-encoded JSON object.');
  }
  return text;
}

