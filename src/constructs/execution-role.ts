// ExecutionRole: a least-privilege Lambda execution role. It trusts lambda.amazonaws.com and may write only to the
// function's own log group, with no AWS managed policy (so cdk-nag AwsSolutions-IAM4 stays quiet).
import { ArnFormat, Aws, Stack, Token, aws_iam as iam, aws_lambda as lambda } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledgeRule } from '../validation/cdk-acknowledgement';
import { markTrustsLambda } from '../validation/trust';

/**
 * Properties of an `ExecutionRole`.
 */
export interface ExecutionRoleProps {
  /**
   * Name of the function that will use the role: the role may then write to `/aws/lambda/<functionName>` only.
   * Leave it out when the name is not known yet and call `allowLoggingFor(fn)` (LambdaFunction does this).
   * @default - no log permissions until `allowLoggingFor` is called
   */
  readonly functionName?: string;
  /**
   * A name for the role.
   * @default - CloudFormation generates a unique name
   */
  readonly roleName?: string;
  /**
   * A description of the role.
   * @default - no description
   */
  readonly description?: string;
  /**
   * The permissions boundary of the role.
   * @default - no permissions boundary
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;
}

const LOG_ACTIONS = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];
const IAM5_REASON = 'Log stream names are chosen by Lambda at run time; the wildcard covers only streams of this function\'s own log group.';

/**
 * A Lambda execution role, least privilege by default: trusted by `lambda.amazonaws.com`, allowed to create and write
 * to its function's log group (`arn:<partition>:logs:<region>:<account>:log-group:/aws/lambda/<functionName>:*`) and
 * nothing else. No AWS managed policy is attached.
 */
export class ExecutionRole extends iam.Role {
  /** The service principal an execution role must trust. */
  public static readonly LAMBDA_SERVICE = 'lambda.amazonaws.com';

  public constructor(scope: Construct, id: string, props: ExecutionRoleProps = {}) {
    super(scope, id, {
      assumedBy: new iam.ServicePrincipal(ExecutionRole.LAMBDA_SERVICE),
      roleName: props.roleName,
      description: props.description,
      permissionsBoundary: props.permissionsBoundary,
    });
    markTrustsLambda(this);
    if (props.functionName !== undefined) {
      // A literal statement on the role itself: no extra resource and no policy-document processing at synth.
      const cfnRole = this.node.defaultChild as iam.CfnRole;
      cfnRole.policies = [{
        policyName: 'logs',
        policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: LOG_ACTIONS, Resource: logGroupArn(this, props.functionName) }] },
      }];
      acknowledgeRule(this, `AwsSolutions-IAM5[Resource::${flattenedLogGroupArn(this, props.functionName)}]`, IAM5_REASON);
    }
  }

  /**
   * Allow the role to write to a function's log group. The policy is created inside the function's scope, so it can
   * reference the function's generated name without a circular dependency between the function and its role.
   * It is an L1 `AWS::IAM::Policy` with a literal document: it holds only this statement and costs little at synth.
   * @param fn the function that uses this role
   */
  public allowLoggingFor(fn: lambda.IFunction): iam.CfnPolicy {
    const policy = new iam.CfnPolicy(fn, 'LogsPolicy', {
      policyName: 'logs',
      roles: [this.roleName],
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: LOG_ACTIONS, Resource: logGroupArn(fn, fn.functionName) }],
      },
    });
    // The policy holds nothing but this statement, so acknowledging the rule on it is as narrow as the finding.
    acknowledgeRule(policy, 'AwsSolutions-IAM5', IAM5_REASON);
    return policy;
  }
}

function logGroupArn(scope: Construct, functionName: string): unknown {
  const stack = Stack.of(scope);
  return literalLogGroupArn(stack, functionName) ?? stack.formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: `/aws/lambda/${functionName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/**
 * The log-group ARN exactly as `formatArn` resolves in the template (a string, or an `Fn::Join` of literals and
 * pseudo-parameter references), built as a literal when the name is known and partition, region and account are
 * literals or the plain pseudo parameters. A literal has no token for synthesis to find, resolve and join again, once
 * per function; anything else (a token name, other tokens) returns undefined and goes through `formatArn`.
 */
function literalLogGroupArn(stack: Stack, functionName: string): unknown {
  const env = environmentOf(stack);
  if (Token.isUnresolved(functionName) || !env.literal) return undefined;
  const parts: unknown[] = [];
  for (const part of ['arn:', env.literal.partition, ':logs:', env.literal.region, ':', env.literal.account, `:log-group:/aws/lambda/${functionName}:*`]) {
    const last = parts.length - 1;
    if (typeof part === 'string' && typeof parts[last] === 'string') parts[last] += part;
    else parts.push(typeof part === 'object' ? { ...part } : part); // a fresh { Ref } per document
  }
  return parts.length === 1 ? parts[0] : { 'Fn::Join': ['', parts] };
}

/** A stack's partition, region and account as ARNs need them, worked out once per stack (not once per function). */
interface StackEnvironment {
  /** Each a literal or a pseudo-parameter `{ Ref }`; undefined when one is another token. */
  readonly literal?: { readonly partition: unknown; readonly region: unknown; readonly account: unknown };
  /** Each a literal, or `<AWS::Partition>`-style as cdk-nag flattens intrinsics. */
  readonly flattened: { readonly partition: string; readonly region: string; readonly account: string };
}

const environments = new WeakMap<Stack, StackEnvironment>();

function environmentOf(stack: Stack): StackEnvironment {
  let env = environments.get(stack);
  if (!env) {
    // stack.partition consults feature flags (context) on every read.
    const values = { partition: stack.partition, region: stack.region, account: stack.account };
    const partition = literalOrPseudo(values.partition, Aws.PARTITION, 'AWS::Partition');
    const region = literalOrPseudo(values.region, Aws.REGION, 'AWS::Region');
    const account = literalOrPseudo(values.account, Aws.ACCOUNT_ID, 'AWS::AccountId');
    const flat = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);
    env = {
      literal: partition !== undefined && region !== undefined && account !== undefined ? { partition, region, account } : undefined,
      flattened: { partition: flat(values.partition, 'AWS::Partition'), region: flat(values.region, 'AWS::Region'), account: flat(values.account, 'AWS::AccountId') },
    };
    environments.set(stack, env);
  }
  return env;
}

function literalOrPseudo(value: string, pseudo: string, name: string): unknown {
  if (value === pseudo) return { Ref: name };
  return Token.isUnresolved(value) ? undefined : value;
}

/**
 * The log-group ARN as cdk-nag's AwsSolutions-IAM5 reports it (intrinsics flattened to `<Name>`), so exactly this
 * finding can be acknowledged: log streams cannot be named in advance.
 */
function flattenedLogGroupArn(scope: Construct, functionName: string): string {
  const stack = Stack.of(scope);
  const { partition, region, account } = environmentOf(stack).flattened;
  const name = Token.isUnresolved(functionName) ? `<${String(stack.resolve(functionName)?.Ref ?? functionName)}>` : functionName;
  return `arn:${partition}:logs:${region}:${account}:log-group:/aws/lambda/${name}:*`;
}
