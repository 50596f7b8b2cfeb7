// LambdaValidator: an aspect that applies lambda-twin's rules to every Lambda function, layer, permission and
// Function URL in a scope (plain aws-cdk-lib ones included), plus the public acknowledge/findings helpers.
import { CfnResource, IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { FindingSink, FUNCTION_TYPE, LAYER_TYPE, PERMISSION_TYPE, TRIGGER_TYPES, URL_TYPE } from './context';
import { evaluateFunction, evaluateLayer, evaluatePermission, evaluateScope, evaluateTrigger, evaluateUrl, isSelfValidated } from './evaluate';
import { Finding } from './finding';
import { ValidationPass } from './pass';
import { recordAcknowledgement, surface, unacknowledged } from './report';

/**
 * Options for `LambdaValidator`.
 */
export interface LambdaValidatorProps {
  /**
   * Check that Python/Node.js handlers exist in their asset or inline code.
   * @default true
   */
  readonly checkHandlerInPackage?: boolean;
}

/**
 * Applies lambda-twin's validation rules to every `AWS::Lambda::Function`, `AWS::Lambda::LayerVersion`,
 * `AWS::Lambda::Permission` and `AWS::Lambda::Url` in a scope: `Aspects.of(app).add(new LambdaValidator())`.
 * Errors fail synthesis (all of them listed together); warnings become annotations.
 */
export class LambdaValidator implements IAspect {
  /**
   * Accept a rule on a construct and everything below it, with a reason (like a cdk-nag suppression).
   * The finding is no longer reported; the acknowledgement is recorded as an info annotation.
   * @param construct where the acknowledgement applies
   * @param code the rule code, e.g. `LT601`
   * @param reason why the finding is acceptable
   */
  public static acknowledge(construct: IConstruct, code: string, reason: string): void {
    recordAcknowledgement(construct, code, reason);
  }

  /**
   * All unacknowledged findings (errors and warnings) for the Lambda resources in a scope, without synthesizing.
   * @param scope the app, stage, stack or construct to inspect
   */
  public static findings(scope: IConstruct): Finding[] {
    const sink = new FindingSink();
    evaluateScope(scope, new ValidationPass(), sink);
    return unacknowledged(sink.entries).map((e) => e.finding);
  }

  private readonly checkHandlerInPackage: boolean;
  private readonly registered = new WeakSet<IConstruct>();

  public constructor(props: LambdaValidatorProps = {}) {
    this.checkHandlerInPackage = props.checkHandlerInPackage ?? true;
  }

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || this.registered.has(node)) return;
    const evaluate = this.evaluatorFor(node);
    if (!evaluate) return;
    this.registered.add(node);
    node.node.addValidation({
      validate: () => {
        const sink = new FindingSink();
        evaluate(ValidationPass.of(node), sink);
        return surface(sink.entries, node);
      },
    });
  }

  private evaluatorFor(resource: CfnResource): ((pass: ValidationPass, sink: FindingSink) => void) | undefined {
    switch (resource.cfnResourceType) {
      case FUNCTION_TYPE:
        if (isSelfValidated(resource)) return undefined;
        return (pass, sink) => evaluateFunction(resource, pass, sink, { checkHandlerInPackage: this.checkHandlerInPackage });
      case LAYER_TYPE:
        return isSelfValidated(resource) ? undefined : (pass, sink) => evaluateLayer(resource, pass, sink);
      case PERMISSION_TYPE:
        return (pass, sink) => evaluatePermission(resource, pass, sink, true);
      case URL_TYPE:
        return (pass, sink) => evaluateUrl(resource, pass, sink, true);
      default:
        return TRIGGER_TYPES.includes(resource.cfnResourceType) ? (pass, sink) => evaluateTrigger(resource, pass, sink) : undefined;
    }
  }
}
