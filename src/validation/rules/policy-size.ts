// LT606: the function's resource-based policy (every permission that targets it) stays within 20 KB.
import { LIMITS } from '../../model/platform';
import { FunctionFacts, isKnown, permissionsOf } from '../context';
import type { FunctionRule } from '../rule';
import { RULES } from '../rules';

const POLICY_MAX_BYTES = LIMITS.policyMaxBytes;
/** Characters assumed for a deploy-time value (ARN) when estimating the policy size. */
const UNKNOWN_VALUE_CHARS = 100;

export const policySize: FunctionRule = {
  codes: [RULES.policySize],
  check: checkPolicySize,
};

/** LT606: estimated size of the function's resource-based policy (all permissions that target it). */
function checkPolicySize(fn: FunctionFacts): void {
  const permissions = permissionsOf(fn);
  if (permissions.length === 0) return;
  let bytes = '{"Version":"2012-10-17","Id":"default","Statement":[]}'.length;
  for (const permission of permissions) bytes += statementSize(fn.pass.render(permission).props) + 1;
  if (bytes > POLICY_MAX_BYTES) {
    fn.report(RULES.policySize, `${permissions.length} permissions make a resource-based policy of about ${bytes} bytes; the limit is ${POLICY_MAX_BYTES} bytes.`);
  }
}

function statementSize(p: Record<string, any>): number {
  const value = (v: unknown) => (v === undefined ? undefined : isKnown(v) ? v : 'x'.repeat(UNKNOWN_VALUE_CHARS));
  const condition: Record<string, unknown> = {};
  if (p.SourceArn !== undefined) condition.ArnLike = { 'AWS:SourceArn': value(p.SourceArn) };
  if (p.SourceAccount !== undefined) condition.StringEquals = { 'AWS:SourceAccount': value(p.SourceAccount) };
  if (p.PrincipalOrgID !== undefined) condition.StringEquals = { 'aws:PrincipalOrgID': value(p.PrincipalOrgID) };
  if (p.FunctionUrlAuthType !== undefined) condition.StringEquals = { 'lambda:FunctionUrlAuthType': p.FunctionUrlAuthType };
  const statement = {
    Sid: 'x'.repeat(64),
    Effect: 'Allow',
    Principal: { Service: value(p.Principal) },
    Action: value(p.Action),
    Resource: 'x'.repeat(UNKNOWN_VALUE_CHARS),
    Condition: Object.keys(condition).length ? condition : undefined,
  };
  return JSON.stringify(statement).length;
}
