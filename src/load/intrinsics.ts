// Resolution of CloudFormation intrinsic functions for local runs: Ref, Fn::GetAtt, Fn::Sub, Fn::Join,
// Fn::Select, Fn::Split, Fn::If, Fn::Base64, Fn::FindInMap (with Mappings), pseudo parameters, and Fn::ImportValue
// when --parameter-overrides gives the export's value. What cannot be known locally (an import nobody gave, attributes
// of resources we do not model) comes back as `Unresolved`, never as "".

import * as crypto from 'crypto';

/** A value that cannot be resolved locally, with the reason (shown to the user). */
export class Unresolved {
  /** `parameter` is set when the value is a template parameter that has no value (no Default, no override). */
  constructor(readonly reason: string, readonly parameter?: string) {}
  toString(): string {
    return `<unresolved: ${this.reason}>`;
  }
}

/** What the resolver knows about the template it resolves in. */
export interface ResolveContext {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
  /** Parameter values: overrides, then defaults. */
  readonly parameters: Record<string, string>;
  /** Resources of the template, by logical id. */
  readonly resources: Record<string, { Type?: string; Properties?: Record<string, any> }>;
  /** Condition values, by name (evaluated lazily when absent). */
  readonly conditions?: Record<string, any>;
  /** Parameters the template declares without a Default and that were not overridden. */
  readonly missingParameters?: readonly string[];
  /** The template's `Parameters` section (for the type of each: a `CommaDelimitedList` or `List<…>` is a list). */
  readonly parameterDeclarations?: Record<string, any>;
  /** The template's `Mappings` section, for `Fn::FindInMap`. */
  readonly mappings?: Record<string, any>;
}

const PSEUDO = (ctx: ResolveContext): Record<string, string> => ({
  'AWS::Region': ctx.region,
  'AWS::AccountId': ctx.accountId,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': ctx.stackName,
  'AWS::StackId': `arn:aws:cloudformation:${ctx.region}:${ctx.accountId}:stack/${ctx.stackName}/00000000-0000-0000-0000-000000000000`,
  'AWS::NotificationARNs': '',
});

/** Resolves `value` as deep as it can. `Unresolved` appears in place of anything that cannot be known. */
export function resolveValue(value: any, ctx: ResolveContext): any {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, ctx));
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const key = keys[0];
    const arg = value[key];
    switch (key) {
      case 'Ref': return resolveRef(String(arg), ctx);
      case 'Fn::GetAtt': return resolveGetAtt(arg, ctx);
      case 'Fn::Sub': return resolveSub(arg, ctx);
      case 'Fn::Join': {
        const [sep, parts] = arg;
        const resolved = resolveValue(parts, ctx);
        if (!Array.isArray(resolved)) return new Unresolved('Fn::Join of a value that is not a list');
        const bad = resolved.find((p) => p instanceof Unresolved);
        return bad ?? resolved.join(sep);
      }
      case 'Fn::Select': {
        const [index, list] = resolveValue(arg, ctx);
        if (list instanceof Unresolved) return list;
        return Array.isArray(list) ? list[Number(index)] : new Unresolved('Fn::Select of a value that is not a list');
      }
      case 'Fn::Split': {
        const [sep, str] = resolveValue(arg, ctx);
        return typeof str === 'string' ? str.split(sep) : new Unresolved('Fn::Split of a value that is not a string');
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = arg;
        const holds = evaluateCondition(condition, ctx);
        if (holds instanceof Unresolved) return holds;
        return resolveValue(holds ? whenTrue : whenFalse, ctx);
      }
      case 'Fn::Base64': {
        const s = resolveValue(arg, ctx);
        return typeof s === 'string' ? Buffer.from(s).toString('base64') : s;
      }
      case 'Fn::ImportValue': return resolveImport(arg, ctx);
      case 'Fn::FindInMap': return resolveFindInMap(arg, ctx);
      case 'Fn::GetAZs': return [`${ctx.region}a`, `${ctx.region}b`, `${ctx.region}c`];
      default: break;
    }
  }
  const out: Record<string, any> = {};
  for (const k of keys) out[k] = resolveValue(value[k], ctx);
  return out;
}

function resolveRef(name: string, ctx: ResolveContext): any {
  const pseudo = PSEUDO(ctx)[name];
  if (pseudo !== undefined) return pseudo;
  if (name === 'AWS::NoValue') return undefined;
  if (name in ctx.parameters) {
    const type = String(ctx.parameterDeclarations?.[name]?.Type ?? '');
    const isList = type === 'CommaDelimitedList' || /^List<.*>$/.test(type);
    return isList ? ctx.parameters[name].split(',').map((item) => item.trim()) : ctx.parameters[name];
  }
  if (ctx.missingParameters?.includes(name)) {
    return new Unresolved(`parameter '${name}' has no Default; pass it with --parameter-overrides ${name}=<value> (parameterOverrides in code)`, name);
  }
  const resource = ctx.resources[name];
  if (!resource) return new Unresolved(`Ref to '${name}', which is neither a parameter nor a resource of the template`);
  return physicalId(name, resource, ctx);
}

/** The physical id CloudFormation would return for `Ref` to a resource (deterministic locally). */
export function physicalId(logicalId: string, resource: { Type?: string; Properties?: Record<string, any> }, ctx: ResolveContext): any {
  const props = resource.Properties ?? {};
  const named = (prop: string, fallback: string): any => {
    const v = props[prop] !== undefined ? resolveValue(props[prop], ctx) : undefined;
    return v ?? fallback;
  };
  const generated = `${ctx.stackName}-${logicalId}`;
  switch (resource.Type) {
    case 'AWS::Lambda::Function':
    case 'AWS::Serverless::Function':
      return named('FunctionName', generatedFunctionName(ctx.stackName, logicalId));
    case 'AWS::Lambda::LayerVersion':
    case 'AWS::Serverless::LayerVersion':
      return `arn:aws:lambda:${ctx.region}:${ctx.accountId}:layer:${named('LayerName', generated)}:1`;
    case 'AWS::S3::Bucket': return named('BucketName', generated.toLowerCase());
    case 'AWS::SNS::Topic': return `arn:aws:sns:${ctx.region}:${ctx.accountId}:${named('TopicName', generated)}`;
    case 'AWS::SQS::Queue': return `https://sqs.${ctx.region}.amazonaws.com/${ctx.accountId}/${named('QueueName', generated)}`;
    case 'AWS::IAM::Role': return named('RoleName', generated);
    case 'AWS::DynamoDB::Table': return named('TableName', generated);
    case 'AWS::Events::Rule': return `${named('Name', generated)}`;
    case 'AWS::Events::EventBus': return named('Name', generated);
    case 'AWS::Lambda::Version': return `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${logicalId}:1`;
    // API Gateway ids are 10 lower-case characters; a stage's Ref is its name.
    case 'AWS::ApiGateway::RestApi':
    case 'AWS::ApiGatewayV2::Api':
    case 'AWS::Serverless::Api':
    case 'AWS::Serverless::HttpApi':
      return generatedResourceId(ctx.stackName, logicalId, 10);
    case 'AWS::ApiGateway::Stage':
    case 'AWS::ApiGatewayV2::Stage':
      return named('StageName', generated);
    default: return generated;
  }
}

/** A deterministic id of `length` lower-case letters and digits for a resource (API ids, Function URL ids). */
export function generatedResourceId(stackName: string, logicalId: string, length: number): string {
  let out = '';
  for (let round = 0; out.length < length; round++) {
    out += crypto.createHash('sha256').update(`${stackName}/${logicalId}/${round}`).digest()
      .reduce((text, byte) => text + 'abcdefghijklmnopqrstuvwxyz0123456789'[byte % 36], '');
  }
  return out.slice(0, length);
}

/** CloudFormation's generated function name, made deterministic: `<stack>-<logicalId>`, at most 64 characters. */
export function generatedFunctionName(stackName: string, logicalId: string): string {
  return `${stackName}-${logicalId}`.slice(0, 64);
}

function resolveGetAtt(arg: any, ctx: ResolveContext): any {
  const [logicalId, attribute] = Array.isArray(arg) ? arg : String(arg).split(/\.(.*)/s);
  const resource = ctx.resources[logicalId];
  if (!resource) return new Unresolved(`Fn::GetAtt of '${logicalId}', which is not a resource of the template`);
  const id = physicalId(logicalId, resource, ctx);
  if (id instanceof Unresolved) return id;
  const p = 'arn:aws';
  switch (`${resource.Type}.${attribute}`) {
    case 'AWS::Lambda::Function.Arn':
    case 'AWS::Serverless::Function.Arn':
      return `${p}:lambda:${ctx.region}:${ctx.accountId}:function:${id}`;
    case 'AWS::IAM::Role.Arn': return `${p}:iam::${ctx.accountId}:role/${id}`;
    case 'AWS::S3::Bucket.Arn': return `${p}:s3:::${id}`;
    case 'AWS::S3::Bucket.DomainName': return `${id}.s3.amazonaws.com`;
    case 'AWS::SQS::Queue.Arn': return `${p}:sqs:${ctx.region}:${ctx.accountId}:${String(id).split('/').pop()}`;
    case 'AWS::SQS::Queue.QueueName': return String(id).split('/').pop();
    case 'AWS::SNS::Topic.TopicArn': return id;
    case 'AWS::SNS::Topic.TopicName': return String(id).split(':').pop();
    case 'AWS::DynamoDB::Table.Arn': return `${p}:dynamodb:${ctx.region}:${ctx.accountId}:table/${id}`;
    case 'AWS::Events::Rule.Arn': return `${p}:events:${ctx.region}:${ctx.accountId}:rule/${id}`;
    case 'AWS::Events::EventBus.Arn': return `${p}:events:${ctx.region}:${ctx.accountId}:event-bus/${id}`;
    case 'AWS::Events::EventBus.Name': return id;
    case 'AWS::Lambda::LayerVersion.LayerVersionArn': return id;
    case 'AWS::Lambda::Version.Version': return String(versionNumber(logicalId, ctx));
    default:
      return new Unresolved(`Fn::GetAtt ${logicalId}.${attribute} (${resource.Type}) is not known locally`);
  }
}

/** `Fn::ImportValue`: the value --parameter-overrides gives under the export's name, otherwise `Unresolved`. */
function resolveImport(arg: any, ctx: ResolveContext): any {
  const name = resolveValue(arg, ctx);
  if (name instanceof Unresolved) return name;
  if (typeof name === 'string' && name in ctx.parameters) return ctx.parameters[name];
  return new Unresolved(`Fn::ImportValue ${JSON.stringify(name)} (an export of another stack); ` +
    `give its value with --parameter-overrides ${typeof name === 'string' ? name : '<export name>'}=<value>`);
}

/** `Fn::FindInMap [Map, TopKey, SecondKey]` (and the `DefaultValue` option of AWS::LanguageExtensions). */
function resolveFindInMap(arg: any, ctx: ResolveContext): any {
  if (!Array.isArray(arg) || arg.length < 3) return new Unresolved(`Fn::FindInMap needs [MapName, TopLevelKey, SecondLevelKey], got ${JSON.stringify(arg)}`);
  const keys = arg.slice(0, 3).map((k) => resolveValue(k, ctx));
  const bad = keys.find((k) => k instanceof Unresolved);
  if (bad) return bad;
  const [mapName, top, second] = keys.map(String);
  const value = ctx.mappings?.[mapName]?.[top]?.[second];
  if (value !== undefined) return resolveValue(value, ctx);
  const fallback = arg[3]?.DefaultValue;
  if (fallback !== undefined) return resolveValue(fallback, ctx);
  const missing = ctx.mappings?.[mapName] === undefined ? `the template has no Mappings.${mapName}`
    : ctx.mappings[mapName][top] === undefined ? `Mappings.${mapName} has no key '${top}'` : `Mappings.${mapName}.${top} has no key '${second}'`;
  return new Unresolved(`Fn::FindInMap [${mapName}, ${top}, ${second}]: ${missing}`);
}

/** The number of a version resource: its position among the versions of the same function, in template order. */
export function versionNumber(logicalId: string, ctx: ResolveContext): number {
  const target = JSON.stringify(ctx.resources[logicalId]?.Properties?.FunctionName);
  let n = 0;
  for (const [id, r] of Object.entries(ctx.resources)) {
    if (r.Type === 'AWS::Lambda::Version' && JSON.stringify(r.Properties?.FunctionName) === target) {
      n++;
      if (id === logicalId) return n;
    }
  }
  return 1;
}

function resolveSub(arg: any, ctx: ResolveContext): any {
  const [template, vars] = Array.isArray(arg) ? arg : [arg, {}];
  const resolvedVars: Record<string, any> = {};
  for (const [k, v] of Object.entries(vars ?? {})) resolvedVars[k] = resolveValue(v, ctx);
  let unresolved: Unresolved | undefined;
  const out = String(template).replace(/\$\{([^}!][^}]*)\}/g, (_m, expr: string) => {
    let v: any;
    if (expr in resolvedVars) {v = resolvedVars[expr];} else if (expr.includes('.')) {
      const [id, att] = expr.split(/\.(.*)/s);
      v = resolveGetAtt([id, att], ctx);
    } else {v = resolveRef(expr, ctx);}
    if (v instanceof Unresolved) {
      unresolved = v;
      return '';
    }
    return String(v);
  }).replace(/\$\{!/g, '${');
  return unresolved ?? out;
}

function evaluateCondition(condition: any, ctx: ResolveContext): boolean | Unresolved {
  const definition = ctx.conditions?.[condition];
  if (definition === undefined) return new Unresolved(`condition '${condition}' is not defined`);
  return evaluateConditionExpression(definition, ctx);
}

function evaluateConditionExpression(expr: any, ctx: ResolveContext): boolean | Unresolved {
  if (typeof expr === 'boolean') return expr;
  if (expr && typeof expr === 'object') {
    if ('Condition' in expr) return evaluateCondition(expr.Condition, ctx);
    if ('Fn::Equals' in expr) {
      const [a, b] = resolveValue(expr['Fn::Equals'], ctx);
      if (a instanceof Unresolved) return a;
      if (b instanceof Unresolved) return b;
      return String(a) === String(b);
    }
    if ('Fn::Not' in expr) {
      const v = evaluateConditionExpression(expr['Fn::Not'][0], ctx);
      return v instanceof Unresolved ? v : !v;
    }
    if ('Fn::And' in expr || 'Fn::Or' in expr) {
      const isAnd = 'Fn::And' in expr;
      const values = (expr['Fn::And'] ?? expr['Fn::Or']).map((e: any) => evaluateConditionExpression(e, ctx));
      const bad = values.find((v: any) => v instanceof Unresolved);
      if (bad) return bad;
      return isAnd ? values.every(Boolean) : values.some(Boolean);
    }
  }
  return new Unresolved(`condition expression ${JSON.stringify(expr)} is not understood`);
}

/** Parameter values for a template: overrides first, then each parameter's Default. */
export function parameterValues(template: any, overrides: Record<string, string> = {}): { values: Record<string, string>; missing: string[] } {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, def] of Object.entries<any>(template.Parameters ?? {})) {
    if (name in overrides) values[name] = overrides[name];
    else if (def?.Default !== undefined) values[name] = Array.isArray(def.Default) ? def.Default.join(',') : String(def.Default);
    else missing.push(name);
  }
  for (const [name, value] of Object.entries(overrides)) if (!(name in values)) values[name] = value;
  return { values, missing };
}

/** The first `Unresolved` anywhere inside a resolved value, if any. */
export function findUnresolved(value: any): Unresolved | undefined {
  if (value instanceof Unresolved) return value;
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) {
      const bad = findUnresolved(v);
      if (bad) return bad;
    }
  }
  return undefined;
}
