// The authorizer policy evaluation on its own: Deny wins, wildcards, string or list Action/Resource.
import { evaluatePolicy, policyDocumentProblem, wildcardMatch } from '../../src/engine/http/auth/policy';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:api123/prod/GET/items/7';
const doc = (...Statement: any[]) => ({ Version: '2012-10-17', Statement });

describe('authorizer policy evaluation', () => {
  it('allows a method an Allow statement names exactly', () => {
    expect(evaluatePolicy(doc({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: ARN }), ARN).effect).toBe('Allow');
  });

  it('takes a single statement object as well as a list', () => {
    expect(evaluatePolicy({ Statement: { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: ARN } }, ARN).effect).toBe('Allow');
  });

  it('lets an explicit Deny win over an Allow, whatever the order', () => {
    const allow = { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' };
    const deny = { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:*:*:api123/prod/GET/items/*' };
    expect(evaluatePolicy(doc(allow, deny), ARN).effect).toBe('Deny');
    expect(evaluatePolicy(doc(deny, allow), ARN).effect).toBe('Deny');
  });

  it('denies implicitly when no statement covers the method', () => {
    const r = evaluatePolicy(doc({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: ARN.replace('GET', 'POST') }), ARN);
    expect(r.effect).toBe('None');
    expect(r.reason).toContain(ARN);
  });

  it('matches * across slashes and ? as exactly one character', () => {
    expect(wildcardMatch('arn:aws:execute-api:us-east-1:*:api123/*', ARN, false)).toBe(true);
    expect(wildcardMatch('arn:aws:execute-api:us-east-1:123456789012:api123/prod/GET/items/?', ARN, false)).toBe(true);
    expect(wildcardMatch('arn:aws:execute-api:us-east-1:123456789012:api123/prod/GET/items/??', ARN, false)).toBe(false);
    expect(wildcardMatch('arn:aws:execute-api:us-east-1:123456789012:API123/*', ARN, false)).toBe(false);
  });

  it('covers the action with execute-api:Invoke, execute-api:* or *, in a string or a list, and nothing else', () => {
    for (const Action of ['execute-api:Invoke', 'execute-api:*', '*', ['s3:GetObject', 'execute-api:invoke']]) {
      expect(evaluatePolicy(doc({ Effect: 'Allow', Action, Resource: [ARN] }), ARN).effect).toBe('Allow');
    }
    expect(evaluatePolicy(doc({ Effect: 'Allow', Action: 'execute-api:ManageConnections', Resource: ARN }), ARN).effect).toBe('None');
  });

  it('honours NotResource', () => {
    expect(evaluatePolicy(doc({ Effect: 'Deny', Action: '*', NotResource: ARN }), ARN).effect).toBe('None');
    expect(evaluatePolicy(doc({ Effect: 'Deny', Action: '*', NotResource: `${ARN}/x` }), ARN).effect).toBe('Deny');
  });

  it('names what is wrong with a malformed policy document', () => {
    expect(policyDocumentProblem(undefined)).toMatch(/missing/);
    expect(policyDocumentProblem({ Statement: [] })).toMatch(/no Statement/);
    expect(policyDocumentProblem(doc({ Effect: 'Maybe', Action: '*', Resource: '*' }))).toMatch(/Statement\[0\]\.Effect/);
    expect(policyDocumentProblem(doc({ Effect: 'Allow', Resource: '*' }))).toMatch(/no Action/);
    expect(policyDocumentProblem(doc({ Effect: 'Allow', Action: '*', Resource: '*' }))).toBeUndefined();
  });
});
