// The resource-based policy evaluation on its own: principals, actions, ArnLike source ARNs, source accounts,
// organizations and qualifier scope, as IAM matches them for Lambda.
import { actionMatches, arnLike, evaluateInvokePolicy, principalMatches } from '../../src/engine/invoke-api/resource-policy';
import { PermissionSpec } from '../../src/model/function-spec';

const OWNER = '123456789012';
function fn(...permissions: Array<Partial<PermissionSpec> & { principal: string }>) {
  return {
    functionName: 'orders',
    accountId: OWNER,
    permissions: permissions.map((p, i) => ({ logicalId: `P${i}`, action: 'lambda:InvokeFunction', ...p })),
  };
}
const invoke = (caller: object, qualifier?: string) => ({ caller, action: 'lambda:InvokeFunction', qualifier });

describe('evaluateInvokePolicy', () => {
  it('allows the function\'s own account without any statement', () => {
    expect(evaluateInvokePolicy(fn(), invoke({})).allowed).toBe(true);
    expect(evaluateInvokePolicy(fn(), invoke({ principal: `arn:aws:iam::${OWNER}:role/dev` })).allowed).toBe(true);
  });

  it('denies a service principal when no statement names it, and says why', () => {
    const decision = evaluateInvokePolicy(fn(), invoke({ principal: 's3.amazonaws.com' }));
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toContain('no resource-based policy statements');
  });

  it('allows S3 bucket X and denies bucket Y when the statement has SourceArn X', () => {
    const policy = fn({ principal: 's3.amazonaws.com', sourceArn: 'arn:aws:s3:::bucket-x', sourceAccount: OWNER });
    expect(evaluateInvokePolicy(policy, invoke({ principal: 's3.amazonaws.com', sourceArn: 'arn:aws:s3:::bucket-x', sourceAccount: OWNER }))).toMatchObject({ allowed: true, statementId: 'P0' });
    const denied = evaluateInvokePolicy(policy, invoke({ principal: 's3.amazonaws.com', sourceArn: 'arn:aws:s3:::bucket-y', sourceAccount: OWNER }));
    expect(denied.allowed).toBe(false);
    expect(denied.reason).toContain('source ARN arn:aws:s3:::bucket-y is not like arn:aws:s3:::bucket-x');
  });

  it('requires the source ARN and source account when the statement has them', () => {
    const policy = fn({ principal: 's3.amazonaws.com', sourceArn: 'arn:aws:s3:::bucket-x', sourceAccount: OWNER });
    expect(evaluateInvokePolicy(policy, invoke({ principal: 's3.amazonaws.com' })).allowed).toBe(false);
    expect(evaluateInvokePolicy(policy, invoke({ principal: 's3.amazonaws.com', sourceArn: 'arn:aws:s3:::bucket-x', sourceAccount: '999999999999' })).allowed).toBe(false);
  });

  it('denies SNS when only S3 is allowed', () => {
    const policy = fn({ principal: 's3.amazonaws.com' });
    expect(evaluateInvokePolicy(policy, invoke({ principal: 'sns.amazonaws.com', sourceArn: 'arn:aws:sns:us-east-1:123456789012:t' })).allowed).toBe(false);
  });

  it('matches an account principal for any IAM principal of that account, and the :root form alike', () => {
    expect(evaluateInvokePolicy(fn({ principal: '111122223333' }), invoke({ principal: 'arn:aws:iam::111122223333:role/r' })).allowed).toBe(true);
    expect(evaluateInvokePolicy(fn({ principal: 'arn:aws:iam::111122223333:root' }), invoke({ principal: '111122223333' })).allowed).toBe(true);
    expect(evaluateInvokePolicy(fn({ principal: '111122223333' }), invoke({ principal: '444455556666' })).allowed).toBe(false);
  });

  it('scopes a statement on an alias to that alias only', () => {
    const policy = fn({ principal: '111122223333', qualifier: 'live' });
    expect(evaluateInvokePolicy(policy, invoke({ principal: '111122223333' }, 'live')).allowed).toBe(true);
    expect(evaluateInvokePolicy(policy, invoke({ principal: '111122223333' })).allowed).toBe(false);
    expect(evaluateInvokePolicy(policy, invoke({ principal: '111122223333' }, '1')).allowed).toBe(false);
    const unqualified = fn({ principal: '111122223333' });
    expect(evaluateInvokePolicy(unqualified, invoke({ principal: '111122223333' }, '$LATEST')).allowed).toBe(true);
    expect(evaluateInvokePolicy(unqualified, invoke({ principal: '111122223333' }, 'live')).allowed).toBe(false);
  });

  it('checks PrincipalOrgID against what the caller presents', () => {
    const policy = fn({ principal: '*', principalOrgId: 'o-abc' });
    expect(evaluateInvokePolicy(policy, invoke({ principal: 'arn:aws:iam::444455556666:user/u', principalOrgId: 'o-abc' })).allowed).toBe(true);
    expect(evaluateInvokePolicy(policy, invoke({ principal: 'arn:aws:iam::444455556666:user/u' })).allowed).toBe(false);
  });

  it('does not let a function URL permission allow the Invoke API', () => {
    const policy = fn({ principal: '*', action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: 'NONE' });
    expect(evaluateInvokePolicy(policy, invoke({ principal: 'arn:aws:iam::444455556666:user/u' })).allowed).toBe(false);
    expect(evaluateInvokePolicy(policy, { caller: { principal: '*' }, action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: 'NONE' }).allowed).toBe(true);
    expect(evaluateInvokePolicy(policy, { caller: { principal: '*' }, action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: 'AWS_IAM' }).allowed).toBe(false);
  });

  it('never matches a value the loader could not resolve', () => {
    const policy = fn({ principal: 's3.amazonaws.com', sourceArn: '<unresolved: Fn::ImportValue Bucket>' });
    expect(evaluateInvokePolicy(policy, invoke({ principal: 's3.amazonaws.com', sourceArn: 'arn:aws:s3:::b' })).allowed).toBe(false);
  });
});

describe('IAM matching helpers', () => {
  it('matches actions case-insensitively with wildcards', () => {
    expect(actionMatches('lambda:*', 'lambda:InvokeFunction')).toBe(true);
    expect(actionMatches('*', 'lambda:InvokeFunction')).toBe(true);
    expect(actionMatches('lambda:invoke*', 'lambda:InvokeFunction')).toBe(true);
    expect(actionMatches('lambda:InvokeFunctionUrl', 'lambda:InvokeFunction')).toBe(false);
    expect(actionMatches('lambda:Get*', 'lambda:InvokeFunction')).toBe(false);
  });

  it('compares ARNs part by part with * and ?', () => {
    expect(arnLike('arn:aws:s3:::bucket-x', 'arn:aws:s3:::bucket-*')).toBe(true);
    expect(arnLike('arn:aws:sns:us-east-1:123456789012:topic', 'arn:aws:sns:*:123456789012:*')).toBe(true);
    expect(arnLike('arn:aws:sns:us-east-1:999999999999:topic', 'arn:aws:sns:*:123456789012:*')).toBe(false);
    expect(arnLike('arn:aws:execute-api:us-east-1:123456789012:api/prod/GET/region', 'arn:aws:execute-api:us-east-1:123456789012:api/*/GET/region')).toBe(true);
    expect(arnLike('arn:aws:s3:::bucket-x', 'arn:aws:s3:::bucket-?')).toBe(true);
    expect(arnLike('arn:aws:s3:::bucket-xy', 'arn:aws:s3:::bucket-?')).toBe(false);
    // A wildcard does not reach across the parts of an ARN.
    expect(arnLike('arn:aws:s3:us-east-1::b', 'arn:aws:s3:*')).toBe(false);
  });

  it('treats * as anyone and a service principal by equality', () => {
    expect(principalMatches('*', 'events.amazonaws.com', undefined)).toBe(true);
    expect(principalMatches('events.amazonaws.com', 'events.amazonaws.com', undefined)).toBe(true);
    expect(principalMatches('events.amazonaws.com', 'sqs.amazonaws.com', undefined)).toBe(false);
  });
});
