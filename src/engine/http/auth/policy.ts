// Evaluates the IAM policy a Lambda authorizer returns against the ARN of the method (REST) or route (HTTP API) a
// request is for, as API Gateway does: an explicit Deny wins, then any Allow; `*` and `?` wildcards in Resource,
// Action `execute-api:Invoke` (or `execute-api:*`, `*`), Action and Resource as a string or a list.

export interface PolicyEvaluation {
  /** `Allow`, `Deny` (an explicit deny) or `None` (no statement covers the ARN: an implicit deny). */
  readonly effect: string;
  /** Why, for the request log. */
  readonly reason: string;
}

/** Why a policy document cannot be evaluated, or undefined when its shape is one API Gateway accepts. */
export function policyDocumentProblem(document: any): string | undefined {
  if (!document || typeof document !== 'object' || Array.isArray(document)) return 'policyDocument is missing or not an object';
  const statements = document.Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  if (statements === undefined || list.length === 0) return 'policyDocument has no Statement';
  for (const [i, s] of list.entries()) {
    if (!s || typeof s !== 'object') return `policyDocument.Statement[${i}] is not an object`;
    if (!/^(allow|deny)$/i.test(String(s.Effect))) return `policyDocument.Statement[${i}].Effect is ${JSON.stringify(s.Effect)}, not Allow or Deny`;
    if (s.Action === undefined && s.NotAction === undefined) return `policyDocument.Statement[${i}] has no Action`;
    if (s.Resource === undefined && s.NotResource === undefined) return `policyDocument.Statement[${i}] has no Resource`;
  }
  return undefined;
}

/** The effect of `document` (already checked with `policyDocumentProblem`) for a request to `arn`. */
export function evaluatePolicy(document: any, arn: string): PolicyEvaluation {
  const statements: any[] = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  let allowedBy: number | undefined;
  for (const [i, s] of statements.entries()) {
    if (!statementCovers(s, arn)) continue;
    if (/^deny$/i.test(String(s.Effect))) return { effect: 'Deny', reason: `statement ${i} of the authorizer's policy denies ${arn}` };
    allowedBy ??= i;
  }
  if (allowedBy !== undefined) return { effect: 'Allow', reason: `statement ${allowedBy} of the authorizer's policy allows ${arn}` };
  return { effect: 'None', reason: `no statement of the authorizer's policy allows ${arn}` };
}

function statementCovers(statement: any, arn: string): boolean {
  const action = statement.Action !== undefined
    ? asList(statement.Action).some((a) => wildcardMatch(a, 'execute-api:Invoke', true))
    : !asList(statement.NotAction).some((a) => wildcardMatch(a, 'execute-api:Invoke', true));
  if (!action) return false;
  return statement.Resource !== undefined
    ? asList(statement.Resource).some((r) => wildcardMatch(r, arn, false))
    : !asList(statement.NotResource).some((r) => wildcardMatch(r, arn, false));
}

function asList(value: any): string[] {
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** IAM's glob: `*` is any run of characters (slashes included), `?` one character. Actions compare case-insensitively. */
export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}
