// LambdaFunction: an aws-cdk-lib `Function` that lambda-twin can validate at synth and run locally.
import { aws_lambda as lambda } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * Properties of a `LambdaFunction`: everything aws-cdk-lib's `FunctionProps` takes.
 */
export interface LambdaFunctionProps extends lambda.FunctionProps {}

/**
 * A Lambda function. It is a full `aws_lambda.Function` (grants, event sources, aliases, URLs all work),
 * synthesizes to `AWS::Lambda::Function` plus its execution role, and runs unchanged on the local twin.
 */
export class LambdaFunction extends lambda.Function {
  constructor(scope: Construct, id: string, props: LambdaFunctionProps) {
    super(scope, id, props);
  }
}
