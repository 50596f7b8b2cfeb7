// LT601-LT605, LT608 for one AWS::Lambda::Permission: confused deputy, action/account/organization formats, public
// principals, and a Function URL auth type that matches the URL's.
import { PATTERNS } from '../../model/platform';
import { ResourceFacts, functionKey } from '../context';
import type { PolicyRule } from '../rule';
import { RULES } from '../rules';

const { permissionAction: PERMISSION_ACTION, accountId: ACCOUNT_ID, organizationId: ORGANIZATION_ID } = PATTERNS;

export const permissionRule: PolicyRule = {
  codes: [RULES.confusedDeputy, RULES.permissionAction, RULES.sourceAccount, RULES.organizationId, RULES.publicPrincipal, RULES.urlAuthMismatch],
  check: checkPermission,
};

function isServicePrincipal(principal: unknown): principal is string {
  return typeof principal === 'string' && /\.amazonaws\.com(\.cn)?$/.test(principal);
}

/** LT601-LT605 and LT608 for one permission. */
function checkPermission(permission: ResourceFacts): void {
  const p = permission.props;
  const report = (rule: typeof RULES.confusedDeputy, message: string) => permission.report(rule, message);
  const hasSource = p.SourceArn !== undefined || p.SourceAccount !== undefined;
  if (typeof p.Action === 'string' && !PERMISSION_ACTION.test(p.Action)) {
    report(RULES.permissionAction, `Action "${p.Action}" is not lambda:<Action>, lambda:* or *.`);
  }
  if (typeof p.SourceAccount === 'string' && !ACCOUNT_ID.test(p.SourceAccount)) {
    report(RULES.sourceAccount, `sourceAccount "${p.SourceAccount}" is not a 12-digit AWS account id.`);
  }
  if (typeof p.PrincipalOrgID === 'string' && !ORGANIZATION_ID.test(p.PrincipalOrgID)) {
    report(RULES.organizationId, `principalOrgId "${p.PrincipalOrgID}" does not match o-[a-z0-9]{10,32}.`);
  }
  if (isServicePrincipal(p.Principal) && !hasSource) {
    report(RULES.confusedDeputy, `Service principal ${p.Principal} may invoke the function without sourceArn or sourceAccount, so any account's ${p.Principal.split('.')[0]} resources can (confused deputy).`);
  }
  const publicUrl = p.FunctionUrlAuthType === 'NONE' || p.InvokedViaFunctionUrl === true;
  if (p.Principal === '*' && !hasSource && p.PrincipalOrgID === undefined && !publicUrl) {
    report(RULES.publicPrincipal, 'Principal "*" without sourceArn, sourceAccount or principalOrgId lets anyone invoke the function.');
  }
  if (typeof p.FunctionUrlAuthType === 'string') {
    for (const url of permission.index.urlsByFunction.get(functionKey(p.FunctionName) ?? '') ?? []) {
      const authType = permission.pass.render(url).props.AuthType;
      if (typeof authType === 'string' && authType !== p.FunctionUrlAuthType) {
        report(RULES.urlAuthMismatch, `The permission is for functionUrlAuthType ${p.FunctionUrlAuthType} but Function URL ${url.node.path} uses ${authType}.`);
      }
    }
  }
}

