// ExecutionRole: a least-privilege Lambda execution role. It trusts lambda.amazonaws.com and may write only to the
// function's own log group, with no AWS managed policy (so cdk-nag AwsSolutions-IAM4 stays quiet).
import { ArnFormat, Stack, Validations, aws_iam as iam, aws_lambda as lambda } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { LAMBDA_TRUSTED_ROLES } from '../validation/context';

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
    LAMBDA_TRUSTED_ROLES.add(this);
    if (props.functionName !== undefined) {
      const arn = logGroupArn(this, props.functionName);
      this.addToPrincipalPolicy(new iam.PolicyStatement({ actions: LOG_ACTIONS, resources: [arn] }));
      acknowledgeLogStreamWildcard(this, arn);
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
    Validations.of(policy).acknowledge({ id: 'AwsSolutions-IAM5', reason: IAM5_REASON });
    return policy;
  }
}

function logGroupArn(scope: Construct, functionName: string): string {
  return Stack.of(scope).formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: `/aws/lambda/${functionName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/**
 * cdk-nag AwsSolutions-IAM5 flags any `*` in a resource. Log streams cannot be named in advance, so acknowledge exactly
 * this one finding (the flattened ARN cdk-nag reports), not the rule.
 */
function acknowledgeLogStreamWildcard(scope: Construct, arn: string): void {
  const flattened = flatten(Stack.of(scope).resolve(arn));
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flattened}]`, reason: IAM5_REASON });
}

/** Same flattening as cdk-nag's `flattenCfnReference`: intrinsics become `<Name>`. */
function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\${/g, '<').replace(/}/g, '>');
  const n = node as Record<string, any>;
  if (n['Fn::Join']) return (n['Fn::Join'][1] as unknown[]).map(flatten).join(n['Fn::Join'][0]);
  if (n['Fn::Sub']) return flatten(n['Fn::Sub']);
  if (n['Fn::GetAtt']) return `<${flatten(n['Fn::GetAtt'][0])}.${flatten(n['Fn::GetAtt'][1])}>`;
  if (n['Fn::ImportValue']) return flatten(n['Fn::ImportValue']);
  if (n.Ref) return `<${flatten(n.Ref)}>`;
  return JSON.stringify(node);
}
