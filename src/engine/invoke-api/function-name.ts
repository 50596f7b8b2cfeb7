// Parses the Invoke API's FunctionName (a name, `name:qualifier`, a full or partial ARN) and the `Qualifier`
// query parameter into what LocalTwin resolves, rejecting malformed input with Lambda's exception.
import { invalidParameter } from './errors';
import { PATTERNS } from '../../model/platform';

/** A parsed function reference. */
export interface FunctionReference {
  /** The name (or, locally, a logical id or construct path) without qualifier. */
  readonly name: string;
  readonly qualifier?: string;
  /** Region and account when the caller gave an ARN: they must match the function's. */
  readonly region?: string;
  readonly accountId?: string;
}

const QUALIFIER = PATTERNS.qualifier;
// Lambda's own pattern for names, plus `/` and `.` so construct paths (`Stack/Fn`) work locally too.
const NAME = /^[a-zA-Z0-9_.\/-]{1,256}$/;
const FULL_ARN = /^arn:(aws[a-zA-Z-]*):lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):function:([^:]+)(?::([^:]*))?$/;
const PARTIAL_ARN = /^(\d{12}):function:([^:]+)(?::([^:]*))?$/;

/** Splits `functionName` and checks it and the qualifier; throws InvalidParameterValueException when malformed. */
export function parseFunctionReference(functionName: string, queryQualifier?: string): FunctionReference {
  if (functionName.length === 0 || functionName.length > 512) {
    throw invalidParameter(`FunctionName must be 1 to 170 characters (a name, name:qualifier or ARN); got ${functionName.length} characters.`);
  }
  let name: string;
  let derived: string | undefined;
  let region: string | undefined;
  let accountId: string | undefined;
  const full = FULL_ARN.exec(functionName);
  const partial = full ? null : PARTIAL_ARN.exec(functionName);
  if (full) {
    [, , region, accountId, name, derived] = full;
  } else if (partial) {
    [, accountId, name, derived] = partial;
  } else if (functionName.startsWith('arn:')) {
    throw invalidParameter(`FunctionName '${shown(functionName)}' is not a valid function ARN: expected arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>].`);
  } else {
    const parts = functionName.split(':');
    if (parts.length > 2) throw invalidParameter(`FunctionName '${shown(functionName)}' has too many ':' parts: use a name, name:qualifier or an ARN.`);
    [name, derived] = parts;
  }
  if (!NAME.test(name)) {
    throw invalidParameter(`FunctionName '${shown(functionName)}' is not valid: a function name has letters, digits, '-' and '_' only.`);
  }
  if (derived !== undefined && !QUALIFIER.test(derived)) {
    throw invalidParameter(`The qualifier '${shown(derived)}' in FunctionName is not valid: use $LATEST, a version number or an alias name (letters, digits, '-', '_').`);
  }
  if (queryQualifier !== undefined && !QUALIFIER.test(queryQualifier)) {
    throw invalidParameter(`Qualifier '${shown(queryQualifier)}' is not valid: use $LATEST, a version number or an alias name (letters, digits, '-', '_').`);
  }
  if (derived !== undefined && queryQualifier !== undefined && derived !== queryQualifier) {
    throw invalidParameter(`The derived qualifier from the function name ('${derived}') does not match the specified qualifier ('${queryQualifier}').`);
  }
  return { name, qualifier: queryQualifier ?? derived, region, accountId };
}

/** A value safe to echo in a message: short, printable. */
export function shown(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 80 ? printable.slice(0, 77) + '...' : printable;
}
