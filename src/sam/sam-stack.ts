// SamStack: a Stack whose template is written as AWS SAM (Transform AWS::Serverless-2016-10-31): the same constructs
// and validation as a plain Stack, rendered through `renderSam` when CDK writes the template.
import { Stack, StackProps, aws_s3_assets as s3_assets } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { renderSam } from './render-sam';

/** Where `CodeUri`/`ContentUri` of a SamStack's functions and layers point. */
export enum SamCodeLocation {
  /**
   * The staged asset inside the cloud assembly (`asset.<hash>`, relative to the template), for SAM CLI commands that
   * read `CodeUri` literally (`sam package`/`sam deploy` of the template in cdk.out). CloudFormation's own transform
   * does not accept local paths, so `cdk deploy` fails with this setting.
   */
  LOCAL_PATH = 'LOCAL_PATH',
  /**
   * The S3 location CDK publishes the asset to (`{ Bucket, Key }`): `cdk deploy` works, and `sam build`/`sam local`
   * and lambda-twin find the staged code through the `aws:asset:path` / `aws:asset:property` metadata.
   */
  S3 = 'S3',
}

/** Properties of a `SamStack`: a Stack's, plus where code locations point. */
export interface SamStackProps extends StackProps {
  /**
   * Where `CodeUri`/`ContentUri` point.
   * @default SamCodeLocation.S3 (so `cdk deploy` works; local tools read the asset metadata)
   */
  readonly codeLocation?: SamCodeLocation;
}

/**
 * A Stack whose synthesized template is an AWS SAM template. Functions (`LambdaFunction` or any `aws_lambda.Function`)
 * become `AWS::Serverless::Function`, layers `AWS::Serverless::LayerVersion`; a function's own plain execution role
 * becomes `Policies`, other roles stay as `Role`; SNS subscriptions, SQS/Kinesis/DynamoDB event source mappings and
 * EventBridge rules targeting one function become its `Events`. What SAM has no form for stays CloudFormation.
 *
 * Replace `Stack` with `SamStack`: constructs, validation and `LocalTwin.fromStack` work unchanged.
 */
export class SamStack extends Stack {
  /** Whether a construct is a SamStack. */
  public static isSamStack(x: any): x is SamStack {
    return x !== null && typeof x === 'object' && SAM_STACK in x;
  }

  /** Where `CodeUri`/`ContentUri` point. */
  public readonly codeLocation: SamCodeLocation;

  public constructor(scope?: Construct, id?: string, props: SamStackProps = {}) {
    super(scope, id, props);
    Object.defineProperty(this, SAM_STACK, { value: true });
    this.codeLocation = props.codeLocation ?? SamCodeLocation.S3;
  }

  /**
   * Renders the CloudFormation template CDK built as SAM.
   * @internal
   */
  protected _toCloudFormation(): any {
    const assets = stagedAssets(this);
    return renderSam(super._toCloudFormation(), (hash) => assets.get(hash), {
      localCodeUri: this.codeLocation === SamCodeLocation.LOCAL_PATH,
    });
  }
}

const SAM_STACK = Symbol.for('lambda-twin.SamStack');

/** Staged asset paths (relative to the cloud assembly) of the stack's file assets, by asset hash. */
function stagedAssets(stack: Stack): Map<string, string> {
  const paths = new Map<string, string>();
  const visit = (construct: IConstruct): void => {
    if (construct instanceof s3_assets.Asset && Stack.of(construct) === stack) paths.set(construct.assetHash, construct.assetPath);
    for (const child of construct.node.children) {
      if (!Stack.isStack(child) || child === stack) visit(child);
    }
  };
  visit(stack);
  return paths;
}
