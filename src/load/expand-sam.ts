// Expands a SAM template into the CloudFormation resources the SAM transform would create for what lambda-twin runs:
// functions (with Globals merged), layers, event permissions, event source mappings, rules, versions, aliases, async
// invoke configuration and URLs. The result goes through the CloudFormation loader, so both paths share one model.
import * as fs from 'fs';
import * as path from 'path';
import { checkGlobals, GLOBALS_SECTION_OF_TYPE, mergeGlobals } from './globals';
import { findUnresolved, parameterValues, ResolveContext, resolveValue, Unresolved } from './intrinsics';
import { LAMBDA_DEFAULTS } from '../model/function-spec';
import { PATTERNS } from '../model/platform';
import { SAM_FUNCTION_PASS_THROUGH, SAM_LAYER_PASS_THROUGH, SAM_POLL_EVENTS, SAM_SNS_EVENT_PROPERTIES, SAM_TRANSFORM } from '../model/sam-vocabulary';

export { SAM_TRANSFORM } from '../model/sam-vocabulary';

export interface SamExpandOptions {
  readonly stackName: string;
  readonly region?: string;
  readonly accountId?: string;
  readonly parameterOverrides?: Record<string, string>;
  /** Folder that local `CodeUri`/`ContentUri` paths are relative to (the template's folder). */
  readonly baseDir: string;
  /** How the template is named in error messages (its file). */
  readonly source?: string;
}

export interface ExpandedSamTemplate {
  /** The template with every SAM resource replaced by the CloudFormation resources SAM would generate. */
  readonly template: any;
  /** What could not be resolved or modelled, per function logical id. */
  readonly warnings: Record<string, string[]>;
  /** SAM properties of each function that neither the expansion nor the twin emulates, per function logical id. */
  readonly unsupported: Record<string, string[]>;
  /** Per function logical id whose local `CodeUri` does not exist: what to say, in SAM's terms, when it is invoked. */
  readonly missingCode: Record<string, string>;
}

/** Whether a template declares the SAM transform (alone or in a list) or has `AWS::Serverless::*` resources. */
export function isSamTemplate(template: any): boolean {
  const transform = template?.Transform;
  const transforms = Array.isArray(transform) ? transform : [transform];
  if (transforms.includes(SAM_TRANSFORM)) return true;
  return Object.values<any>(template?.Resources ?? {}).some((r) => typeof r?.Type === 'string' && r.Type.startsWith('AWS::Serverless::'));
}

const LAMBDA_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
};
const BASIC_EXECUTION_ROLE = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' };

/** SAM function properties the expansion turns into CloudFormation (the pass-through ones aside). */
const EXPANDED_PROPERTIES = new Set([
  'CodeUri', 'InlineCode', 'ImageUri', 'Tracing', 'Tags', 'DeadLetterQueue', 'Role', 'Policies', 'AssumeRolePolicyDocument',
  'PermissionsBoundary', 'AutoPublishAlias', 'Events', 'EventInvokeConfig', 'FunctionUrlConfig',
]);

/** Pass-through properties the expansion resolves itself (numbers, lists, names): the rest are copied as written. */
const RESOLVED_PROPERTIES = new Set(['Architectures', 'FunctionName', 'Handler', 'Layers', 'MemorySize', 'PackageType', 'ReservedConcurrentExecutions', 'Runtime', 'Timeout']);
const PASS_THROUGH = SAM_FUNCTION_PASS_THROUGH.filter((name) => !RESOLVED_PROPERTIES.has(name));

/** Expands every SAM resource of `template` (which is not modified). */
export function expandSamTemplate(template: any, options: SamExpandOptions): ExpandedSamTemplate {
  const source = options.source ?? options.stackName;
  const globals = checkGlobals(template.Globals, source);
  const resources: Record<string, any> = template.Resources ?? {};
  const { values, missing } = parameterValues(template, options.parameterOverrides);
  const ctx: ResolveContext = {
    stackName: options.stackName,
    region: options.region ?? LAMBDA_DEFAULTS.region,
    accountId: options.accountId ?? LAMBDA_DEFAULTS.accountId,
    parameters: values,
    resources,
    conditions: template.Conditions ?? {},
    missingParameters: missing,
    parameterDeclarations: template.Parameters ?? {},
    mappings: template.Mappings ?? {},
  };
  const explain = (bad: Unresolved): string => bad.reason;

  const out: Record<string, any> = {};
  const warnings: Record<string, string[]> = {};
  const missingCode: Record<string, string> = {};
  const unsupported: Record<string, string[]> = {};
  const renamedRefs = new Map<string, string>();
  const bucketNotifications = new Map<string, any[]>();
  for (const [logicalId, resource] of Object.entries<any>(resources)) {
    const merged = withGlobals(resource, globals);
    if (resource?.Type === 'AWS::Serverless::Function') {
      const expander = new FunctionExpander(logicalId, merged, { ctx, out, options, source, explain, resources, renamedRefs, bucketNotifications });
      expander.expand();
      warnings[logicalId] = expander.warnings;
      if (expander.missingCode) missingCode[logicalId] = expander.missingCode;
      unsupported[logicalId] = expander.unsupported();
    } else if (resource?.Type === 'AWS::Serverless::LayerVersion') {
      out[logicalId] = expandLayer(logicalId, merged, ctx, source, explain, options.baseDir);
    } else {
      out[logicalId] = resource;
    }
  }
  addAuthorizerPermissions(out);
  // As SAM's transform does, a bucket an S3 event names gets a LambdaConfiguration per event type.
  for (const [bucketId, configs] of bucketNotifications) {
    const bucket = out[bucketId];
    if (bucket?.Type !== 'AWS::S3::Bucket') continue;
    const p = bucket.Properties ?? {};
    const existing = p.NotificationConfiguration ?? {};
    out[bucketId] = {
      ...bucket,
      Properties: { ...p, NotificationConfiguration: { ...existing, LambdaConfigurations: [...(existing.LambdaConfigurations ?? []), ...configs] } },
    };
  }
  const { Transform: _transform, Globals: _globals, ...rest } = template;
  const expanded = { ...rest, Resources: renameRefs(out, renamedRefs) };
  return { template: expanded, warnings, missingCode, unsupported };
}

/** A resource with its Globals section merged in (unless it opts out with `IgnoreGlobals`). */
function withGlobals(resource: any, globals: Record<string, Record<string, any>>): any {
  const section = GLOBALS_SECTION_OF_TYPE[resource?.Type];
  const global = section ? globals[section] : undefined;
  if (!global) return resource;
  const ignore = resource.IgnoreGlobals;
  const ignored: string[] = ignore === '*' ? Object.keys(global) : Array.isArray(ignore) ? ignore : [];
  const applied = Object.fromEntries(Object.entries(global).filter(([key]) => !ignored.includes(key)));
  return { ...resource, Properties: mergeGlobals(applied, resource.Properties ?? {}) };
}

interface ExpandContext {
  readonly ctx: ResolveContext;
  readonly out: Record<string, any>;
  readonly options: SamExpandOptions;
  readonly source: string;
  readonly explain: (bad: Unresolved) => string;
  readonly resources: Record<string, any>;
  /** `Function.Alias` / `Function.Version` references → generated logical ids. */
  readonly renamedRefs: Map<string, string>;
  /** SAM S3 events: LambdaConfigurations to add to their bucket's NotificationConfiguration (by bucket logical id). */
  readonly bucketNotifications: Map<string, any[]>;
}

/** Expands one `AWS::Serverless::Function` into its CloudFormation resources. */
class FunctionExpander {
  public readonly warnings: string[] = [];
  /** Set when the local `CodeUri` does not exist: the error an invoke gives. */
  public missingCode?: string;
  private readonly props: Record<string, any>;
  /** What events, URLs and async configuration attach to: the alias when `AutoPublishAlias` is set. */
  private target: { ref: any; arn: any; qualifier: string };

  constructor(private readonly id: string, private readonly resource: any, private readonly x: ExpandContext) {
    this.props = resource.Properties ?? {};
    this.target = { ref: { Ref: id }, arn: { 'Fn::GetAtt': [id, 'Arn'] }, qualifier: '$LATEST' };
  }

  expand(): void {
    const p = this.props;
    const fn: Record<string, any> = {};
    const packageType = this.optional('PackageType') ?? 'Zip';
    const metadata: Record<string, any> = { ...(this.resource.Metadata ?? {}) };
    fn.Code = this.code(packageType, metadata);
    if (packageType !== 'Image') {
      for (const name of ['Handler', 'Runtime']) {
        if (p[name] === undefined) {
          throw new Error(`${this.where(name)} is missing: a Zip function needs Handler and Runtime (on the function or in Globals.Function)`);
        }
        fn[name] = String(this.required(name));
      }
    }
    if (packageType === 'Image') fn.PackageType = 'Image';
    for (const name of ['MemorySize', 'Timeout', 'ReservedConcurrentExecutions']) {
      const value = this.optional(name);
      if (value === undefined) continue;
      const n = Number(value);
      if (!Number.isFinite(n)) throw new Error(`${this.where(name)} must be a number, got ${JSON.stringify(value)}`);
      fn[name] = n;
    }
    const architectures = this.optional('Architectures');
    if (architectures !== undefined) {
      // A `String` parameter (`!Ref Arch`) gives one name; a `CommaDelimitedList` parameter resolves to a list.
      if (typeof architectures === 'string') fn.Architectures = architectures.split(',').map((a) => a.trim());
      else if (Array.isArray(architectures)) fn.Architectures = architectures.map(String);
      else throw new Error(`${this.where('Architectures')} must be a list (x86_64 or arm64), got ${JSON.stringify(architectures)}`);
    }
    const name = this.optional('FunctionName');
    if (name !== undefined) fn.FunctionName = String(name);
    for (const prop of PASS_THROUGH) if (p[prop] !== undefined) fn[prop] = p[prop];
    if (p.Layers !== undefined) fn.Layers = this.layers();
    if (p.Tracing !== undefined && p.Tracing !== 'Disabled') fn.TracingConfig = { Mode: p.Tracing };
    if (p.Tags && typeof p.Tags === 'object') fn.Tags = Object.entries(p.Tags).map(([Key, Value]) => ({ Key, Value }));
    if (p.DeadLetterQueue !== undefined) fn.DeadLetterConfig = { TargetArn: this.deadLetterQueue() };
    fn.Role = this.role();

    this.x.out[this.id] = {
      ...withoutSamAttributes(this.resource),
      Type: 'AWS::Lambda::Function',
      Properties: fn,
      ...(Object.keys(metadata).length ? { Metadata: metadata } : {}),
    };
    this.autoPublishAlias();
    for (const [eventName, event] of Object.entries<any>(p.Events ?? {})) this.event(eventName, event);
    this.eventInvokeConfig();
    this.functionUrl();
  }

  /** The function's SAM properties that nothing here reads (e.g. DeploymentPreference, ProvisionedConcurrencyConfig). */
  unsupported(): string[] {
    return Object.keys(this.props)
      .filter((name) => !EXPANDED_PROPERTIES.has(name) && !SAM_FUNCTION_PASS_THROUGH.includes(name))
      .map((name) => `Properties.${name}: a SAM property lambda-twin does not emulate`);
  }

  private where(property: string): string {
    return `${this.x.source}: Resources.${this.id}.Properties.${property}`;
  }

  /** A property the function cannot run without: an error when it cannot be resolved. */
  private required(property: string, value: any = this.props[property]): any {
    const resolved = resolveValue(value, this.x.ctx);
    const bad = findUnresolved(resolved);
    if (bad) throw new Error(`${this.where(property)} cannot be resolved locally: ${this.x.explain(bad)}`);
    return resolved;
  }

  /** A property with a default: a warning (and the default) when it cannot be resolved. */
  private optional(property: string): any {
    if (this.props[property] === undefined) return undefined;
    const resolved = resolveValue(this.props[property], this.x.ctx);
    const bad = findUnresolved(resolved);
    if (bad?.parameter !== undefined) throw new Error(`${this.where(property)} cannot be resolved locally: ${this.x.explain(bad)}`);
    if (bad) {
      this.warnings.push(`${property} of ${this.id} cannot be resolved locally (${this.x.explain(bad)}); lambda-twin uses Lambda's default`);
      return undefined;
    }
    return resolved;
  }

  private code(packageType: string, metadata: Record<string, any>): any {
    const p = this.props;
    if (packageType === 'Image') {
      return { ImageUri: p.ImageUri !== undefined ? this.required('ImageUri') : 'image-uri-not-set' };
    }
    // The SAM translator and SAM CLI take InlineCode over CodeUri when both are set (a CodeUri from Globals included).
    if (p.InlineCode !== undefined) return { ZipFile: p.InlineCode };
    if (p.CodeUri === undefined) {
      // SAM CLI runs a function without CodeUri from the template's folder (its default CodeUri is '.').
      metadata['aws:asset:path'] = '.';
      metadata['aws:asset:property'] = 'Code';
      return {};
    }
    const assetPath = metadata['aws:asset:path'];
    const assetProperty = metadata['aws:asset:property'];
    // SAM CLI replaces the property named by aws:asset:property with aws:asset:path (CDK output): so do we.
    if (assetPath && (assetProperty === undefined || assetProperty === 'CodeUri' || assetProperty === 'Code')) {
      metadata['aws:asset:property'] = 'Code';
      return s3Code(resolveValue(p.CodeUri, this.x.ctx));
    }
    const uri = this.required('CodeUri');
    if (typeof uri === 'string' && !uri.startsWith('s3://')) {
      metadata['aws:asset:path'] = uri;
      metadata['aws:asset:property'] = 'Code';
      const problem = missingLocalPath(this.x.options.baseDir, uri);
      if (problem) {
        this.missingCode = `${this.where('CodeUri')} is '${uri}', ${problem}`;
        this.warnings.push(`CodeUri of ${this.id} is '${uri}', ${problem}`);
      }
      return {};
    }
    return s3Code(uri);
  }

  /** Layers as written, with `!GetAtt Layer.Arn` of a local layer turned into the `!Ref` the loader follows. */
  private layers(): any[] {
    const written = this.props.Layers;
    // `!Ref` to a CommaDelimitedList parameter resolves to the list of ARNs.
    const layers = Array.isArray(written) ? written : resolveValue(written, this.x.ctx);
    if (!Array.isArray(layers)) throw new Error(`${this.where('Layers')} must be a list of layer ARNs or !Ref to layers`);
    return layers.map((layer) => {
      const getAtt = layer?.['Fn::GetAtt'];
      const target = Array.isArray(getAtt) ? getAtt[0] : typeof getAtt === 'string' ? getAtt.split('.')[0] : undefined;
      const type = target ? this.x.resources[target]?.Type : undefined;
      if (type === 'AWS::Serverless::LayerVersion' || type === 'AWS::Lambda::LayerVersion') return { Ref: target };
      return layer;
    });
  }

  private deadLetterQueue(): any {
    const dlq = this.props.DeadLetterQueue;
    if (!dlq || typeof dlq !== 'object' || !['SNS', 'SQS'].includes(dlq.Type) || dlq.TargetArn === undefined) {
      throw new Error(`${this.where('DeadLetterQueue')} must be { Type: SNS | SQS, TargetArn: <arn> }, got ${JSON.stringify(dlq)}`);
    }
    return dlq.TargetArn;
  }

  /** `Role` as given; otherwise the role SAM generates (`<Function>Role`), trusted by Lambda, with basic execution. */
  private role(): any {
    const p = this.props;
    if (p.Role !== undefined) {
      if (p.Policies !== undefined) this.warnings.push(`Policies of ${this.id} are ignored because Role is set (SAM does the same)`);
      return p.Role;
    }
    const roleId = `${this.id}Role`;
    this.x.out[roleId] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: p.AssumeRolePolicyDocument ?? LAMBDA_TRUST,
        ManagedPolicyArns: [BASIC_EXECUTION_ROLE],
        ...(p.PermissionsBoundary !== undefined ? { PermissionsBoundary: p.PermissionsBoundary } : {}),
      },
      // SAM turns Policies into managed policy ARNs, inline policies and policy templates; the twin does not enforce
      // IAM, so they are kept as they were written for whoever reads the expanded template.
      ...(p.Policies !== undefined ? { Metadata: { 'lambda-twin:sam-policies': p.Policies } } : {}),
    };
    return { 'Fn::GetAtt': [roleId, 'Arn'] };
  }

  private autoPublishAlias(): void {
    if (this.props.AutoPublishAlias === undefined) return;
    const alias = String(this.required('AutoPublishAlias'));
    if (!PATTERNS.aliasName.test(alias)) {
      throw new Error(`${this.where('AutoPublishAlias')} '${alias}' is not a valid alias name (letters, digits, - and _, not only digits)`);
    }
    const versionId = `${this.id}Version`;
    const aliasId = `${this.id}Alias${alias.replace(/[^A-Za-z0-9]/g, '')}`;
    this.x.out[versionId] = { Type: 'AWS::Lambda::Version', DeletionPolicy: 'Retain', Properties: { FunctionName: { Ref: this.id } } };
    this.x.out[aliasId] = {
      Type: 'AWS::Lambda::Alias',
      Properties: { Name: alias, FunctionName: { Ref: this.id }, FunctionVersion: { 'Fn::GetAtt': [versionId, 'Version'] } },
    };
    this.x.renamedRefs.set(`${this.id}.Version`, versionId);
    this.x.renamedRefs.set(`${this.id}.Alias`, aliasId);
    this.target = { ref: { Ref: aliasId }, arn: { Ref: aliasId }, qualifier: alias };
  }

  private event(eventName: string, event: any): void {
    const type = event?.Type;
    const p = event?.Properties ?? {};
    const id = `${this.id}${eventName}`;
    const need = (property: string): any => {
      if (p[property] === undefined) throw new Error(`${this.where(`Events.${eventName}.Properties.${property}`)} is missing: a ${type} event needs it`);
      return p[property];
    };
    const permission = (principal: any, extra: Record<string, any>, suffix = 'Permission'): void => {
      this.x.out[`${id}${suffix}`] = {
        Type: 'AWS::Lambda::Permission',
        Properties: { Action: 'lambda:InvokeFunction', FunctionName: this.target.ref, Principal: principal, ...extra },
      };
    };
    if (typeof type !== 'string') throw new Error(`${this.where(`Events.${eventName}.Type`)} is missing`);
    const poll = Object.prototype.hasOwnProperty.call(SAM_POLL_EVENTS, type) ? SAM_POLL_EVENTS[type] : undefined;
    if (poll) {
      const mapping: Record<string, any> = { FunctionName: this.target.ref };
      if (poll.sourceProperty) mapping.EventSourceArn = need(poll.sourceProperty);
      for (const prop of poll.properties) if (p[prop] !== undefined) mapping[prop] = p[prop];
      this.x.out[id] = { Type: 'AWS::Lambda::EventSourceMapping', Properties: mapping };
      return;
    }
    switch (type) {
      case 'Api':
      case 'HttpApi': {
        const implicit = type === 'Api' ? ['ServerlessRestApi', 'AWS::ApiGateway::RestApi'] : ['ServerlessHttpApi', 'AWS::ApiGatewayV2::Api'];
        const apiRef = (type === 'Api' ? p.RestApiId : p.ApiId) ?? { Ref: implicit[0] };
        if (!(type === 'Api' ? p.RestApiId : p.ApiId) && !this.x.out[implicit[0]]) {
          this.x.out[implicit[0]] = { Type: implicit[1], Properties: {}, Metadata: { 'lambda-twin:implicit-api': true } };
        }
        if (type === 'Api') {
          need('Path');
          need('Method');
        }
        const method = p.Method === undefined || String(p.Method).toLowerCase() === 'any' ? '*' : String(p.Method).toUpperCase();
        const route = p.Path === undefined ? '' : `/${method}${String(p.Path).replace(/\{[^}]+\}/g, '*')}`;
        const resource = route ? `\${__ApiId__}/\${__Stage__}${route}` : '${__ApiId__}/${__Stage__}';
        permission('apigateway.amazonaws.com', {
          SourceArn: { 'Fn::Sub': [`arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:${resource}`, { __ApiId__: apiRef, __Stage__: '*' }] },
        });
        // The route itself, for the HTTP front's loader (src/load/apis/sam-apis.ts): SAM would write it into the API's
        // generated OpenAPI definition.
        this.x.out[`${id}Permission`].Metadata = {
          'lambda-twin:sam-api-event': { Type: type, EventName: eventName, Api: apiRef, FunctionLogicalId: this.id, Qualifier: this.target.qualifier, Properties: p },
        };
        return;
      }
      case 'S3': {
        const bucket = need('Bucket');
        const events = need('Events');
        // SAM sets SourceAccount, not the bucket's ARN: the bucket's notification configuration already depends on
        // the function, so a SourceArn would make a circular dependency.
        permission('s3.amazonaws.com', { SourceAccount: { Ref: 'AWS::AccountId' } });
        const bucketId = bucket?.Ref;
        if (typeof bucketId !== 'string' || this.x.resources[bucketId]?.Type !== 'AWS::S3::Bucket') {
          throw new Error(`${this.where(`Events.${eventName}.Properties.Bucket`)} must be a Ref to an AWS::S3::Bucket of this template (SAM's rule), got ${JSON.stringify(bucket)}`);
        }
        const configs = this.x.bucketNotifications.get(bucketId) ?? [];
        for (const s3Event of Array.isArray(events) ? events : [events]) {
          configs.push({ Event: s3Event, Function: this.target.arn, ...(p.Filter !== undefined ? { Filter: p.Filter } : {}) });
        }
        this.x.bucketNotifications.set(bucketId, configs);
        return;
      }
      case 'SNS': {
        const topic = need('Topic');
        permission('sns.amazonaws.com', { SourceArn: topic });
        const subscription: Record<string, any> = { Protocol: 'lambda', Endpoint: this.target.arn, TopicArn: topic };
        for (const prop of SAM_SNS_EVENT_PROPERTIES) if (p[prop] !== undefined) subscription[prop] = p[prop];
        this.x.out[id] = { Type: 'AWS::SNS::Subscription', Properties: subscription };
        return;
      }
      case 'Schedule':
      case 'CloudWatchEvent':
      case 'EventBridgeRule': {
        const rule: Record<string, any> = type === 'Schedule'
          ? { ScheduleExpression: need('Schedule'), State: p.State ?? (p.Enabled === false ? 'DISABLED' : 'ENABLED') }
          : { EventPattern: need('Pattern'), ...(p.EventBusName !== undefined ? { EventBusName: p.EventBusName } : {}), ...(p.State !== undefined ? { State: p.State } : {}) };
        const ruleName = p.Name ?? p.RuleName;
        if (ruleName !== undefined) rule.Name = ruleName;
        if (p.Description !== undefined) rule.Description = p.Description;
        const targetId = p.Target?.Id ?? `${id}LambdaTarget`;
        const input = {
          ...(p.Input !== undefined ? { Input: p.Input } : {}),
          ...(p.InputPath !== undefined ? { InputPath: p.InputPath } : {}),
          ...(p.InputTransformer !== undefined ? { InputTransformer: p.InputTransformer } : {}),
          ...(p.RetryPolicy !== undefined ? { RetryPolicy: p.RetryPolicy } : {}),
          ...(p.DeadLetterConfig?.Arn !== undefined ? { DeadLetterConfig: { Arn: p.DeadLetterConfig.Arn } } : {}),
        };
        rule.Targets = [{ Arn: this.target.arn, Id: targetId, ...input }];
        this.x.out[id] = { Type: 'AWS::Events::Rule', Properties: rule };
        permission('events.amazonaws.com', { SourceArn: { 'Fn::GetAtt': [id, 'Arn'] } });
        return;
      }
      case 'ScheduleV2':
        // EventBridge Scheduler invokes through a role, not a resource-based permission.
        this.x.out[id] = {
          Type: 'AWS::Scheduler::Schedule',
          Properties: {
            ScheduleExpression: need('ScheduleExpression'),
            FlexibleTimeWindow: p.FlexibleTimeWindow ?? { Mode: 'OFF' },
            ...Object.fromEntries(['Name', 'GroupName', 'ScheduleExpressionTimezone', 'State', 'StartDate', 'EndDate', 'Description']
              .filter((k) => p[k] !== undefined).map((k) => [k, p[k]])),
            Target: {
              Arn: this.target.arn,
              ...(p.RoleArn !== undefined ? { RoleArn: p.RoleArn } : {}),
              ...(p.Input !== undefined ? { Input: p.Input } : {}),
              ...(p.RetryPolicy !== undefined ? { RetryPolicy: p.RetryPolicy } : {}),
              ...(p.DeadLetterConfig?.Arn !== undefined ? { DeadLetterConfig: { Arn: p.DeadLetterConfig.Arn } } : {}),
            },
          },
        };
        return;
      case 'CloudWatchLogs':
        need('FilterPattern');
        permission({ 'Fn::Sub': 'logs.${AWS::Region}.amazonaws.com' }, {
          SourceArn: { 'Fn::Sub': ['arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${__LogGroupName__}:*', { __LogGroupName__: need('LogGroupName') }] },
        });
        return;
      case 'IoTRule':
        this.x.out[id] = { Type: 'AWS::IoT::TopicRule', Properties: { TopicRulePayload: { Sql: need('Sql'), Actions: [{ Lambda: { FunctionArn: this.target.arn } }] } } };
        permission('iot.amazonaws.com', {
          SourceAccount: { Ref: 'AWS::AccountId' },
          SourceArn: { 'Fn::Sub': ['arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:rule/${RuleName}', { RuleName: { Ref: id } }] },
        });
        return;
      case 'AlexaSkill':
        permission('alexa-appkit.amazon.com', p.SkillId !== undefined ? { EventSourceToken: p.SkillId } : {});
        return;
      case 'Cognito': {
        const pool = need('UserPool');
        const poolId = pool?.Ref;
        permission('cognito-idp.amazonaws.com', { SourceArn: poolId ? { 'Fn::GetAtt': [poolId, 'Arn'] } : pool });
        return;
      }
      default:
        this.warnings.push(`Event ${eventName} of ${this.id} has type ${type}, which lambda-twin records but does not model (no permission is created for it)`);
    }
  }

  private eventInvokeConfig(): void {
    const config = this.props.EventInvokeConfig;
    if (config === undefined) return;
    const number = (name: string): number | undefined => {
      if (config[name] === undefined) return undefined;
      const n = Number(this.required(`EventInvokeConfig.${name}`, config[name]));
      if (!Number.isFinite(n)) throw new Error(`${this.where(`EventInvokeConfig.${name}`)} must be a number`);
      return n;
    };
    const destination = (side: 'OnSuccess' | 'OnFailure'): any => {
      const d = config.DestinationConfig?.[side];
      if (d === undefined) return undefined;
      if (d.Destination === undefined) {
        this.warnings.push(`EventInvokeConfig.DestinationConfig.${side} of ${this.id} has no Destination (SAM would create a ${d.Type ?? 'destination'} for it); none is used locally`);
        return undefined;
      }
      return { Destination: d.Destination };
    };
    const onSuccess = destination('OnSuccess');
    const onFailure = destination('OnFailure');
    const destinations = { ...(onSuccess && { OnSuccess: onSuccess }), ...(onFailure && { OnFailure: onFailure }) };
    this.x.out[`${this.id}EventInvokeConfig`] = {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: {
        FunctionName: { Ref: this.id },
        Qualifier: this.target.qualifier,
        ...(config.MaximumEventAgeInSeconds !== undefined ? { MaximumEventAgeInSeconds: number('MaximumEventAgeInSeconds') } : {}),
        ...(config.MaximumRetryAttempts !== undefined ? { MaximumRetryAttempts: number('MaximumRetryAttempts') } : {}),
        ...(onSuccess || onFailure ? { DestinationConfig: destinations } : {}),
      },
    };
  }

  private functionUrl(): void {
    const config = this.props.FunctionUrlConfig;
    if (config === undefined) return;
    const authType = this.required('FunctionUrlConfig.AuthType', config.AuthType);
    if (authType !== 'NONE' && authType !== 'AWS_IAM') {
      throw new Error(`${this.where('FunctionUrlConfig.AuthType')} must be NONE or AWS_IAM, got ${JSON.stringify(authType)}`);
    }
    const qualified = this.target.qualifier !== '$LATEST' ? { Qualifier: this.target.qualifier } : {};
    const passed = Object.fromEntries(['Cors', 'InvokeMode'].filter((k) => config[k] !== undefined).map((k) => [k, config[k]]));
    this.x.out[`${this.id}Url`] = { Type: 'AWS::Lambda::Url', Properties: { TargetFunctionArn: { Ref: this.id }, AuthType: authType, ...qualified, ...passed } };
    if (authType === 'NONE') {
      this.x.out[`${this.id}UrlPublicPermissions`] = {
        Type: 'AWS::Lambda::Permission',
        Properties: { Action: 'lambda:InvokeFunctionUrl', FunctionName: this.target.ref, Principal: '*', FunctionUrlAuthType: 'NONE' },
      };
    }
  }
}

/** Expands one `AWS::Serverless::LayerVersion`: `ContentUri` (local path or S3) becomes `Content`. */
function expandLayer(
  logicalId: string, resource: any, ctx: ResolveContext, source: string, explain: (bad: Unresolved) => string, baseDir: string,
): any {
  const p = resource.Properties ?? {};
  const where = `${source}: Resources.${logicalId}.Properties.ContentUri`;
  if (p.ContentUri === undefined) throw new Error(`${where} is missing: a layer needs its content (a local folder or .zip, or an S3 location)`);
  const metadata: Record<string, any> = { ...(resource.Metadata ?? {}) };
  const layer: Record<string, any> = {};
  for (const prop of SAM_LAYER_PASS_THROUGH) {
    if (p[prop] !== undefined) layer[prop] = p[prop];
  }
  const assetPath = metadata['aws:asset:path'];
  if (assetPath && (metadata['aws:asset:property'] === undefined || ['ContentUri', 'Content'].includes(metadata['aws:asset:property']))) {
    metadata['aws:asset:property'] = 'Content';
    layer.Content = s3Code(resolveValue(p.ContentUri, ctx));
  } else {
    const uri = resolveValue(p.ContentUri, ctx);
    const bad = findUnresolved(uri);
    if (bad) throw new Error(`${where} cannot be resolved locally: ${explain(bad)}`);
    if (typeof uri === 'string' && !uri.startsWith('s3://')) {
      metadata['aws:asset:path'] = uri;
      metadata['aws:asset:property'] = 'Content';
      const problem = missingLocalPath(baseDir, uri);
      if (problem) throw new Error(`${where} is '${uri}', ${problem}`);
      layer.Content = {};
    } else {
      layer.Content = s3Code(uri);
    }
  }
  return { ...withoutSamAttributes(resource), Type: 'AWS::Lambda::LayerVersion', Properties: layer, ...(Object.keys(metadata).length ? { Metadata: metadata } : {}) };
}

/**
 * Why a local `CodeUri`/`ContentUri` cannot be used, or undefined when it exists. Names are matched case-sensitively,
 * as on Lambda's Linux (a case-insensitive disk would otherwise hide the mistake), with a hint when only the case differs.
 */
export function missingLocalPath(baseDir: string, uri: string): string | undefined {
  const absolute = path.resolve(baseDir, uri);
  const root = path.parse(absolute).root;
  let actual = root;
  let caseDiffers = false;
  for (const segment of absolute.slice(root.length).split(path.sep).filter(Boolean)) {
    let entries: string[];
    try {
      entries = fs.readdirSync(actual);
    } catch {
      // An unreadable parent folder: only the operating system can tell.
      return fs.existsSync(absolute) ? undefined : `which does not exist: CodeUri and ContentUri are relative to the template's folder (looked for ${absolute})`;
    }
    const folded = entries.includes(segment) ? segment : entries.find((e) => e.toLowerCase() === segment.toLowerCase());
    if (folded === undefined) {
      return `which does not exist: CodeUri and ContentUri are relative to the template's folder (looked for ${absolute})`;
    }
    caseDiffers ||= folded !== segment;
    actual = path.join(actual, folded);
  }
  if (!caseDiffers) return undefined;
  return `which does not exist: only ${actual} does, which differs in upper and lower case, and names are case-sensitive ` +
    `on Lambda (write '${path.relative(baseDir, actual) || '.'}')`;
}

/** An S3 `CodeUri`/`ContentUri` (`s3://bucket/key` or `{Bucket, Key, Version}`) as CloudFormation's Code/Content. */
function s3Code(uri: any): any {
  if (typeof uri === 'string') {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    return m ? { S3Bucket: m[1], S3Key: m[2] } : { S3Bucket: '', S3Key: uri };
  }
  if (uri && typeof uri === 'object') {
    return { S3Bucket: uri.Bucket, S3Key: uri.Key, ...(uri.Version !== undefined ? { S3ObjectVersion: uri.Version } : {}) };
  }
  return {};
}

/** Resource attributes that exist only in SAM. */
function withoutSamAttributes(resource: any): any {
  const { IgnoreGlobals: _ignore, Connectors: _connectors, Properties: _props, Metadata: _metadata, ...attributes } = resource;
  return attributes;
}

/** Rewrites `!Ref Function.Alias` and `!Ref Function.Version` to the generated alias and version. */
function renameRefs(value: any, renamed: Map<string, string>): any {
  if (renamed.size === 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => renameRefs(v, renamed));
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref' && typeof value.Ref === 'string' && renamed.has(value.Ref)) return { Ref: renamed.get(value.Ref) };
  const out: Record<string, any> = {};
  for (const key of keys) out[key] = renameRefs(value[key], renamed);
  return out;
}


/**
 * The permissions SAM adds for the Lambda authorizers of `AWS::Serverless::Api` (always) and
 * `AWS::Serverless::HttpApi` (with `EnableFunctionDefaultPermissions`): API Gateway may invoke the function for any
 * authorizer of the API. The authorizers themselves stay in the API's `Auth` section (src/load/apis/authorizers.ts).
 */
function addAuthorizerPermissions(out: Record<string, any>): void {
  for (const [apiId, resource] of Object.entries<any>({ ...out })) {
    const rest = resource?.Type === 'AWS::Serverless::Api';
    if (!rest && resource?.Type !== 'AWS::Serverless::HttpApi') continue;
    const authorizers = resource.Properties?.Auth?.Authorizers;
    if (!authorizers || typeof authorizers !== 'object') continue;
    for (const [name, config] of Object.entries<any>(authorizers)) {
      if (config?.FunctionArn === undefined) continue;
      if (!rest && config.EnableFunctionDefaultPermissions !== true) continue;
      const id = `${apiId}${name.replace(/[^A-Za-z0-9]/g, '')}AuthorizerPermission`;
      if (out[id]) continue;
      out[id] = {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          Action: 'lambda:InvokeFunction',
          FunctionName: config.FunctionArn,
          Principal: 'apigateway.amazonaws.com',
          SourceArn: { 'Fn::Sub': ['arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/authorizers/*', { __ApiId__: { Ref: apiId } }] },
        },
      };
    }
  }
}
