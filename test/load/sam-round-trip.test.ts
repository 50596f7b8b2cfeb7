// Property test of the one SAM vocabulary: a random CloudFormation function rendered to SAM (renderSam) and loaded back
// through the SAM expansion gives the same model as loading the CloudFormation template directly.
import * as path from 'path';
import * as fc from 'fast-check';
import { isSamTemplate } from '../../src/load/expand-sam';
import { loadAnyTemplate } from '../../src/load/sam-loader';
import { renderSam } from '../../src/sam/render-sam';

const HELLO = path.join(__dirname, '..', '..', 'examples', 'functions', 'hello');

const loadOptions = {
  stackName: 'RoundTrip',
  baseDir: __dirname,
  assetPath: (resource: any, property: 'Code' | 'Content'): string | undefined => resource.Metadata?.['aws:asset:path']
    ?? (typeof resource.Properties?.[property] === 'string' ? resource.Properties[property] : undefined),
};

const ROLE = {
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']] }],
  },
};

const envName = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,10}$/).filter((k) => !k.startsWith('AWS_'));
const optional = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });

const functionProperties = fc.record({
  Runtime: fc.constantFrom('python3.12', 'python3.13', 'nodejs20.x', 'nodejs22.x', 'ruby3.3', 'provided.al2023'),
  Handler: fc.stringMatching(/^[a-z][a-z0-9_]{0,8}\.[a-z][a-z0-9_]{0,8}$/),
  MemorySize: optional(fc.integer({ min: 128, max: 10240 })),
  Timeout: optional(fc.integer({ min: 1, max: 900 })),
  EphemeralStorage: optional(fc.integer({ min: 512, max: 10240 }).map((Size) => ({ Size }))),
  Architectures: optional(fc.constantFrom(['x86_64'], ['arm64'])),
  Description: optional(fc.string({ maxLength: 20 })),
  FunctionName: optional(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-_]{0,20}$/)),
  ReservedConcurrentExecutions: optional(fc.integer({ min: 0, max: 100 })),
  Environment: optional(fc.dictionary(envName, fc.string({ maxLength: 12 }), { maxKeys: 4 }).map((Variables) => ({ Variables }))),
  TracingConfig: optional(fc.constantFrom('Active', 'PassThrough').map((Mode) => ({ Mode }))),
  Tags: optional(fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), fc.string({ maxLength: 8 }), { minKeys: 1, maxKeys: 3 })
    .map((tags) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value })))),
  inline: fc.boolean(),
}, { requiredKeys: ['Runtime', 'Handler', 'inline'] });

type FunctionInput = typeof functionProperties extends fc.Arbitrary<infer T> ? T : never;

/** A CloudFormation template of one function (inline code or a local asset folder) with its plain execution role. */
function templateOf(fn: FunctionInput): any {
  const { inline, ...props } = fn;
  const defined = Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined));
  const code = inline ? { ZipFile: 'def handler(event, context):\n  return event\n' } : { S3Bucket: 'cdk-assets', S3Key: `${'a'.repeat(64)}.zip` };
  return {
    Resources: {
      FnServiceRole: ROLE,
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: { ...defined, Code: code, Role: { 'Fn::GetAtt': ['FnServiceRole', 'Arn'] } },
        DependsOn: ['FnServiceRole'],
        ...(inline ? {} : { Metadata: { 'aws:asset:path': HELLO, 'aws:asset:property': 'Code' } }),
      },
    },
  };
}

describe('SAM round trip', () => {
  it('loads a rendered function back to the model of its CloudFormation form', () => {
    fc.assert(fc.property(functionProperties, (fn) => {
      const cfn = templateOf(fn);
      const sam = renderSam(cfn);
      expect(isSamTemplate(sam)).toBe(true);
      expect(sam.Resources.Fn.Type).toBe('AWS::Serverless::Function');
      expect(loadAnyTemplate(sam, loadOptions)).toEqual(loadAnyTemplate(cfn, loadOptions));
    }), { numRuns: 200 });
  });
});
