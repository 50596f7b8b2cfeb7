// LT701: a role given to a function must trust lambda.amazonaws.com, checked when the role is defined in the same
// stack (an imported role ARN cannot be inspected at synth).
import { FunctionFacts, ROLE_TYPE, isKnown, referencedLogicalId } from '../context';
import type { FunctionRule } from '../rule';
import { RULES } from '../rules';
import { trustsLambda } from '../trust';

export const executionRole: FunctionRule = {
  codes: [RULES.roleTrust],
  check: checkExecutionRole,
};

const LAMBDA_SERVICE = 'lambda.amazonaws.com';

function checkExecutionRole(fn: FunctionFacts): void {
  if (fn.pass.usesTrustedRole(fn.resource)) return; // known without resolving the Role reference
  const id = referencedLogicalId(fn.props.Role);
  const role = id ? fn.index.resource(id) : undefined;
  if (!role || role.cfnResourceType !== ROLE_TYPE) return;
  if (trustsLambda(role.node.scope)) return;
  const trust = fn.pass.render(role).props.AssumeRolePolicyDocument;
  const statements: any[] = Array.isArray(trust?.Statement) ? trust.Statement : trust?.Statement ? [trust.Statement] : [];
  let undetermined = false;
  const trusted = statements.some((s) => {
    if (s?.Effect !== 'Allow') return false;
    const actions = ([] as unknown[]).concat(s.Action ?? []);
    if (!actions.some((a) => a === 'sts:AssumeRole' || a === 'sts:*' || a === '*')) return false;
    const services = ([] as unknown[]).concat(s.Principal?.Service ?? []);
    if (!isKnown(services)) undetermined = true;
    return services.includes(LAMBDA_SERVICE) || s.Principal === '*' || s.Principal?.AWS === '*';
  });
  if (!trusted && !undetermined) {
    fn.report(RULES.roleTrust, `Role ${role.node.path} does not allow ${LAMBDA_SERVICE} to sts:AssumeRole, so Lambda cannot use it as the execution role.`);
  }
}
