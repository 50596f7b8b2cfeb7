// LambdaLayer: folder layout checked for its runtimes, from directories and from zip central directories.
import { aws_lambda as lambda } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LambdaLayer } from '../../src/constructs/lambda-layer';
import { codesIn, fixture, newStack, synthError, tempDir, tempZip } from '../validation/helpers';

function layerOutcome(code: lambda.Code, compatibleRuntimes?: lambda.Runtime[]): string {
  const { app, stack } = newStack();
  new LambdaLayer(stack, 'Layer', { code, compatibleRuntimes });
  return synthError(app);
}

describe('LambdaLayer', () => {
  test('is a LayerVersion in the template', () => {
    const { stack } = newStack();
    new LambdaLayer(stack, 'Layer', { code: lambda.Code.fromAsset(fixture('layer-python')), compatibleRuntimes: [lambda.Runtime.PYTHON_3_14] });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::LayerVersion', { CompatibleRuntimes: ['python3.14'] });
  });

  test.each([
    ['python/ for Python', { 'python/requests/__init__.py': '' }, [lambda.Runtime.PYTHON_3_14]],
    ['site-packages of the same version', { 'python/lib/python3.12/site-packages/x/__init__.py': '' }, [lambda.Runtime.PYTHON_3_12]],
    ['nodejs/node_modules for Node.js', { 'nodejs/node_modules/left-pad/index.js': '' }, [lambda.Runtime.NODEJS_24_X]],
    ['nodejs/node24/node_modules', { 'nodejs/node24/node_modules/left-pad/index.js': '' }, [lambda.Runtime.NODEJS_24_X]],
    ['java/lib for Java', { 'java/lib/x.jar': 'jar' }, [lambda.Runtime.JAVA_21]],
    ['ruby/gems for Ruby', { 'ruby/gems/3.4.0/gems/x/lib/x.rb': '' }, [lambda.Runtime.RUBY_3_4]],
    ['bin/ for any runtime', { 'bin/tool': '#!/bin/sh' }, [lambda.Runtime.PROVIDED_AL2023, lambda.Runtime.PYTHON_3_14]],
    ['an extension without declared runtimes', { 'extensions/my-ext': '#!/bin/sh' }, undefined],
  ])('accepts %s (directory and zip)', (_name, files, runtimes) => {
    expect(layerOutcome(lambda.Code.fromAsset(tempDir(files)), runtimes)).toBe('');
    expect(layerOutcome(lambda.Code.fromAsset(tempZip(files)), runtimes)).toBe('');
  });

  test.each([
    ['packages at the root for Python', { 'requests/__init__.py': '' }, [lambda.Runtime.PYTHON_3_14], 'python/'],
    ['node_modules at the root for Node.js', { 'node_modules/left-pad/index.js': '' }, [lambda.Runtime.NODEJS_24_X], 'nodejs/node_modules/'],
    ['nodejs/ without node_modules', { 'nodejs/left-pad.js': '' }, [lambda.Runtime.NODEJS_24_X], 'nodejs/node_modules/'],
    ['jars outside java/lib', { 'java/x.jar': 'jar' }, [lambda.Runtime.JAVA_21], 'java/lib/'],
    ['site-packages of another Python version', { 'python/lib/python3.11/site-packages/x/__init__.py': '' }, [lambda.Runtime.PYTHON_3_14], 'python/lib/python3.14/site-packages/'],
    ['a Python layer used by Node.js', { 'python/x.py': '' }, [lambda.Runtime.NODEJS_24_X], 'nodejs/node_modules/'],
  ])('rejects %s, naming the expected folder (directory and zip)', (_name, files, runtimes, expected) => {
    for (const code of [lambda.Code.fromAsset(tempDir(files)), lambda.Code.fromAsset(tempZip(files))]) {
      const message = layerOutcome(code, runtimes);
      expect(codesIn(message)).toEqual(['LT504']);
      expect(message).toContain(expected);
    }
  });
});
