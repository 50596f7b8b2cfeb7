// The rule pack: every lambda-twin rule, listed per resource type in the order findings are reported (as cdk-nag lists
// its rules in a pack). Adding a rule = one file under rules/ plus one line here and its definition in rules.ts.
import type { FunctionRule, LayerRule, PolicyRule } from './rule';
import { environment } from './rules/environment';
import { executionRole } from './rules/execution-role';
import { functionLayers } from './rules/function-layers';
import { functionLimits } from './rules/function-limits';
import { functionUrl } from './rules/function-url';
import { handlerInPackage } from './rules/handler-in-package';
import { handlerString } from './rules/handler-string';
import { inlineCode } from './rules/inline-code';
import { javaHandlerInPackage } from './rules/java-handler-in-package';
import { layerLayout } from './rules/layer-layout';
import { nodeCallbackHandler } from './rules/node-callback-handler';
import { nodeMissingModules } from './rules/node-missing-modules';
import { nodeModuleFormat } from './rules/node-module-format';
import { packageSize } from './rules/package-size';
import { permissionRule } from './rules/permission';
import { policySize } from './rules/policy-size';
import { providedBootstrap } from './rules/provided-bootstrap';
import { pythonMissingImports } from './rules/python-missing-imports';
import { runtimeLifecycle } from './rules/runtime-lifecycle';
import { triggerDefinitions } from './rules/trigger-definitions';

/** The rules run per resource type. */
export interface RulePack {
  readonly function: readonly FunctionRule[];
  readonly layer: readonly LayerRule[];
  readonly permission: readonly PolicyRule[];
  readonly url: readonly PolicyRule[];
  /** Rules over what triggers functions: EventBridge rules, schedules, SNS subscriptions, event source mappings. */
  readonly trigger: readonly PolicyRule[];
}

export const LAMBDA_TWIN_PACK: RulePack = {
  function: [
    runtimeLifecycle,
    handlerString,
    handlerInPackage,
    javaHandlerInPackage,
    providedBootstrap,
    nodeCallbackHandler,
    nodeModuleFormat,
    nodeMissingModules,
    pythonMissingImports,
    functionLimits,
    inlineCode,
    packageSize,
    environment,
    functionLayers,
    policySize,
    executionRole,
  ],
  layer: [layerLayout],
  permission: [permissionRule],
  url: [functionUrl],
  trigger: [triggerDefinitions],
};
