// Shared pieces of the Invoke API tests: the fixture app, an SDK client for a local endpoint.
import * as path from 'path';
import { LambdaClient } from '@aws-sdk/client-lambda';

export const FIXTURE_TEMPLATE = path.join(__dirname, 'fixtures', 'app', 'template.yaml');

/** An SDK client for the local endpoint, with fake static credentials and no retries (so 429s surface). */
export function lambdaClient(endpoint: string, accessKeyId = 'AKIDLOCAL'): LambdaClient {
  return new LambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'not-a-secret' },
    maxAttempts: 1,
  });
}

export function text(bytes: Uint8Array | undefined): string {
  return Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
}

export function json(bytes: Uint8Array | undefined): any {
  return JSON.parse(text(bytes));
}
