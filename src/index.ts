// The public API of lambda-twin. Everything not exported here is internal.
export * from './constructs/lambda-function';
export * from './testing';
export * from './local-twin';
export * from './servers/invoke-api-server';
export * from './constructs/execution-role';
export * from './constructs/lambda-layer';
export * from './validation/aspect';
export * from './validation/finding';
export * from './sam/sam-stack';
export type { FetchOptions, FetchResponse } from './twin-http';
