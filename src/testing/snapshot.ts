// A jest snapshot serializer that prints values with their volatile parts masked (see mask-volatile.ts).
// Register it in the jest config:      "snapshotSerializers": ["lambda-twin/lib/testing/snapshot"]
// or in a test file:  expect.addSnapshotSerializer(require('lambda-twin/lib/testing/snapshot').snapshotSerializer)
import { isEpochMillis, isPlainObject, maskString, maskVolatile } from './mask-volatile';

export { maskVolatile } from './mask-volatile';

/** jest's pretty-format printer; its config and refs pass through untouched, so they stay `any` here. */
type Printer = (value: unknown, config: any, indentation: string, depth: number, refs: any) => string;

/** Objects the serializer has already masked; their contents print as they are. */
const maskedObjects = new WeakSet<object>();

function rememberMasked(value: unknown): void {
  if (value === null || typeof value !== 'object' || maskedObjects.has(value)) return;
  maskedObjects.add(value);
  for (const item of Object.values(value)) rememberMasked(item);
}

/**
 * A jest snapshot serializer that prints values through `maskVolatile`. Register it in the jest config
 * (`"snapshotSerializers": ["lambda-twin/lib/testing/snapshot"]`) or with `expect.addSnapshotSerializer`.
 */
export const snapshotSerializer = {
  test(value: unknown): boolean {
    if (typeof value === 'string') return maskString(value) !== value;
    if (typeof value === 'number') return isEpochMillis(value);
    if (value instanceof Date) return true;
    return (Array.isArray(value) || isPlainObject(value)) && !maskedObjects.has(value);
  },
  serialize(value: unknown, config: any, indentation: string, depth: number, refs: any, printer: Printer): string {
    const masked = maskVolatile(value);
    rememberMasked(masked);
    return printer(masked, config, indentation, depth, refs);
  },
};

// Jest loads a `snapshotSerializers` module's exports as the plugin itself.
export const test = snapshotSerializer.test;
export const serialize = snapshotSerializer.serialize;
