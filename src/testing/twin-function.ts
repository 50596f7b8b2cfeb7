// One function of a LocalTwin, as a test names it: what the policy and environment matchers receive
// (`expect(kit.fn('Hello')).toAllowInvokeFrom('s3.amazonaws.com', …)`). Internal to jest users, not jsii.
import { coreOf } from '../core-of';
import { CallerIdentity, evaluateInvokePolicy, PolicyDecision } from '../engine/invoke-api/resource-policy';
import { FunctionSummary, InvokeOptions, InvokeResult, LocalTwin } from '../local-twin';
import { PermissionSpec } from '../model/function-spec';

export class TwinFunction {
  constructor(private readonly resolveTwin: () => LocalTwin, readonly functionRef: string) {}

  /** The twin the function runs on. */
  get twin(): LocalTwin {
    return this.resolveTwin();
  }

  /** Invokes the function (the options are `LocalTwin.invoke`'s). */
  async invoke(options: InvokeOptions = {}): Promise<InvokeResult> {
    return this.twin.invoke(this.functionRef, options);
  }

  /** The function's resolved configuration (environment as the process gets it, memory, timeout …). */
  summary(): FunctionSummary {
    const { spec } = coreOf(this.twin).resolveFunction(this.functionRef);
    const summary = this.twin.functions().find((f) => f.logicalId === spec.logicalId && f.stackName === spec.stackName);
    if (!summary) throw new Error(`Function ${this.functionRef} is not in this twin`);
    return summary;
  }

  /** The function's resource-based policy statements (`AWS::Lambda::Permission`s). */
  permissions(): PermissionSpec[] {
    return [...coreOf(this.twin).resolveFunction(this.functionRef).spec.permissions];
  }

  /**
   * Whether `caller` may invoke the function: the same policy evaluation `invoke({ principal, … })` and the Invoke
   * API run before an invoke, without running the function.
   */
  checkInvoke(caller: CallerIdentity, qualifier?: string, action = 'lambda:InvokeFunction'): PolicyDecision {
    const { spec } = coreOf(this.twin).resolveFunction(this.functionRef);
    return evaluateInvokePolicy(spec, { caller, action, qualifier });
  }

  toString(): string {
    return `function ${this.functionRef}`;
  }
}
