// LambdaFunction: an aws-cdk-lib `Function` that lambda-twin validates at synth (all rules, reported together) and
// runs locally; by default it gets a least-privilege ExecutionRole instead of AWSLambdaBasicExecutionRole.
import { createHash } from 'crypto';
import { CfnResource, IResolvable, IResolveContext, SizeRoundingBehavior, Stack, Token, aws_lambda as lambda } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ExecutionRole } from './execution-role';
import { LIMITS, PATTERNS, RESERVED_ENVIRONMENT_KEYS } from '../model/platform';
import { FindingSink } from '../validation/context';
import { evaluateFunction, markSelfValidating } from '../validation/evaluate';
import { ValidationPass } from '../validation/pass';
import { surface } from '../validation/report';

/**
 * Properties of a `LambdaFunction`: everything aws-cdk-lib's `FunctionProps` takes, plus validation options.
 */
export interface LambdaFunctionProps extends lambda.FunctionProps {
  /**
   * Check that the handler's file exists in the asset (directory or zip) or inline code and defines the handler
   * function (Python and Node.js). Switch it off when the file is generated after synthesis.
   * @default true
   */
  readonly checkHandlerInPackage?: boolean;
}

/** Values aws-cdk-lib would reject eagerly (one at a time); kept aside and re-applied so our rules report them all. */
interface DeferredValues {
  functionName?: string;
  description?: string;
  ephemeralMiB?: number;
  readonly environment: Record<string, string>;
  readonly layers: lambda.ILayerVersion[];
}

/**
 * A Lambda function. It is a full `aws_lambda.Function` (grants, event sources, aliases, URLs all work),
 * synthesizes to `AWS::Lambda::Function` plus its execution role, and runs unchanged on the local twin.
 *
 * At synthesis it checks its handler, runtime lifecycle, limits, environment, layers, execution role and
 * resource-based policy, and fails listing every problem with its code (`LT101`…). Acknowledge a rule with
 * `LambdaValidator.acknowledge(fn, 'LT601', 'reason')`.
 *
 * Without `role`, it gets an `ExecutionRole` allowed to write only to its own log group. Without `functionName`,
 * the function is then named `<stackName>-<construct path>-<hash>` (at most 64 characters) so the role can name that
 * log group without a circular dependency.
 */
export class LambdaFunction extends lambda.Function {
  private readonly deferredEnvironment: Record<string, string>;

  public constructor(scope: Construct, id: string, props: LambdaFunctionProps) {
    const { accepted, deferred } = deferEagerChecks(props);
    // A known name lets the execution role be scoped to the function's log group with a statement on the role itself;
    // referencing a generated name from the role would be a circular dependency.
    const functionName = props.functionName ?? (props.role ? undefined : defaultFunctionName(scope, id));
    // The role must exist before super() runs, so it is a sibling of the function (aws-cdk-lib's is a child).
    const role = props.role ?? new ExecutionRole(scope, `${id}ExecutionRole`, { functionName });
    super(scope, id, { ...accepted, functionName: accepted.functionName ?? (props.functionName ? undefined : functionName), role });
    this.deferredEnvironment = deferred.environment;
    if (role instanceof ExecutionRole && !props.role && functionName === undefined) role.allowLoggingFor(this);
    this.reapply(deferred);
    markSelfValidating(this, { checkHandlerInPackage: props.checkHandlerInPackage ?? true });
    this.node.addValidation({
      validate: () => {
        const sink = new FindingSink();
        evaluateFunction(this.node.defaultChild as CfnResource, ValidationPass.of(this), sink, {}, true);
        return surface(sink.entries, this);
      },
    });
  }

  /**
   * Adds an environment variable. Reserved keys are reported at synth (LT402) with all other problems
   * instead of throwing here.
   */
  public addEnvironment(key: string, value: string, options?: lambda.EnvironmentOptions): this {
    if (RESERVED_ENVIRONMENT_KEYS.includes(key) && this.deferredEnvironment) {
      this.deferredEnvironment[key] = value;
      (this.node.defaultChild as lambda.CfnFunction).addPropertyOverride(`Environment.Variables.${key}`, value);
      return this;
    }
    return super.addEnvironment(key, value, options);
  }

  private reapply(deferred: DeferredValues): void {
    const cfn = this.node.defaultChild as lambda.CfnFunction;
    if (deferred.functionName !== undefined) cfn.functionName = deferred.functionName;
    if (deferred.description !== undefined) cfn.description = deferred.description;
    if (deferred.ephemeralMiB !== undefined) cfn.ephemeralStorage = { size: deferred.ephemeralMiB };
    for (const [key, value] of Object.entries(deferred.environment)) cfn.addPropertyOverride(`Environment.Variables.${key}`, value);
    if (deferred.layers.length) {
      const original = cfn.layers;
      const extra = deferred.layers.map((l) => l.layerVersionArn);
      const allLayers: IResolvable = {
        creationStack: [],
        resolve: (ctx: IResolveContext) => [...((ctx.resolve(original) as unknown[] | undefined) ?? []), ...extra],
        toString: () => 'LambdaFunctionLayers',
      };
      cfn.addPropertyOverride('Layers', allLayers);
    }
  }
}

/**
 * `<stackName>-<construct path>-<hash>`, at most 64 characters: unique per stack and stable across deployments.
 * Undefined when the stack name is a token (nested stacks); the role then gets a separate log policy.
 */
function defaultFunctionName(scope: Construct, id: string): string | undefined {
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.stackName)) return undefined;
  const scopes = scope.node.scopes;
  const relative = [...scopes.slice(scopes.indexOf(stack) + 1).map((s) => s.node.id), id].join('/');
  const hash = createHash('sha256').update(`${stack.stackName}/${relative}`).digest('hex').slice(0, 8);
  const readable = `${stack.stackName}-${relative}`.replace(/[^a-zA-Z0-9-_]/g, '').slice(0, LIMITS.functionNameMax - hash.length - 1);
  return `${readable}-${hash}`;
}

/**
 * aws-cdk-lib throws on the first bad name, description, /tmp size, reserved env key, sixth or incompatible layer,
 * or inline code on a compiled runtime. Keep those values aside so synthesis reports every problem together.
 */
function deferEagerChecks(props: LambdaFunctionProps): { accepted: lambda.FunctionProps; deferred: DeferredValues } {
  const { checkHandlerInPackage: _ignored, ...rest } = props;
  const accepted: { -readonly [K in keyof lambda.FunctionProps]: lambda.FunctionProps[K] } = { ...rest };
  const deferred: DeferredValues = { environment: {}, layers: [] };
  const name = props.functionName;
  if (name !== undefined && !Token.isUnresolved(name) && (name.length > LIMITS.functionNameMax || !PATTERNS.functionName.test(name))) {
    deferred.functionName = name;
    accepted.functionName = undefined;
  }
  const description = props.description;
  if (description !== undefined && !Token.isUnresolved(description) && description.length > LIMITS.descriptionMax) {
    deferred.description = description;
    accepted.description = undefined;
  }
  const storage = props.ephemeralStorageSize;
  if (storage && !storage.isUnresolved()) {
    const mib = storage.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
    if (!Number.isInteger(mib) || mib < LIMITS.ephemeralMin || mib > LIMITS.ephemeralMax) {
      deferred.ephemeralMiB = mib;
      accepted.ephemeralStorageSize = undefined;
    }
  }
  if (props.environment) {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(props.environment)) {
      if (RESERVED_ENVIRONMENT_KEYS.includes(key)) deferred.environment[key] = value;
      else env[key] = value;
    }
    accepted.environment = env;
  }
  if (props.layers) {
    const kept: lambda.ILayerVersion[] = [];
    for (const layer of props.layers) {
      const compatible = !layer.compatibleRuntimes || layer.compatibleRuntimes.some((r) => r.runtimeEquals(props.runtime));
      if (kept.length < LIMITS.layersMax && compatible) kept.push(layer);
      else deferred.layers.push(layer);
    }
    accepted.layers = kept;
  }
  if (props.code instanceof lambda.InlineCode && !props.runtime.supportsInlineCode) {
    // Same identifier, so the template is unchanged; LT307 reports the problem at synth.
    accepted.runtime = new lambda.Runtime(props.runtime.name, props.runtime.family, { supportsInlineCode: true });
  }
  return { accepted, deferred };
}
