// LT301-LT305: memory, timeout, ephemeral storage, function name and description are within Lambda's limits.
import { LIMITS, PATTERNS } from '../../model/platform';
import type { FunctionFacts } from '../context';
import type { FunctionRule } from '../rule';
import { RULES } from '../rules';

export const functionLimits: FunctionRule = {
  codes: [RULES.memorySize, RULES.timeout, RULES.ephemeralStorage, RULES.functionName, RULES.description],
  check(fn: FunctionFacts): void {
    const p = fn.props;
    const memory = p.MemorySize;
    if (typeof memory === 'number' && (!Number.isInteger(memory) || memory < LIMITS.memoryMin || memory > LIMITS.memoryMax)) {
      fn.report(RULES.memorySize, `Memory size ${memory} MB is invalid: it must be an integer from ${LIMITS.memoryMin} to ${LIMITS.memoryMax} MB.`);
    }
    const timeout = p.Timeout;
    const timeoutMax = p.CapacityProviderConfig ? LIMITS.timeoutMaxManagedInstances : LIMITS.timeoutMax;
    if (typeof timeout === 'number' && (!Number.isInteger(timeout) || timeout < LIMITS.timeoutMin || timeout > timeoutMax)) {
      fn.report(RULES.timeout, `Timeout ${timeout} s is invalid: it must be a whole number of seconds from ${LIMITS.timeoutMin} to ${timeoutMax}.`);
    }
    const ephemeral = p.EphemeralStorage?.Size;
    if (typeof ephemeral === 'number' && (ephemeral < LIMITS.ephemeralMin || ephemeral > LIMITS.ephemeralMax)) {
      fn.report(RULES.ephemeralStorage, `Ephemeral storage ${ephemeral} MB is invalid: it must be from ${LIMITS.ephemeralMin} to ${LIMITS.ephemeralMax} MB.`);
    }
    const name = p.FunctionName;
    if (typeof name === 'string' && (name.length > LIMITS.functionNameMax || !PATTERNS.functionName.test(name))) {
      fn.report(RULES.functionName, `Function name "${name}" (${name.length} characters) must be at most ${LIMITS.functionNameMax} characters of letters, digits, "-" and "_".`);
    }
    const description = p.Description;
    if (typeof description === 'string' && description.length > LIMITS.descriptionMax) {
      fn.report(RULES.description, `Description is ${description.length} characters; the maximum is ${LIMITS.descriptionMax}.`);
    }
  },
};
