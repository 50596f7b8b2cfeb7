// The rule registry: every lambda-twin validation rule as data (stable code, severity, why, fix),
// read by the rule families and by docs/validation-rules.md.

import { FindingSeverity } from './finding';

/** A rule as data (internal). */
export interface RuleDefinition {
  readonly code: string;
  readonly severity: FindingSeverity;
  readonly title: string;
  readonly why: string;
  readonly fix: string;
}

const E = FindingSeverity.ERROR;
const W = FindingSeverity.WARNING;

function rule(code: string, severity: FindingSeverity, title: string, why: string, fix: string): RuleDefinition {
  return { code, severity, title, why, fix };
}

/** Every rule, keyed by a readable name. Codes never change once published. */
export const RULES = {
  // LT0xx: the validation itself could not look
  renderFailed: rule('LT001', W, 'The resource could be rendered',
    'Resolving the resource\'s properties threw, so no other rule could check it; this is reported instead of a silent pass.',
    'Fix the error in the message (often an unresolvable token or a bad property override), or acknowledge LT001.'),
  packageUnreadable: rule('LT002', W, 'The deployment package could be read',
    'The asset directory or zip could not be read, so the handler, size and module rules could not look inside it.',
    'Check that the asset path exists and is a directory or a valid zip file, or acknowledge LT002.'),
  // LT1xx: handler
  handlerFormat: rule('LT101', E, 'Handler format matches the runtime family',
    'Lambda parses the handler per runtime; a Java-style handler on Node.js deploys but fails every invoke with Runtime.HandlerNotFound.',
    'Use python `module.function`, Node.js `file.export`, Java `pkg.Class::method`, Ruby `file.method`, .NET `Assembly::Namespace.Class::Method`.'),
  handlerSyntax: rule('LT102', E, 'Handler is 1-128 characters without whitespace',
    'CloudFormation rejects handlers longer than 128 characters or containing whitespace (pattern ^[^\\s]+$), only at deploy time.',
    'Shorten the handler and remove whitespace.'),
  inlineHandler: rule('LT103', E, 'Inline code uses an `index.*` handler',
    'Inline (ZipFile) code is stored as `index.js`/`index.py`; any other file name is never found.',
    'Set the handler to `index.<function>` or package the code as an asset.'),
  handlerFileMissing: rule('LT104', E, 'Handler file exists in the package',
    'A handler whose file is not in the deployment package deploys and then fails every invoke with Runtime.ImportModuleError/HandlerNotFound.',
    'Fix the handler path or add the file (a Java class, a custom runtime\'s executable `bootstrap`) to the asset; switch the check off with `checkHandlerInPackage: false` if the file is generated later.'),
  handlerFunctionMissing: rule('LT105', E, 'Handler function is defined in its file',
    'A misspelled function/export name is only discovered at the first invoke.',
    'Define the function (Python `def name`, Node.js `exports.name`/`export const name`, Java a public method taking (event[, Context]) or (InputStream, OutputStream[, Context])) or fix the handler.'),
  callbackHandler: rule('LT106', E, 'No callback handler or context.succeed/fail/done on Node.js 24+',
    'Node.js 24 managed runtimes reject handlers that take a callback (Runtime.CallbackHandlerDeprecated at init) and no longer give context.succeed/fail/done, so every invoke fails.',
    'Make the handler `async (event, context)` and return the result (or throw) instead of calling the callback or context.succeed/fail/done.'),
  callbackHandlerLater: rule('LT107', W, 'No callback handler or context.succeed/fail/done (before Node.js 24)',
    'Callback handlers and context.succeed/fail/done still work on this runtime but are removed from nodejs24.x: the function breaks when the runtime is upgraded.',
    'Make the handler `async (event, context)` and return the result (or throw) instead of calling the callback or context.succeed/fail/done.'),
  moduleFormat: rule('LT108', E, 'Handler file syntax matches how Node.js loads it',
    'Node.js loads `.mjs` and files under a `"type": "module"` package.json as ES modules and everything else as CommonJS; `import` in CommonJS is a SyntaxError, `require`/`exports` in an ES module are not defined, and a file with both loads neither way.',
    'Use one module format per file: rename to `.mjs`/`.cjs`, set `"type"` in the nearest package.json, or replace `require`/`exports` with `import`/`export` (or the reverse).'),
  moduleFormatDetected: rule('LT109', W, 'ES module handler file declares its format',
    'A `.js` file with ES module syntax and no `"type": "module"` only loads because Node.js 20+ detects module syntax; older runtimes and other tools load it as CommonJS.',
    'Rename the file to `.mjs` or add `"type": "module"` to the nearest package.json.'),
  nodeModuleMissing: rule('LT110', E, 'Modules the Node.js handler loads are in the package',
    'A static `import`/`require` of a module that is not in the package\'s node_modules, a layer\'s nodejs/node_modules, Node.js or the runtime (AWS SDK v3 from nodejs18.x, cfn-response only for inline code) fails the first invoke with Runtime.ImportModuleError.',
    'Install the module into the asset (`npm install` next to the handler), bundle with NodejsFunction, or add a layer with it under nodejs/node_modules/; switch the check off with `checkHandlerInPackage: false` if the package is completed later.'),
  pythonModuleMissing: rule('LT111', E, 'Modules the Python handler imports are in the package',
    'A module-level import of a module that is not in the package, a layer\'s python/ folder, the standard library or the runtime (boto3, botocore) fails the first invoke with Runtime.ImportModuleError.',
    'Install the dependency into the asset (`pip install -t <asset> …`), use a bundling option, or add a layer with it under python/; switch the check off with `checkHandlerInPackage: false` if the package is completed later.'),
  // LT2xx: runtime lifecycle
  runtimeUnknown: rule('LT201', E, 'Runtime identifier is known',
    '`new Runtime("anything")` synthesizes; CloudFormation rejects unknown runtimes only at deploy.',
    'Use a runtime from `aws_lambda.Runtime` that Lambda supports today.'),
  runtimeDeprecated: rule('LT202', E, 'Runtime is not deprecated',
    'Deprecated runtimes get no security patches and Lambda blocks creating (then updating) functions on them.',
    'Move to the successor runtime named in the message.'),
  runtimeDeprecationSoon: rule('LT203', W, 'Runtime is not deprecated within 90 days',
    'Plan the upgrade before Lambda stops patching the runtime and blocks updates.',
    'Move to the successor runtime named in the message.'),
  // LT3xx: limits
  memorySize: rule('LT301', E, 'Memory is an integer 128-10240 MB',
    'Lambda accepts 128-10240 MB in 1 MB steps; other values fail at deploy.',
    'Set `memorySize` to an integer between 128 and 10240.'),
  timeout: rule('LT302', E, 'Timeout is 1-900 seconds',
    'Lambda functions run at most 900 s (15 min); larger values fail at deploy.',
    'Set `timeout` between 1 and 900 seconds, or move long work to Step Functions / ECS.'),
  ephemeralStorage: rule('LT303', E, 'Ephemeral storage is 512-10240 MB',
    'Lambda accepts 512-10240 MB of /tmp.',
    'Set `ephemeralStorageSize` between 512 MiB and 10240 MiB.'),
  functionName: rule('LT304', E, 'Function name is at most 64 characters of [a-zA-Z0-9-_]',
    'CreateFunction rejects longer names or other characters.',
    'Shorten the name and use only letters, digits, `-` and `_`.'),
  description: rule('LT305', E, 'Description is at most 256 characters',
    'CreateFunction rejects longer descriptions.',
    'Shorten the description.'),
  inlineCodeSize: rule('LT306', E, 'Inline code is at most 4 MB',
    'CloudFormation zips inline code; the zip must not exceed 4 MB.',
    'Package the code as an asset (`Code.fromAsset`).'),
  inlineCodeRuntime: rule('LT307', E, 'Inline code only for Node.js and Python',
    'Only Node.js and Python runtimes can run inline (ZipFile) code.',
    'Package the code as an asset, or use a Node.js/Python runtime.'),
  unzippedSize: rule('LT308', E, 'Function + layers unzip to at most 250 MB',
    'Lambda rejects deployments whose function code plus layers exceed 262,144,000 bytes unzipped.',
    'Remove unused dependencies, move data to S3/EFS, or use a container image.'),
  zippedSize: rule('LT309', W, 'Deployment package is at most 50 MB zipped',
    'Direct uploads (Lambda API, SAM/local tools without S3) reject packages above 50 MB zipped; CloudFormation deploys from S3 are not affected, so this is a warning.',
    'Shrink the package or use a container image.'),
  // LT4xx: environment
  envKey: rule('LT401', E, 'Environment variable keys match [a-zA-Z]([a-zA-Z0-9_])+',
    'Lambda rejects other keys (including one-character keys).',
    'Rename the variable: start with a letter, then letters, digits or `_`.'),
  envReserved: rule('LT402', E, 'Environment variable keys are not reserved',
    'Lambda sets these variables itself and rejects functions that set them.',
    'Rename the variable; read the runtime-provided value instead.'),
  envSize: rule('LT403', E, 'Environment variables total at most 4 KB',
    'Lambda rejects functions whose keys and values exceed 4096 bytes in total.',
    'Move large values to SSM Parameter Store / Secrets Manager and read them at start-up.'),
  envSizeUnknown: rule('LT404', W, 'Environment size could not be checked',
    'Some values are only known at deploy (tokens); the 4 KB limit may still be exceeded.',
    'Keep the resolvable part well below 4 KB, or acknowledge LT404.'),
  // LT5xx: layers
  layerCount: rule('LT501', E, 'At most 5 layers',
    'A function can use at most 5 layers.',
    'Merge layers or move dependencies into the function package.'),
  layerRuntime: rule('LT502', E, 'Layer is compatible with the function runtime',
    'A layer built for another runtime usually fails to import at run time.',
    'Use a layer built for this runtime, or add the runtime to the layer\'s compatibleRuntimes.'),
  layerArchitecture: rule('LT503', E, 'Layer is compatible with the function architecture',
    'Native code built for x86_64 does not load on arm64 and vice versa.',
    'Use a layer built for the function\'s architecture, or add it to compatibleArchitectures.'),
  layerLayout: rule('LT504', E, 'Layer content is on the path of its compatible runtimes',
    'Layers are extracted to /opt; only some folders are on PATH/NODE_PATH/PYTHONPATH/CLASSPATH, so a layer declared for a runtime whose content is elsewhere cannot be imported by it. (A layer that declares no runtimes gets LT505 instead.)',
    'Put the content in the folder named in the message (e.g. `python/`, `nodejs/node_modules/`, `java/lib/`, `ruby/gems/`, `bin/`, `lib/`).'),
  layerOffPath: rule('LT505', W, 'Layer content without declared runtimes is on some runtime\'s path',
    'A layer with no compatibleRuntimes whose content is on no search path is invisible to imports, but works when code uses it by absolute path (aws-cdk-lib\'s AwsCliLayer: /opt/awscli/aws), so this is only a warning.',
    'Put importable content in the folder named in the message, declare compatibleRuntimes, or acknowledge LT505 if the content is used by absolute path.'),
  // LT6xx: resource-based policy
  confusedDeputy: rule('LT601', E, 'Service principals are scoped with sourceArn or sourceAccount',
    'Without a source condition any account\'s resource of that service can invoke the function (confused deputy).',
    'Pass `sourceArn` (or `sourceAccount`) to addPermission, or acknowledge LT601 with a reason.'),
  permissionAction: rule('LT602', E, 'Permission action matches lambda:<Action>',
    'AddPermission only accepts `lambda:<Action>`, `lambda:*` or `*`.',
    'Use an action such as `lambda:InvokeFunction` or `lambda:InvokeFunctionUrl`.'),
  sourceAccount: rule('LT603', E, 'sourceAccount is a 12-digit account id',
    'AddPermission rejects other values.',
    'Use the 12-digit AWS account id.'),
  organizationId: rule('LT604', E, 'principalOrgId matches o-[a-z0-9]{10,32}',
    'AddPermission rejects other organization ids.',
    'Use the organization id from AWS Organizations (o-xxxxxxxxxx).'),
  publicPrincipal: rule('LT605', E, 'Wildcard principal has a condition',
    'A `*` principal without sourceArn/sourceAccount/principalOrgId makes the function invocable by anyone.',
    'Use a specific principal, or add a sourceArn/sourceAccount/organization condition.'),
  policySize: rule('LT606', E, 'Resource-based policy is at most 20 KB',
    'A function\'s resource-based policy is limited to 20 KB; further AddPermission calls fail.',
    'Grant to fewer principals, e.g. one statement with sourceAccount instead of many sourceArns.'),
  publicUrl: rule('LT607', W, 'Function URL without authentication',
    'A Function URL with auth type NONE is public on the internet.',
    'Use `FunctionUrlAuthType.AWS_IAM`, or acknowledge LT607 if the function is meant to be public.'),
  urlAuthMismatch: rule('LT608', E, 'Permission functionUrlAuthType matches the Function URL',
    'A permission for the other auth type never matches requests to the URL.',
    'Use the same auth type in the permission as in the Function URL.'),
  // LT7xx: execution role
  roleTrust: rule('LT701', E, 'Execution role trusts lambda.amazonaws.com',
    'Lambda cannot assume a role that does not trust lambda.amazonaws.com; the function fails to create.',
    'Use `ExecutionRole`, or add `lambda.amazonaws.com` to the role\'s trust policy.'),
  // LT8xx: what triggers functions (event patterns, schedules, filters)
  eventPattern: rule('LT801', E, 'EventBridge rule event pattern is valid',
    'EventBridge rejects an invalid event pattern (InvalidEventPatternException) only when the stack deploys.',
    'Make every leaf a non-empty list of values or operators (prefix, suffix, anything-but, numeric, exists, cidr, equals-ignore-case, wildcard, $or) as the message says.'),
  scheduleExpression: rule('LT802', E, 'Schedule expression is valid',
    'EventBridge and Scheduler reject an invalid rate(), cron() or at() expression or time zone only when the stack deploys.',
    'Use rate(1 minute)/rate(5 minutes), a six-field cron(min hour day-of-month month day-of-week year) with ? in one day field, at(yyyy-mm-ddThh:mm:ss) on Scheduler only, and an IANA time zone.'),
  snsFilterPolicy: rule('LT803', E, 'SNS subscription filter policy is valid',
    'SNS rejects an invalid filter policy (too many keys or combinations, unknown operators, nesting on message attributes) only when the stack deploys.',
    'Keep at most 5 keys and 150 value combinations, use the documented operators, and nest keys only with FilterPolicyScope MessageBody.'),
  filterCriteria: rule('LT804', E, 'Event source mapping filter patterns are valid',
    'Lambda rejects an event source mapping whose FilterCriteria patterns are not valid event patterns only when the stack deploys.',
    'Give each Filters[].Pattern as JSON text of a valid event pattern (e.g. {"body":{"kind":["order"]}}).'),
};

/** Every rule, in code order. */
export const ALL_RULES: RuleDefinition[] = Object.values(RULES).sort((a, b) => a.code.localeCompare(b.code));
