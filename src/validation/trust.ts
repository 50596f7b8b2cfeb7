// How a role tells validation it trusts lambda.amazonaws.com: a mark on the role construct itself (ExecutionRole sets
// it), read by LT701 and the render fast path, instead of a module-global set.
import { IConstruct } from 'constructs';

const TRUSTS_LAMBDA = Symbol.for('lambda-twin.validation.trusts-lambda');

/** Declares that `role` trusts lambda.amazonaws.com, so LT701 need not render its trust policy. */
export function markTrustsLambda(role: IConstruct): void {
  Object.defineProperty(role, TRUSTS_LAMBDA, { value: true, enumerable: false });
}

/** True when the construct declared (through `markTrustsLambda`) that it trusts lambda.amazonaws.com. */
export function trustsLambda(construct: IConstruct | undefined): boolean {
  return !!construct && (construct as unknown as Record<symbol, unknown>)[TRUSTS_LAMBDA] === true;
}
