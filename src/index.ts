// The public API of lambda-twin. Everything not exported here is internal.
export * from './constructs/lambda-function';
