// Runs the rule families over Lambda L1 resources: one entry point per resource type, shared by LambdaFunction,
// LambdaLayer and the LambdaValidator aspect, so every rule is implemented once over the rendered L1 properties.
import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { FindingSink, FUNCTION_TYPE, FunctionFacts, LAYER_TYPE, PERMISSION_TYPE, RuleOptions, URL_TYPE, functionKey, indexOf, referencedLogicalId, render } from './context';
import { checkEnvironment } from './environment';
import { checkExecutionRole } from './execution-role';
import { checkHandler } from './handler';
import { checkFunctionLayers, checkLayerLayout } from './layers';
import { checkLimits } from './limits';
import { checkFunctionUrl, checkPermission, checkPolicySize, permissionsOf, urlsOf } from './permissions';
import { checkRuntimeLifecycle, currentTime } from './runtime-lifecycle';

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

/** All function rules; with `includeRelated`, also the permissions and URLs that target the function. */
export function evaluateFunction(resource: CfnResource, sink: FindingSink, defaults: Partial<RuleOptions> = {}, includeRelated = false): void {
  const index = indexOf(Stack.of(resource));
  const fn = new FunctionFacts(resource, index, optionsFor(resource, defaults), sink);
  checkRuntimeLifecycle(fn);
  checkHandler(fn);
  checkLimits(fn);
  checkEnvironment(fn);
  checkFunctionLayers(fn);
  checkPolicySize(fn);
  checkExecutionRole(fn);
  if (includeRelated) {
    for (const permission of permissionsOf(fn)) checkPermission(permission, index, sink);
    for (const url of urlsOf(fn)) checkFunctionUrl(url, sink);
  }
}

/** Layer layout (LT504). */
export function evaluateLayer(resource: CfnResource, sink: FindingSink): void {
  checkLayerLayout(resource, indexOf(Stack.of(resource)), sink);
}

/** Permission rules; skipped when `skipSelfValidated` and the target is a LambdaFunction (it reports them). */
export function evaluatePermission(resource: CfnResource, sink: FindingSink, skipSelfValidated = false): void {
  if (skipSelfValidated && targetIsSelfValidated(resource, render(resource).props.FunctionName)) return;
  checkPermission(resource, indexOf(Stack.of(resource)), sink);
}

/** Function URL rules; skipped like permissions. */
export function evaluateUrl(resource: CfnResource, sink: FindingSink, skipSelfValidated = false): void {
  if (skipSelfValidated && targetIsSelfValidated(resource, render(resource).props.TargetFunctionArn)) return;
  checkFunctionUrl(resource, sink);
}

function targetIsSelfValidated(resource: CfnResource, target: unknown): boolean {
  if (!functionKey(target)) return false;
  const id = referencedLogicalId(target);
  const fn = id ? indexOf(Stack.of(resource)).resource(id) : undefined;
  return !!fn && isSelfValidated(fn);
}

/** Evaluates every Lambda resource under a scope exactly once. */
export function evaluateScope(scope: IConstruct, sink: FindingSink, defaults: Partial<RuleOptions> = {}): void {
  for (const c of scope.node.findAll()) {
    if (!CfnResource.isCfnResource(c)) continue;
    switch (c.cfnResourceType) {
      case FUNCTION_TYPE: evaluateFunction(c, sink, defaults); break;
      case LAYER_TYPE: evaluateLayer(c, sink); break;
      case PERMISSION_TYPE: evaluatePermission(c, sink); break;
      case URL_TYPE: evaluateUrl(c, sink); break;
      default: break;
    }
  }
}
