// Runs the rule families over Lambda L1 resources: one entry point per resource type, shared by LambdaFunction,
// LambdaLayer and the LambdaValidator aspect, so every rule is implemented once over the rendered L1 properties.
import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { currentTime } from './clock';
import { FindingSink, FUNCTION_TYPE, FunctionFacts, LAYER_TYPE, LayerFacts, PERMISSION_TYPE, ResourceFacts, RuleOptions, TRIGGER_TYPES, URL_TYPE, functionKey, permissionsOf, referencedLogicalId, urlsOf } from './context';
import { LAMBDA_TWIN_PACK } from './pack';
import { ValidationPass } from './pass';
import { RULES } from './rules';

/** Per-construct options set by LambdaFunction (e.g. `checkHandlerInPackage: false`). */
const constructOptions = new WeakMap<IConstruct, Partial<RuleOptions>>();
/** Constructs that validate themselves (LambdaFunction, LambdaLayer); the aspect leaves their resources alone. */
const selfValidating = new WeakSet<IConstruct>();

export function markSelfValidating(construct: IConstruct, options: Partial<RuleOptions> = {}): void {
  selfValidating.add(construct);
  constructOptions.set(construct, options);
}

/** True when the resource's owning L2 validates it itself. */
export function isSelfValidated(resource: CfnResource): boolean {
  const owner = resource.node.scope;
  return !!owner && selfValidating.has(owner);
}

function optionsFor(resource: CfnResource, defaults: Partial<RuleOptions>): RuleOptions {
  const own = resource.node.scope ? constructOptions.get(resource.node.scope) : undefined;
  return {
    now: own?.now ?? defaults.now ?? currentTime(),
    checkHandlerInPackage: own?.checkHandlerInPackage ?? defaults.checkHandlerInPackage ?? true,
  };
}

/** Reports LT001 when the resource could not be rendered; true when the rules can look at it. */
function rendered(facts: ResourceFacts): boolean {
  if (facts.renderFailure === undefined) return true;
  facts.report(RULES.renderFailed, `The resource's properties could not be resolved (${facts.renderFailure}), so no other rule checked it.`);
  return false;
}

/** All function rules; with `includeRelated`, also the permissions and URLs that target the function. */
export function evaluateFunction(
  resource: CfnResource, pass: ValidationPass, sink: FindingSink, defaults: Partial<RuleOptions> = {}, includeRelated = false,
): void {
  const options = optionsFor(resource, defaults);
  const fn = new FunctionFacts(resource, pass, options, sink);
  if (!rendered(fn)) return;
  for (const rule of LAMBDA_TWIN_PACK.function) rule.check(fn);
  if (includeRelated) {
    for (const permission of permissionsOf(fn)) checkPolicy(permission, pass, sink, options, LAMBDA_TWIN_PACK.permission);
    for (const url of urlsOf(fn)) checkPolicy(url, pass, sink, options, LAMBDA_TWIN_PACK.url);
  }
}

function checkPolicy(resource: CfnResource, pass: ValidationPass, sink: FindingSink, options: RuleOptions, rules: typeof LAMBDA_TWIN_PACK.url): void {
  const facts = new ResourceFacts(resource, pass, options, sink);
  if (!rendered(facts)) return;
  for (const rule of rules) rule.check(facts);
}

/** Layer rules (LT504). */
export function evaluateLayer(resource: CfnResource, pass: ValidationPass, sink: FindingSink): void {
  const layer = new LayerFacts(resource, pass, optionsFor(resource, {}), sink);
  if (!rendered(layer)) return;
  for (const rule of LAMBDA_TWIN_PACK.layer) rule.check(layer);
}

/** Permission rules; skipped when `skipSelfValidated` and the target is a LambdaFunction (it reports them). */
export function evaluatePermission(resource: CfnResource, pass: ValidationPass, sink: FindingSink, skipSelfValidated = false): void {
  if (skipSelfValidated && targetIsSelfValidated(resource, pass, pass.render(resource).props.FunctionName)) return;
  checkPolicy(resource, pass, sink, optionsFor(resource, {}), LAMBDA_TWIN_PACK.permission);
}

/** Function URL rules; skipped like permissions. */
export function evaluateUrl(resource: CfnResource, pass: ValidationPass, sink: FindingSink, skipSelfValidated = false): void {
  if (skipSelfValidated && targetIsSelfValidated(resource, pass, pass.render(resource).props.TargetFunctionArn)) return;
  checkPolicy(resource, pass, sink, optionsFor(resource, {}), LAMBDA_TWIN_PACK.url);
}

/** Trigger rules (LT801-LT804) over an EventBridge rule, a schedule, an SNS subscription or an event source mapping. */
export function evaluateTrigger(resource: CfnResource, pass: ValidationPass, sink: FindingSink): void {
  checkPolicy(resource, pass, sink, optionsFor(resource, {}), LAMBDA_TWIN_PACK.trigger);
}

function targetIsSelfValidated(resource: CfnResource, pass: ValidationPass, target: unknown): boolean {
  if (!functionKey(target)) return false;
  const id = referencedLogicalId(target);
  const fn = id ? pass.index(resource.stack).resource(id) : undefined;
  return !!fn && isSelfValidated(fn);
}

/** Evaluates every Lambda resource under a scope exactly once. */
export function evaluateScope(scope: IConstruct, pass: ValidationPass, sink: FindingSink, defaults: Partial<RuleOptions> = {}): void {
  for (const c of scope.node.findAll()) {
    if (!CfnResource.isCfnResource(c)) continue;
    switch (c.cfnResourceType) {
      case FUNCTION_TYPE: evaluateFunction(c, pass, sink, defaults); break;
      case LAYER_TYPE: evaluateLayer(c, pass, sink); break;
      case PERMISSION_TYPE: evaluatePermission(c, pass, sink); break;
      case URL_TYPE: evaluateUrl(c, pass, sink); break;
      default:
        if (TRIGGER_TYPES.includes(c.cfnResourceType)) evaluateTrigger(c, pass, sink);
        break;
    }
  }
}
