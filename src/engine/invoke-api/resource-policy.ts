// Evaluates a function's resource-based policy (its `AWS::Lambda::Permission` statements) for one caller, the
// way IAM does for Lambda: principal, action and condition keys must all match one statement. A pure function.
import { PermissionSpec } from '../../model/function-spec';

/** Who is calling, as far as the local twin can know. */
export interface CallerIdentity {
  /**
   * A service principal (`s3.amazonaws.com`), an account id (`111122223333`), or an IAM ARN
   * (`arn:aws:iam::111122223333:role/x`). Absent means the function's own account.
   */
  readonly principal?: string;
  /** `aws:SourceArn`: the resource a service acts for (the bucket, topic, rule …). */
  readonly sourceArn?: string;
  /** `aws:SourceAccount`: the account that owns that resource. */
  readonly sourceAccount?: string;
  /** `aws:PrincipalOrgID`: the caller's AWS Organizations id (cannot be looked up locally). */
  readonly principalOrgId?: string;
}

export interface PolicyRequest {
  readonly caller: CallerIdentity;
  /** `lambda:InvokeFunction` (the Invoke API) or `lambda:InvokeFunctionUrl`. */
  readonly action: string;
  /** The qualifier invoked (alias, version, `$LATEST`), if any. */
  readonly qualifier?: string;
  /** For `lambda:InvokeFunctionUrl`: the URL's auth type (`NONE` or `AWS_IAM`). */
  readonly functionUrlAuthType?: string;
}

export interface PolicyDecision {
  readonly allowed: boolean;
  /** Why, in a sentence a user can act on (which statement allowed it, or why none did). */
  readonly reason: string;
  /** The logical id of the statement that allowed the call. */
  readonly statementId?: string;
}

/** The function facts the evaluation needs. */
export interface PolicyResource {
  readonly functionName: string;
  readonly accountId: string;
  readonly permissions: readonly PermissionSpec[];
}

/**
 * Decides whether `request.caller` may perform `request.action` on the function. A caller in the function's own
 * account is allowed (its identity-based IAM policy is not known locally and is assumed to allow it); anyone
 * else needs a statement of the resource-based policy.
 */
export function evaluateInvokePolicy(resource: PolicyResource, request: PolicyRequest): PolicyDecision {
  const caller = request.caller;
  const callerAccount = accountOf(caller.principal);
  if (caller.principal === undefined || callerAccount === resource.accountId) {
    return { allowed: true, reason: `the caller is in the function's own account ${resource.accountId} (its IAM permissions are assumed)` };
  }
  const misses: string[] = [];
  for (const statement of resource.permissions) {
    const miss = statementMiss(statement, request, callerAccount);
    if (miss === undefined) {
      return { allowed: true, reason: `statement ${statement.logicalId} allows ${describe(caller)}`, statementId: statement.logicalId };
    }
    misses.push(`${statement.logicalId}: ${miss}`);
  }
  const qualified = request.qualifier ? `${resource.functionName}:${request.qualifier}` : resource.functionName;
  const why = misses.length === 0
    ? 'the function has no resource-based policy statements (AWS::Lambda::Permission)'
    : `no statement matches (${misses.join('; ')})`;
  return {
    allowed: false,
    reason: `${describe(caller)} is not authorized to perform ${request.action} on ${qualified}: ${why}`,
  };
}

/** Why a statement does not apply to the request, or undefined when it does. */
function statementMiss(statement: PermissionSpec, request: PolicyRequest, callerAccount: string | undefined): string | undefined {
  if (!actionMatches(statement.action, request.action)) return `action ${statement.action} does not cover ${request.action}`;
  if (!principalMatches(statement.principal, request.caller.principal!, callerAccount)) {
    return `principal ${statement.principal} is not ${request.caller.principal}`;
  }
  const invoked = request.qualifier === '$LATEST' ? undefined : request.qualifier;
  if (statement.qualifier !== invoked) {
    return statement.qualifier === undefined
      ? `it is on the unqualified function, not on qualifier ${request.qualifier}`
      : `it is scoped to qualifier ${statement.qualifier}, not ${request.qualifier ?? 'the unqualified function'}`;
  }
  const c = request.caller;
  if (statement.sourceArn !== undefined) {
    if (c.sourceArn === undefined) return `it requires source ARN ${statement.sourceArn} and the caller gave none`;
    if (!arnLike(c.sourceArn, statement.sourceArn)) return `source ARN ${c.sourceArn} is not like ${statement.sourceArn}`;
  }
  if (statement.sourceAccount !== undefined && statement.sourceAccount !== c.sourceAccount) {
    return `it requires source account ${statement.sourceAccount}, the caller gave ${c.sourceAccount ?? 'none'}`;
  }
  if (statement.principalOrgId !== undefined && statement.principalOrgId !== c.principalOrgId) {
    return `it requires organization ${statement.principalOrgId}, the caller gave ${c.principalOrgId ?? 'none'}`;
  }
  if (statement.functionUrlAuthType !== undefined && statement.functionUrlAuthType !== request.functionUrlAuthType) {
    return `it applies to function URLs with auth type ${statement.functionUrlAuthType}`;
  }
  return undefined;
}

/** IAM action matching: case-insensitive, `*` and `?` wildcards (`lambda:*`, `lambda:Invoke*`, `*`). */
export function actionMatches(pattern: string, action: string): boolean {
  return globToRegExp(pattern, 'i').test(action);
}

/**
 * IAM principal matching for a resource-based policy: `*` is anyone; an account id or `arn:aws:iam::<acct>:root`
 * is any principal of that account; a service principal or IAM ARN must be equal.
 */
export function principalMatches(pattern: string, principal: string, principalAccount: string | undefined): boolean {
  if (pattern === '*') return true;
  const patternAccount = /^\d{12}$/.test(pattern) ? pattern : /^arn:aws[a-zA-Z-]*:iam::(\d{12}):root$/.exec(pattern)?.[1];
  if (patternAccount !== undefined) return principalAccount === patternAccount;
  return pattern === principal;
}

/**
 * IAM's `ArnLike`: both values split into their six `:` parts (the last keeps any further colons), each part
 * matched case-sensitively with `*` and `?` wildcards.
 */
export function arnLike(value: string, pattern: string): boolean {
  const v = arnParts(value);
  const p = arnParts(pattern);
  // A pattern of fewer than six parts matches no ARN (only `*` matches anything).
  if (!v || !p) return pattern === '*' || (!v && !p && globToRegExp(pattern, '').test(value));
  return p.every((part, i) => globToRegExp(part, '').test(v[i]));
}

/** The account a principal belongs to, when it says: an account id, an IAM/STS ARN. Service principals have none. */
export function accountOf(principal: string | undefined): string | undefined {
  if (principal === undefined) return undefined;
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:aws[a-zA-Z-]*:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

function globToRegExp(glob: string, flags: string): RegExp {
  const body = glob.split('').map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, flags + 's');
}

function describe(caller: CallerIdentity): string {
  const via = [caller.sourceArn && `source ARN ${caller.sourceArn}`, caller.sourceAccount && `source account ${caller.sourceAccount}`]
    .filter(Boolean).join(', ');
  return `principal ${caller.principal ?? '(own account)'}${via ? ` (${via})` : ''}`;
}
