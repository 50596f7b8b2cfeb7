// LT401-LT404: environment variable keys are well formed and not reserved, and the variables total at most 4 KB.
import { LIMITS, PATTERNS, RESERVED_ENVIRONMENT_KEYS } from '../../model/platform';
import { FunctionFacts, isKnown } from '../context';
import type { FunctionRule } from '../rule';
import { RULES } from '../rules';

export const environment: FunctionRule = {
  codes: [RULES.envKey, RULES.envReserved, RULES.envSize, RULES.envSizeUnknown],
  check: checkEnvironment,
};

const ENVIRONMENT_MAX_BYTES = LIMITS.environmentMaxBytes;

/** Bytes assumed for a value only known at deploy (an ARN or name) when estimating the total. */
export const UNKNOWN_VALUE_ESTIMATE = 256;

function checkEnvironment(fn: FunctionFacts): void {
  const vars = fn.props.Environment?.Variables;
  if (!vars || typeof vars !== 'object' || !isKnownKeys(vars)) return;
  const reserved: string[] = [];
  let knownBytes = 0;
  let unknownValues = 0;
  for (const [key, value] of Object.entries(vars as Record<string, unknown>)) {
    if (!PATTERNS.environmentKey.test(key)) {
      fn.report(RULES.envKey, `Environment variable key "${key}" does not match [a-zA-Z]([a-zA-Z0-9_])+ (start with a letter, at least 2 characters).`);
    }
    if (RESERVED_ENVIRONMENT_KEYS.includes(key)) reserved.push(key);
    knownBytes += Buffer.byteLength(key);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      knownBytes += Buffer.byteLength(String(value));
    } else {
      unknownValues++;
    }
  }
  if (reserved.length) {
    fn.report(RULES.envReserved, 'Lambda was unable to configure your environment variables because the environment variables you have provided '
      + `contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`);
  }
  const estimate = knownBytes + unknownValues * UNKNOWN_VALUE_ESTIMATE;
  if (knownBytes > ENVIRONMENT_MAX_BYTES) {
    fn.report(RULES.envSize, `Environment variables take ${knownBytes} bytes (keys + values)${unknownValues ? ' before counting deploy-time values' : ''}; the limit is ${ENVIRONMENT_MAX_BYTES} bytes.`);
  } else if (unknownValues && estimate > ENVIRONMENT_MAX_BYTES) {
    fn.report(RULES.envSizeUnknown, `Environment variables take ${knownBytes} known bytes plus ${unknownValues} deploy-time value(s) (estimated ${UNKNOWN_VALUE_ESTIMATE} bytes each): they may exceed ${ENVIRONMENT_MAX_BYTES} bytes.`);
  }
}

function isKnownKeys(vars: object): boolean {
  return !('Ref' in vars) && !Object.keys(vars).some((k) => k.startsWith('Fn::')) && isKnown(Object.keys(vars));
}
