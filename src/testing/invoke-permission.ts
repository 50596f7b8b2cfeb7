// Decides from a function's resource-based policy (its `AWS::Lambda::Permission`s) whether a caller may invoke
// it: a pure check, so tests can assert "principal X may invoke" without running the function.
import { PermissionSpec } from '../model/function-spec';

/** Who is calling, as Lambda's policy evaluation sees it. */
export interface InvokeCaller {
  /** A service principal (`s3.amazonaws.com`), an account id, an IAM ARN, or `*`. */
  readonly principal: string;
  /** The resource the service acts for (`aws:SourceArn`), e.g. the bucket or rule ARN. */
  readonly sourceArn?: string;
  /** The account owning that resource (`aws:SourceAccount`). */
  readonly sourceAccount?: string;
  /** The caller's organization (`aws:PrincipalOrgID`). */
  readonly principalOrgId?: string;
  /** The version or alias invoked; a permission on the unqualified function does not cover a qualified invoke. */
  readonly qualifier?: string;
  /** @default 'lambda:InvokeFunction' */
  readonly action?: string;
}

/** The outcome of the check, with the statement that allowed it or why none did. */
export interface InvokePermissionDecision {
  readonly allowed: boolean;
  /** The permission that allows the call. */
  readonly statement?: PermissionSpec;
  /** Why each statement that names this principal and action does not apply (empty when one allows). */
  readonly mismatches: string[];
}

/**
 * Evaluates `permissions` for `caller` the way Lambda evaluates a resource-based policy for a cross-account or
 * service caller: the action, principal, qualifier and every condition (source ARN with `*`/`?` wildcards,
 * source account, organization) must match one statement. Same-account IAM callers are allowed by their identity
 * policies instead; that is outside a function's policy and not checked here.
 */
export function checkInvokePermission(permissions: readonly PermissionSpec[], caller: InvokeCaller): InvokePermissionDecision {
  const action = caller.action ?? 'lambda:InvokeFunction';
  const mismatches: string[] = [];
  for (const statement of permissions) {
    if (!actionMatches(statement.action, action) || !principalMatches(statement.principal, caller.principal)) continue;
    const why = conditionMismatch(statement, caller);
    if (why === undefined) return { allowed: true, statement, mismatches: [] };
    mismatches.push(`${statement.logicalId}: ${why}`);
  }
  return { allowed: false, mismatches };
}

/** A one-line description of a permission, for messages. */
export function describePermission(p: PermissionSpec): string {
  const parts = [`${p.logicalId}: ${p.principal} may ${p.action}`];
  if (p.qualifier) parts.push(`on qualifier ${p.qualifier}`);
  if (p.sourceArn) parts.push(`if source ARN is like ${p.sourceArn}`);
  if (p.sourceAccount) parts.push(`if source account is ${p.sourceAccount}`);
  if (p.principalOrgId) parts.push(`if organization is ${p.principalOrgId}`);
  return parts.join(' ');
}

function actionMatches(granted: string, wanted: string): boolean {
  return granted === '*' || granted === 'lambda:*' || granted.toLowerCase() === wanted.toLowerCase();
}

function principalMatches(granted: string, caller: string): boolean {
  if (granted === '*' || granted === caller) return true;
  // An account id (or its root ARN) in a policy stands for every IAM principal of that account.
  const grantedAccount = /^\d{12}$/.exec(granted)?.[0] ?? /^arn:aws[a-zA-Z-]*:iam::(\d{12}):root$/.exec(granted)?.[1];
  if (grantedAccount === undefined) return false;
  const callerAccount = /^\d{12}$/.exec(caller)?.[0] ?? /^arn:aws[a-zA-Z-]*:(?:iam|sts)::(\d{12}):/.exec(caller)?.[1];
  return callerAccount === grantedAccount;
}

function conditionMismatch(p: PermissionSpec, caller: InvokeCaller): string | undefined {
  if ((p.qualifier ?? undefined) !== (caller.qualifier ?? undefined)) {
    return p.qualifier === undefined
      ? `granted on the unqualified function, not on qualifier ${caller.qualifier}`
      : `granted on qualifier ${p.qualifier}, not on ${caller.qualifier === undefined ? 'the unqualified function' : `qualifier ${caller.qualifier}`}`;
  }
  if (p.sourceArn !== undefined) {
    if (caller.sourceArn === undefined) return `needs a source ARN like ${p.sourceArn}`;
    if (!arnLike(p.sourceArn, caller.sourceArn)) return `source ARN ${caller.sourceArn} is not like ${p.sourceArn}`;
  }
  if (p.sourceAccount !== undefined && p.sourceAccount !== caller.sourceAccount) {
    return caller.sourceAccount === undefined ? `needs source account ${p.sourceAccount}` : `source account ${caller.sourceAccount} is not ${p.sourceAccount}`;
  }
  if (p.principalOrgId !== undefined && p.principalOrgId !== caller.principalOrgId) {
    return `needs organization ${p.principalOrgId}`;
  }
  return undefined;
}

/** IAM's ArnLike: `*` matches any run of characters, `?` one character, case-sensitive. */
function arnLike(pattern: string, arn: string): boolean {
  const regex = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${regex}$`).test(arn);
}
