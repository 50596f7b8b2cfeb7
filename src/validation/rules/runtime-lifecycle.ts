// LT201-LT203: the runtime is a Lambda runtime identifier, not deprecated, and not deprecated within 90 days (dates
// from the runtime catalog in src/model/platform.ts).
import { RUNTIMES, RUNTIME_TABLE_LAST_VERIFIED, RuntimeInfo, runtimeInfo } from '../../model/platform';
import type { FunctionFacts } from '../context';
import type { FunctionRule } from '../rule';
import { RULES } from '../rules';

/** Days before deprecation from which LT203 warns. */
export const DEPRECATION_WARNING_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export const runtimeLifecycle: FunctionRule = {
  codes: [RULES.runtimeUnknown, RULES.runtimeDeprecated, RULES.runtimeDeprecationSoon],
  check(fn: FunctionFacts): void {
    const runtime = fn.props.Runtime;
    if (typeof runtime !== 'string') return; // image functions / tokens
    const life = runtimeInfo(runtime);
    if (!life) {
      fn.report(RULES.runtimeUnknown, `Runtime "${runtime}" is not a Lambda runtime identifier (table last verified ${RUNTIME_TABLE_LAST_VERIFIED}).`,
        `Use one of: ${RUNTIMES.filter((r) => !isDeprecated(r, fn.options.now)).map((r) => r.identifier).join(', ')}.`);
      return;
    }
    if (!life.deprecated) return;
    const deprecated = Date.parse(`${life.deprecated}T00:00:00Z`);
    const now = fn.options.now.getTime();
    const successor = life.successor ? `Move to ${life.successor}.` : undefined;
    if (now >= deprecated) {
      const blocks = [life.blockCreate && `creating blocked from ${life.blockCreate}`, life.blockUpdate && `updating blocked from ${life.blockUpdate}`].filter(Boolean);
      fn.report(RULES.runtimeDeprecated, `Runtime ${runtime} was deprecated on ${life.deprecated}${blocks.length ? ` (${blocks.join(', ')})` : ''}.`, successor);
    } else if (deprecated - now <= DEPRECATION_WARNING_DAYS * DAY_MS) {
      const days = Math.ceil((deprecated - now) / DAY_MS);
      fn.report(RULES.runtimeDeprecationSoon, `Runtime ${runtime} is deprecated on ${life.deprecated} (in ${days} days).`, successor);
    }
  },
};

function isDeprecated(life: RuntimeInfo, now: Date): boolean {
  return !!life.deprecated && now.getTime() >= Date.parse(`${life.deprecated}T00:00:00Z`);
}
