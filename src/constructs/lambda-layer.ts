// LambdaLayer: an aws-cdk-lib `LayerVersion` that checks at synth that its content sits in the folders its compatible
// runtimes put on their path (python/, nodejs/node_modules/, java/lib/, ruby/gems/, bin/, lib/).
import { CfnResource, aws_lambda as lambda } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FindingSink } from '../validation/context';
import { evaluateLayer, markSelfValidating } from '../validation/evaluate';
import { ValidationPass } from '../validation/pass';
import { surface } from '../validation/report';

/**
 * Properties of a `LambdaLayer`: everything aws-cdk-lib's `LayerVersionProps` takes.
 */
export interface LambdaLayerProps extends lambda.LayerVersionProps {}

/**
 * A Lambda layer version whose folder layout is validated for its compatible runtimes (rule LT504): an asset
 * directory is listed, a zip is read through its central directory. Content that would not be on the runtime's
 * path fails synthesis with a message naming the expected folder.
 */
export class LambdaLayer extends lambda.LayerVersion {
  public constructor(scope: Construct, id: string, props: LambdaLayerProps) {
    super(scope, id, props);
    markSelfValidating(this);
    this.node.addValidation({
      validate: () => {
        const sink = new FindingSink();
        evaluateLayer(this.node.defaultChild as CfnResource, ValidationPass.of(this), sink);
        return surface(sink.entries, this);
      },
    });
  }
}
