// Resource-based policy rules over AWS::Lambda::Permission and AWS::Lambda::Url (LT601-LT608): confused deputy,
// action/account/organization formats, public principals, the 20 KB policy size and Function URL auth types.
import { CfnResource } from 'aws-cdk-lib';
import { FindingSink, FunctionFacts, StackIndex, functionKey, isKnown, render } from './context';
import { RULES } from './rules';
import { LIMITS, PATTERNS } from '../model/platform';

const { permissionAction: PERMISSION_ACTION, accountId: ACCOUNT_ID, organizationId: ORGANIZATION_ID } = PATTERNS;
const POLICY_MAX_BYTES = LIMITS.policyMaxBytes;
/** Characters assumed for a deploy-time value (ARN) when estimating the policy size. */
const UNKNOWN_VALUE_CHARS = 100;

function isServicePrincipal(principal: unknown): principal is string {
  return typeof principal === 'string' && /\.amazonaws\.com(\.cn)?$/.test(principal);
}

/** LT601-LT605 and LT608 for one permission. */
export function checkPermission(permission: CfnResource, index: StackIndex, sink: FindingSink): void {
  const p = render(permission).props;
  const report = (rule: typeof RULES.confusedDeputy, message: string) => sink.report(permission, rule, message);
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
    for (const url of index.urlsByFunction.get(functionKey(p.FunctionName) ?? '') ?? []) {
      const authType = render(url).props.AuthType;
      if (typeof authType === 'string' && authType !== p.FunctionUrlAuthType) {
        report(RULES.urlAuthMismatch, `The permission is for functionUrlAuthType ${p.FunctionUrlAuthType} but Function URL ${url.node.path} uses ${authType}.`);
      }
    }
  }
}

/** LT607 for a Function URL. */
export function checkFunctionUrl(url: CfnResource, sink: FindingSink): void {
  if (render(url).props.AuthType === 'NONE') {
    sink.report(url, RULES.publicUrl, 'The Function URL has auth type NONE: anyone on the internet can invoke the function.');
  }
}

/** LT606: estimated size of the function's resource-based policy (all permissions that target it). */
export function checkPolicySize(fn: FunctionFacts): void {
  const permissions = permissionsOf(fn);
  if (permissions.length === 0) return;
  let bytes = '{"Version":"2012-10-17","Id":"default","Statement":[]}'.length;
  for (const permission of permissions) bytes += statementSize(render(permission).props) + 1;
  if (bytes > POLICY_MAX_BYTES) {
    fn.report(RULES.policySize, `${permissions.length} permissions make a resource-based policy of about ${bytes} bytes; the limit is ${POLICY_MAX_BYTES} bytes.`);
  }
}

/** The permissions in the stack that target this function (by reference or literal name). */
export function permissionsOf(fn: FunctionFacts): CfnResource[] {
  if (fn.index.permissionsByFunction.size === 0) return [];
  const byRef = fn.index.permissionsByFunction.get(`ref:${fn.logicalId}`) ?? [];
  const name = fn.props.FunctionName;
  const byName = typeof name === 'string' ? fn.index.permissionsByFunction.get(`name:${name}`) ?? [] : [];
  return [...byRef, ...byName];
}

/** The Function URLs in the stack that target this function. */
export function urlsOf(fn: FunctionFacts): CfnResource[] {
  if (fn.index.urlsByFunction.size === 0) return [];
  return fn.index.urlsByFunction.get(`ref:${fn.logicalId}`) ?? [];
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
