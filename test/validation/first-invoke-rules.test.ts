// The rules for failures that only show at the first invoke (LT106-LT111), each with a valid and an invalid case,
// including the cases from real apps: inline context.succeed and a callback authorizer on nodejs24.x, a .js file that
// mixes import with require/exports, require('pg') with no node_modules, and cfn-response outside inline code.
import { Stack, aws_lambda as lambda } from 'aws-cdk-lib';
import { newStack, tempDir } from './helpers';
import { LambdaValidator } from '../../src/validation/aspect';

const NODE24 = lambda.Runtime.NODEJS_24_X;
const NODE22 = lambda.Runtime.NODEJS_22_X;

/** The findings (code, severity, message) of one function, leaving out the runtime lifecycle rules. */
function findingsOf(build: (stack: Stack) => void) {
  const { stack } = newStack();
  build(stack);
  return LambdaValidator.findings(stack).filter((f) => !/^LT20/.test(f.code)).map((f) => ({ code: f.code, severity: f.severity, message: f.message, fix: f.fix }));
}
const codes = (build: (stack: Stack) => void) => findingsOf(build).map((f) => `${f.code}:${f.severity}`);

const inline = (runtime: lambda.Runtime, source: string) => (stack: Stack) => {
  new lambda.Function(stack, 'Fn', { runtime, handler: 'index.handler', code: lambda.Code.fromInline(source) });
};
const asset = (runtime: lambda.Runtime, files: Record<string, string>, handler = 'index.handler', layers: Record<string, string>[] = []) => (stack: Stack) => {
  new lambda.Function(stack, 'Fn', {
    runtime,
    handler,
    code: lambda.Code.fromAsset(tempDir(files)),
    layers: layers.map((content, i) => new lambda.LayerVersion(stack, `Layer${i}`, { code: lambda.Code.fromAsset(tempDir(content)), compatibleRuntimes: [runtime] })),
  });
};

describe('LT106/LT107: callback handlers and context.succeed/fail/done', () => {
  test('inline context.succeed on nodejs24.x is an error naming the line and the fix', () => {
    const [finding, ...rest] = findingsOf(inline(NODE24, "exports.handler = function (event, context) {\n  context.succeed('ok');\n};\n"));
    expect(rest).toEqual([]);
    expect(finding).toEqual({ code: 'LT106', severity: 'error', message: expect.stringContaining('context.succeed() (index.js:2)'), fix: expect.stringContaining('async (event, context)') });
  });

  test('a callback-style authorizer on nodejs24.x is an error', () => {
    const source = "exports.handler = function (event, context, callback) {\n  callback(null, { principalId: 'u', policyDocument: {} });\n};\n";
    const [finding] = findingsOf(asset(NODE24, { 'index.js': source }));
    expect([finding.code, finding.message]).toEqual(['LT106', expect.stringContaining('index.js:1 exports "handler" as a callback handler (3 parameters)')]);
  });

  test('the same handlers on nodejs22.x are warnings that they will break on nodejs24.x', () => {
    const found = findingsOf(asset(NODE22, { 'index.js': 'exports.handler = (e, ctx, cb) => { ctx.done(); };' }));
    expect(found.map((f) => f.code)).toEqual(['LT107']);
    expect(found[0].message).toContain('will break when you move to nodejs24.x');
    expect(found[0].message).toContain('ctx.done()');
  });

  test('async handlers, and other objects with a done() method, are fine on nodejs24.x', () => {
    expect(codes(inline(NODE24, 'exports.handler = async (event, context) => ({ ok: context.awsRequestId });'))).toEqual([]);
    expect(codes(asset(NODE24, { 'index.mjs': 'export const handler = async (event) => { queue.done(); return 1; };' }))).toEqual([]);
    expect(codes(asset(NODE24, { 'index.js': 'async function handler(e, c, unused) { return 1 }\nmodule.exports = { handler };' }))).toEqual([]);
  });
});

describe('LT108/LT109: module format', () => {
  test('a .js file mixing import with require/exports.handler and no "type" is an error (it loads neither way)', () => {
    const source = "import { helper } from './helper.mjs';\nconst pg = require('pg');\nexports.handler = async () => helper(pg);\n";
    const found = findingsOf(asset(NODE22, { 'index.js': source, 'helper.mjs': 'export const helper = (x) => x;', 'package.json': '{"name":"app"}', 'node_modules/pg/index.js': '' }));
    expect(found.map((f) => f.code)).toEqual(['LT108']);
    expect(found[0].message).toMatch(/mixes ES module syntax \(import declaration at index\.js:1\) with CommonJS \(require at index\.js:2\)/);
  });

  test('CommonJS in an ES module, and ES module syntax in an explicit CommonJS file, are errors', () => {
    expect(codes(asset(NODE22, { 'index.mjs': 'exports.handler = async () => 1;' }))).toEqual(['LT108:error']);
    expect(codes(asset(NODE22, { 'index.js': 'module.exports.handler = async () => 1;', 'package.json': '{"type":"module"}' }))).toEqual(['LT108:error']);
    expect(codes(asset(NODE22, { 'index.js': 'export const handler = async () => 1;', 'package.json': '{"type":"commonjs"}' }))).toEqual(['LT108:error']);
    expect(codes(asset(NODE22, { 'index.cjs': 'export const handler = async () => 1;' }))).toEqual(['LT108:error']);
  });

  test('ES module syntax in a typeless .js is a warning where Node.js detects it (20+)', () => {
    const files = { 'src/index.js': 'export const handler = async () => 1;' };
    expect(codes(asset(NODE22, files, 'src/index.handler'))).toEqual(['LT109:warning']);
  });

  test('files whose syntax matches their format pass', () => {
    expect(codes(asset(NODE22, { 'index.mjs': "import fs from 'node:fs';\nexport const handler = async () => fs.existsSync('/tmp');" }))).toEqual([]);
    expect(codes(asset(NODE22, { 'app/index.js': 'export const handler = async () => 1;', 'package.json': '{"type":"module"}' }, 'app/index.handler'))).toEqual([]);
    expect(codes(asset(NODE22, { 'index.js': "const { createRequire } = require('module');\nexports.handler = async () => typeof createRequire;" }))).toEqual([]);
    expect(codes(asset(NODE22, { 'index.mjs': "import { createRequire } from 'module';\nconst require = createRequire(import.meta.url);\nexport const handler = async () => require('node:os').cpus();" }))).toEqual([]);
  });
});

describe('LT110: Node.js modules missing from the package', () => {
  test("require('pg') with no node_modules in the asset is an error naming the file and line", () => {
    const found = findingsOf(asset(NODE22, { 'index.js': "const { Client } = require('pg');\nexports.handler = async () => new Client();" }));
    expect(found).toEqual([{ code: 'LT110', severity: 'error', message: expect.stringContaining('"pg" (index.js:1)'), fix: expect.stringContaining('npm install') }]);
  });

  test('cfn-response in an asset is an error (Lambda provides it to inline code only); inline, it is fine', () => {
    const source = "const response = require('cfn-response');\nexports.handler = (event, context) => response.send(event, context, response.SUCCESS);";
    const found = findingsOf(asset(NODE22, { 'index.js': source }));
    expect(found.map((f) => f.code)).toEqual(['LT110']);
    expect(found[0].message).toContain('cfn-response is provided only to inline (ZipFile) code');
    expect(codes(inline(NODE22, source))).toEqual([]);
  });

  test('the AWS SDK of the runtime generation, built-ins, node_modules, layers, relative files and dynamic imports all resolve', () => {
    const source = [
      "const { S3Client } = require('@aws-sdk/client-s3');", "const fs = require('fs');", "const path = require('node:path');",
      "const pg = require('pg/lib/client');", "const left = require('left-pad');", "const util = require('./lib/util');",
      "try { require('optional-native'); } catch (e) {}", "const lazy = () => import('anything-at-all');",
      'exports.handler = async () => [S3Client, fs, path, pg, left, util, lazy];',
    ].join('\n');
    const files = { 'index.js': source, 'lib/util.js': "module.exports = require('../node_modules/pg');", 'node_modules/pg/lib/client.js': '', 'node_modules/pg/package.json': '{}' };
    expect(codes(asset(NODE22, files, 'index.handler', [{ 'nodejs/node_modules/left-pad/index.js': '' }]))).toEqual([]);
  });

  test('a module missing from a file the handler requires is found there; aws-sdk v2 is not on nodejs18.x+', () => {
    const files = { 'index.js': "const db = require('./db');\nexports.handler = async () => db;", 'db.js': "const AWS = require('aws-sdk');\nmodule.exports = new AWS.DynamoDB();" };
    const found = findingsOf(asset(NODE22, files));
    expect(found.map((f) => [f.code, f.message])).toEqual([['LT110', expect.stringContaining('"aws-sdk" (db.js:1)')]]);
  });

  test('an imported layer may provide anything: no finding', () => {
    const build = (stack: Stack) => new lambda.Function(stack, 'Fn', {
      runtime: NODE22,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(tempDir({ 'index.js': "require('pg'); exports.handler = async () => 1;" })),
      layers: [lambda.LayerVersion.fromLayerVersionArn(stack, 'Remote', 'arn:aws:lambda:us-east-1:123456789012:layer:pg:1')],
    });
    expect(codes(build)).toEqual([]);
  });
});

describe('LT111: Python module-level imports missing from the package', () => {
  const PY = lambda.Runtime.PYTHON_3_13;
  test('import requests with no requests in the package is an error naming the file and line', () => {
    const found = findingsOf(asset(PY, { 'app.py': 'import json\nimport requests\n\ndef handler(event, context):\n    return requests.get("x")\n' }, 'app.handler'));
    expect(found).toEqual([{ code: 'LT111', severity: 'error', message: expect.stringContaining('"requests" (app.py:2)'), fix: expect.stringContaining('pip install') }]);
  });

  test('the package, its own modules, layers, the standard library, boto3 and guarded imports resolve', () => {
    const source = [
      'from __future__ import annotations', 'import os, json', 'import boto3', 'from botocore.exceptions import ClientError',
      'import requests', 'from helpers import util', 'import yaml', 'try:', '    import ujson', 'except ImportError:', '    ujson = None',
      '"""', 'import not_code', '"""', 'def handler(event, context):', '    import lazy_thing', '    return util',
    ].join('\n');
    const files = { 'app.py': source, 'requests/__init__.py': '', 'helpers/__init__.py': 'from helpers import util\n', 'helpers/util.py': 'import os\n' };
    expect(codes(asset(PY, files, 'app.handler', [{ 'python/yaml/__init__.py': '' }]))).toEqual([]);
  });

  test('a module missing from a package module the handler imports is found there; inline code is checked too', () => {
    const files = { 'app.py': 'import helpers\ndef handler(e, c):\n    return helpers\n', 'helpers.py': '\nimport numpy\n' };
    expect(findingsOf(asset(PY, files, 'app.handler')).map((f) => [f.code, f.message])).toEqual([['LT111', expect.stringContaining('"numpy" (helpers.py:2)')]]);
    expect(codes(inline(PY, 'import pandas\ndef handler(e, c):\n    return 1\n'))).toEqual(['LT111:error']);
    expect(codes(inline(PY, 'import urllib.request, json\ndef handler(e, c):\n    return 1\n'))).toEqual([]);
  });
});
