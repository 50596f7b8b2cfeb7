// The one in-memory description of a deployable function that every loader produces (cloud assembly,
// CloudFormation or SAM template) and the engine consumes. Internal: not part of the jsii API.
import { FUNCTION_DEFAULTS } from './platform';

/** A layer attached to a function, with its content on the local disk. */
export interface LayerSpec {
  /** Logical id of the layer resource, or the ARN when the layer is not local. */
  readonly id: string;
  /** Absolute path of the layer content: a directory or a .zip file. Absent for remote (ARN-only) layers. */
  readonly contentPath?: string;
  /** The ARN as written in the template, for remote layers. */
  readonly arn?: string;
  readonly compatibleRuntimes?: string[];
  readonly compatibleArchitectures?: string[];
}

/** One statement of a function's resource-based policy (from `AWS::Lambda::Permission`). */
export interface PermissionSpec {
  readonly logicalId: string;
  /** `lambda:InvokeFunction`, `lambda:InvokeFunctionUrl`, `lambda:*` … */
  readonly action: string;
  /** A service principal (`s3.amazonaws.com`), an account id, an ARN, or `*`. */
  readonly principal: string;
  readonly sourceArn?: string;
  readonly sourceAccount?: string;
  readonly principalOrgId?: string;
  readonly functionUrlAuthType?: string;
  /** The qualifier the permission was attached to (alias or version name), when it targets one. */
  readonly qualifier?: string;
}

/** A published version (`AWS::Lambda::Version`). */
export interface VersionSpec {
  readonly logicalId: string;
  /** The version number ("1", "2", …), in template order. */
  readonly version: string;
}

/** An alias (`AWS::Lambda::Alias`). */
export interface AliasSpec {
  readonly logicalId: string;
  readonly name: string;
  /** The version it points to ("$LATEST" or a number). */
  readonly functionVersion: string;
}

/** Where an asynchronous invoke's outcome goes (`AWS::Lambda::EventInvokeConfig` or DLQ). */
export interface AsyncConfigSpec {
  readonly maximumRetryAttempts?: number;
  readonly maximumEventAgeInSeconds?: number;
  readonly onSuccessDestination?: string;
  readonly onFailureDestination?: string;
  readonly deadLetterTargetArn?: string;
}

/** Everything the engine needs to run one function. */
export interface FunctionSpec {
  /** Logical id in the template (e.g. `HelloFunction1A2B3C4D`). */
  readonly logicalId: string;
  /** Construct path (`Stack/Hello/Resource`) when known from `aws:cdk:path` metadata. */
  readonly constructPath?: string;
  /** The construct id the user wrote (`Hello`), derived from the construct path. */
  readonly constructId?: string;
  /** Name of the stack (or template) the function came from. */
  readonly stackName: string;
  /** The physical function name: `FunctionName` when set, otherwise a name in CloudFormation's style. */
  readonly functionName: string;
  /** Runtime identifier (`python3.12`, `nodejs20.x`, `provided.al2023`); absent for image functions. */
  readonly runtime?: string;
  /** Handler string, as configured. */
  readonly handler?: string;
  /** `Zip` or `Image`. */
  readonly packageType: string;
  /** Absolute path of the code: a directory, a .zip file, or a file holding inline code. */
  readonly codePath?: string;
  /** What an invoke says when `codePath` does not exist, in the terms of the template it came from (SAM's `CodeUri`). */
  readonly missingCodeMessage?: string;
  /** Inline (`ZipFile`) code, when the function has no asset. */
  readonly inlineCode?: string;
  readonly memorySize: number;
  readonly timeout: number;
  readonly ephemeralStorage: number;
  readonly architectures: string[];
  /** The function's own environment variables (resolved). */
  readonly environment: Record<string, string>;
  readonly layers: LayerSpec[];
  readonly reservedConcurrency?: number;
  readonly permissions: PermissionSpec[];
  readonly versions: VersionSpec[];
  readonly aliases: AliasSpec[];
  readonly asyncConfig?: AsyncConfigSpec;
  /** `AWS_IAM` or `NONE` when the function has a URL. */
  readonly functionUrlAuthType?: string;
  readonly region: string;
  readonly accountId: string;
  /** Things the loader could not resolve (an unresolved intrinsic, a remote layer …), said plainly. */
  readonly warnings: string[];
  /**
   * What the template sets for this function that the twin does not emulate, each named with what happens instead:
   * properties (`Properties.VpcConfig: …`) and resources that trigger or configure it (`Resources.Sub (AWS::SNS::Subscription): …`).
   */
  readonly unsupported?: string[];
}

/** Lambda's defaults for properties a template leaves out. */
export const LAMBDA_DEFAULTS = {
  ...FUNCTION_DEFAULTS,
  region: 'us-east-1',
  accountId: '123456789012',
} as const;

/** The ARN of a function, optionally qualified by a version or alias. */
export function functionArn(spec: FunctionSpec, qualifier?: string): string {
  const base = `arn:aws:lambda:${spec.region}:${spec.accountId}:function:${spec.functionName}`;
  return qualifier ? `${base}:${qualifier}` : base;
}
