// The Lambda runtime lifecycle as data (deprecation and block dates per identifier) and the rules that use it:
// unknown runtime (LT201), deprecated runtime (LT202), deprecation within 90 days (LT203).
import { FunctionFacts } from './context';
import { RULES } from './rules';

/** One runtime identifier's lifecycle. Dates are ISO days (UTC); absent = not announced. */
export interface RuntimeLifecycle {
  readonly deprecated?: string;
  readonly blockCreate?: string;
  readonly blockUpdate?: string;
  readonly successor?: string;
}

/**
 * Sources: cfn-lint LmbdRuntimeLifecycle.json (past dates) and docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 * as quoted in docs/reference (projected dates). Re-check the projected dates when touching this table.
 */
export const RUNTIME_TABLE_LAST_VERIFIED = '2026-11-23';

export const RUNTIME_LIFECYCLE: Record<string, RuntimeLifecycle> = {
  'nodejs': { deprecated: '2016-10-31', blockCreate: '2016-10-31', blockUpdate: '2016-10-31', successor: 'nodejs24.x' },
  'nodejs4.3': { deprecated: '2020-03-05', blockCreate: '2020-03-05', blockUpdate: '2020-03-05', successor: 'nodejs24.x' },
  'nodejs4.3-edge': { deprecated: '2019-04-30', blockCreate: '2019-04-30', blockUpdate: '2019-04-30', successor: 'nodejs24.x' },
  'nodejs6.10': { deprecated: '2019-08-12', blockCreate: '2019-08-12', blockUpdate: '2019-08-12', successor: 'nodejs24.x' },
  'nodejs8.10': { deprecated: '2020-03-06', blockCreate: '2020-03-06', blockUpdate: '2020-03-06', successor: 'nodejs24.x' },
  'nodejs10.x': { deprecated: '2021-07-30', blockCreate: '2021-07-30', blockUpdate: '2022-02-14', successor: 'nodejs24.x' },
  'nodejs12.x': { deprecated: '2023-03-31', blockCreate: '2023-03-31', blockUpdate: '2023-04-30', successor: 'nodejs24.x' },
  'nodejs14.x': { deprecated: '2023-12-04', blockCreate: '2024-07-09', blockUpdate: '2025-11-01', successor: 'nodejs24.x' },
  'nodejs16.x': { deprecated: '2024-06-12', blockCreate: '2025-10-01', blockUpdate: '2025-11-01', successor: 'nodejs24.x' },
  'nodejs18.x': { deprecated: '2025-09-01', blockCreate: '2025-10-01', blockUpdate: '2025-11-01', successor: 'nodejs24.x' },
  'nodejs20.x': { deprecated: '2026-04-30', blockCreate: '2026-08-31', blockUpdate: '2026-09-30', successor: 'nodejs24.x' },
  'nodejs22.x': { deprecated: '2027-04-30', blockCreate: '2027-06-01', blockUpdate: '2027-07-01', successor: 'nodejs24.x' },
  'nodejs24.x': { deprecated: '2028-04-30', blockCreate: '2028-06-01', blockUpdate: '2028-07-01' },
  'python2.7': { deprecated: '2021-07-15', blockCreate: '2021-07-15', blockUpdate: '2022-05-30', successor: 'python3.14' },
  'python3.6': { deprecated: '2022-07-18', blockCreate: '2022-07-18', blockUpdate: '2022-08-29', successor: 'python3.14' },
  'python3.7': { deprecated: '2023-12-04', blockCreate: '2024-01-09', blockUpdate: '2025-11-01', successor: 'python3.14' },
  'python3.8': { deprecated: '2024-10-14', blockCreate: '2025-10-01', blockUpdate: '2025-11-01', successor: 'python3.14' },
  'python3.9': { deprecated: '2025-12-15', successor: 'python3.14' },
  'python3.10': { deprecated: '2026-10-31', successor: 'python3.14' },
  'python3.11': { deprecated: '2027-06-30', successor: 'python3.14' },
  'python3.12': { deprecated: '2028-10-31', successor: 'python3.14' },
  'python3.13': { deprecated: '2029-06-30' },
  'python3.14': { deprecated: '2029-06-30' },
  'python3.15': {}, // added in aws-cdk-lib 2.27x; deprecation not announced
  'java8': { deprecated: '2024-01-08', blockCreate: '2024-02-08', blockUpdate: '2025-11-01', successor: 'java21' },
  'java8.al2': { deprecated: '2027-06-30', successor: 'java21' },
  'java11': { deprecated: '2027-06-30', successor: 'java21' },
  'java17': { deprecated: '2027-06-30', successor: 'java21' },
  'java21': { deprecated: '2029-06-30' },
  'java25': { deprecated: '2029-06-30' },
  'java8.al2023': { deprecated: '2029-06-30' },
  'java11.al2023': { deprecated: '2029-06-30' },
  'java17.al2023': { deprecated: '2029-06-30' },
  'dotnetcore1.0': { deprecated: '2019-06-27', blockCreate: '2019-06-27', blockUpdate: '2019-06-27', successor: 'dotnet10' },
  'dotnetcore2.0': { deprecated: '2019-05-30', blockCreate: '2019-05-30', blockUpdate: '2019-05-30', successor: 'dotnet10' },
  'dotnetcore2.1': { deprecated: '2022-01-05', blockCreate: '2022-01-05', blockUpdate: '2022-04-13', successor: 'dotnet10' },
  'dotnetcore3.1': { deprecated: '2023-04-03', blockCreate: '2023-04-03', blockUpdate: '2023-05-03', successor: 'dotnet10' },
  'dotnet5.0': { deprecated: '2022-05-10', successor: 'dotnet10' },
  'dotnet7': { deprecated: '2024-05-14', successor: 'dotnet10' },
  'dotnet6': { deprecated: '2024-11-12', blockUpdate: '2025-11-01', successor: 'dotnet10' },
  'dotnet8': { deprecated: '2026-11-10', successor: 'dotnet10' },
  'dotnet9': { deprecated: '2026-11-10', successor: 'dotnet10' },
  'dotnet10': { deprecated: '2028-11-14' },
  'ruby2.5': { deprecated: '2021-07-30', blockCreate: '2021-07-30', blockUpdate: '2022-03-31', successor: 'ruby3.4' },
  'ruby2.7': { deprecated: '2023-12-07', blockCreate: '2024-01-09', blockUpdate: '2025-11-01', successor: 'ruby3.4' },
  'ruby3.2': { deprecated: '2026-03-31', successor: 'ruby3.4' },
  'ruby3.3': { deprecated: '2027-03-31', successor: 'ruby3.4' },
  'ruby3.4': { deprecated: '2028-03-31' },
  'ruby4.0': { deprecated: '2029-03-31' },
  'go1.x': { deprecated: '2024-01-08', blockCreate: '2024-02-08', blockUpdate: '2025-11-01', successor: 'provided.al2023' },
  'provided': { deprecated: '2024-01-08', blockCreate: '2024-02-08', blockUpdate: '2025-11-01', successor: 'provided.al2023' },
  'provided.al2': { deprecated: '2026-06-30', successor: 'provided.al2023' },
  'provided.al2023': { deprecated: '2029-06-30' },
};

/** Days before deprecation from which LT203 warns. */
export const DEPRECATION_WARNING_DAYS = 90;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The current time; tests replace it through `setClock`. */
let clock: () => Date = () => new Date();

/** Replace the clock (tests). Pass undefined to restore `new Date()`. */
export function setClock(now?: () => Date): void {
  clock = now ?? (() => new Date());
}

/** The time rules compare lifecycle dates against. */
export function currentTime(): Date {
  return clock();
}

/** LT201/LT202/LT203 for the function's runtime. */
export function checkRuntimeLifecycle(fn: FunctionFacts): void {
  const runtime = fn.props.Runtime;
  if (typeof runtime !== 'string') return; // image functions / tokens
  const life = RUNTIME_LIFECYCLE[runtime];
  if (!life) {
    fn.report(RULES.runtimeUnknown, `Runtime "${runtime}" is not a Lambda runtime identifier (table last verified ${RUNTIME_TABLE_LAST_VERIFIED}).`,
      `Use one of: ${Object.keys(RUNTIME_LIFECYCLE).filter((r) => !isDeprecated(RUNTIME_LIFECYCLE[r], fn.options.now)).join(', ')}.`);
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
}

function isDeprecated(life: RuntimeLifecycle, now: Date): boolean {
  return !!life.deprecated && now.getTime() >= Date.parse(`${life.deprecated}T00:00:00Z`);
}
