// The shape of a rule: the codes it reports and a check over the facts of one resource. Rules live one per file under
// rules/ and are listed in pack.ts; the evaluator runs the pack's rules per resource type.
import type { FunctionFacts, LayerFacts, ResourceFacts } from './context';
import type { RuleDefinition } from './rules';

/** A rule over a `AWS::Lambda::Function`. */
export interface FunctionRule {
  /** The codes it may report (several when they come from one walk of the same facts). */
  readonly codes: readonly RuleDefinition[];
  check(fn: FunctionFacts): void;
}

/** A rule over a `AWS::Lambda::LayerVersion`. */
export interface LayerRule {
  readonly codes: readonly RuleDefinition[];
  check(layer: LayerFacts): void;
}

/** A rule over a `AWS::Lambda::Permission` or `AWS::Lambda::Url`. */
export interface PolicyRule {
  readonly codes: readonly RuleDefinition[];
  check(resource: ResourceFacts): void;
}
