// Turns a CloudFormation template (with local code) into FunctionSpecs: functions with their code, layers,
// versions, aliases, resource-based policy statements, async invoke configuration and URL auth.
import * as path from 'path';
import { loadApis } from './apis';
import { findUnresolved, parameterValues, physicalId, ResolveContext, resolveValue, Unresolved, versionNumber } from './intrinsics';
import { LoadedTemplate } from './resource-context';
import { loadTriggers } from './triggers';
import { AUTH_RESOURCE_TYPES } from '../model/api-auth';
import { mappingSource } from './triggers/poll-sources';
import { AppModel } from '../model/app-model';
import { AliasSpec, AsyncConfigSpec, FunctionSpec, LAMBDA_DEFAULTS, LayerSpec, PermissionSpec, VersionSpec } from '../model/function-spec';
import { POLL_SOURCE_TYPES } from '../model/triggers-poll';
import { PUSH_SOURCE_TYPES } from '../model/triggers-push';

/** `AWS::Lambda::Function` properties the twin reads but does not emulate, with what happens instead. */
const NOT_EMULATED_PROPERTIES: Record<string, string> = {
  VpcConfig: 'the function runs in the host\'s network, not in the VPC\'s subnets and security groups',
  FileSystemConfigs: 'no EFS file system is mounted',
  KmsKeyArn: 'environment variables are not encrypted',
  ImageConfig: 'container images are not run',
  SnapStart: 'no snapshots: every cold start runs the whole INIT phase',
  TracingConfig: 'no X-Ray traces are sent',
  LoggingConfig: 'logs are written as text to the environment\'s log file',
  CodeSigningConfigArn: 'code signatures are not checked',
  RuntimeManagementConfig: 'the host\'s interpreter runs, whatever version the configuration pins',
  RecursiveLoop: 'recursive invocations are not detected',
  TenancyConfig: 'not emulated',
  DurableConfig: 'not emulated',
  CapacityProviderConfig: 'not emulated: the function runs on the host',
  FunctionScalingConfig: 'not emulated',
  PublishToLatestPublished: 'not emulated',
};

/** Resource types the model covers, or that do not change how a function runs locally (IAM is not enforced for it). */
const MODELLED_OR_INERT_TYPES = new Set([
  'AWS::Lambda::Function', 'AWS::Lambda::Version', 'AWS::Lambda::Alias', 'AWS::Lambda::Permission', 'AWS::Lambda::EventInvokeConfig',
  'AWS::Lambda::Url', 'AWS::Lambda::LayerVersion', 'AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::Logs::LogGroup',
  'AWS::CDK::Metadata',
  ...AUTH_RESOURCE_TYPES,
  ...POLL_SOURCE_TYPES,
  ...PUSH_SOURCE_TYPES,
]);

export interface TemplateLoadOptions {
  /** Name of the stack (used for generated names and `AWS::StackName`). */
  readonly stackName: string;
  /** Folder that relative code paths are resolved against. */
  readonly baseDir: string;
  readonly region?: string;
  readonly accountId?: string;
  readonly parameterOverrides?: Record<string, string>;
  /** How the template is named in error messages (its file); the stack name when absent. */
  readonly source?: string;
  /** Finds the local path of an asset from a resource's Code/Content (cloud assemblies). */
  readonly assetPath?: (resource: any, property: 'Code' | 'Content') => string | undefined;
  /** A last word on each function spec before triggers and APIs are read (the assembly loader adds construct paths). */
  readonly adjustFunction?: (spec: FunctionSpec) => FunctionSpec;
  /** The construct path of a resource by logical id (cloud assemblies: from tree.json), for triggers and APIs. */
  readonly constructPathOf?: (logicalId: string) => string | undefined;
}

/** Builds the resolve context of a template. */
export function resolveContextFor(template: any, options: TemplateLoadOptions): ResolveContext {
  return {
    stackName: options.stackName,
    region: options.region ?? LAMBDA_DEFAULTS.region,
    accountId: options.accountId ?? LAMBDA_DEFAULTS.accountId,
    parameters: parameterValues(template, options.parameterOverrides).values,
    missingParameters: parameterValues(template, options.parameterOverrides).missing,
    resources: template.Resources ?? {},
    conditions: template.Conditions ?? {},
    parameterDeclarations: template.Parameters ?? {},
    mappings: template.Mappings ?? {},
  };
}

/** Reads every `AWS::Lambda::Function` of a CloudFormation template. */
export function loadCloudFormationTemplate(template: any, options: TemplateLoadOptions): FunctionSpec[] {
  return loadCloudFormationApp(template, options).functions;
}

/**
 * Reads a CloudFormation template into the app model: its functions, then (given those) its triggers and HTTP
 * fronts. `adjust` lets the SAM loader add what it knows about each function before the resource loaders see them.
 */
export function loadCloudFormationApp(
  template: any, options: TemplateLoadOptions, adjust: (spec: FunctionSpec) => FunctionSpec = (s) => s,
): AppModel {
  const ctx = resolveContextFor(template, options);
  const resources: Record<string, any> = template.Resources ?? {};
  const functions: FunctionSpec[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource?.Type !== 'AWS::Lambda::Function') continue;
    const spec = adjust(functionSpec(logicalId, resource, resources, ctx, options));
    functions.push(options.adjustFunction ? options.adjustFunction(spec) : spec);
  }
  const loaded: LoadedTemplate = { template, ctx, options, functions };
  return { functions, triggers: loadTriggers(loaded), apis: loadApis(loaded) };
}

function functionSpec(
  logicalId: string, resource: any, resources: Record<string, any>, ctx: ResolveContext, options: TemplateLoadOptions,
): FunctionSpec {
  const warnings: string[] = [];
  const props = resource.Properties ?? {};
  /** A property's value; a parameter without a value is an error naming it (CloudFormation refuses the stack too). */
  const resolveProperty = (value: any, property: string): any => {
    const v = resolveValue(value, ctx);
    const bad = findUnresolved(v);
    if (bad?.parameter !== undefined) {
      throw new Error(`${options.source ?? ctx.stackName}: Resources.${logicalId}.Properties.${property} cannot be resolved locally: ${bad.reason}`);
    }
    return v;
  };
  const resolve = (value: any, what: string, property: string): any => {
    const v = resolveProperty(value, property);
    const bad = findUnresolved(v);
    if (bad) {
      warnings.push(`${what} of ${logicalId} cannot be resolved locally: ${bad.reason}`);
      return undefined;
    }
    return v;
  };
  const functionName = String(physicalId(logicalId, resource, ctx));
  const constructPath: string | undefined = resource.Metadata?.['aws:cdk:path'];
  const code = props.Code ?? {};
  let codePath: string | undefined;
  let inlineCode: string | undefined;
  if (code.ZipFile !== undefined) {
    inlineCode = resolve(code.ZipFile, 'Code.ZipFile', 'Code.ZipFile');
  } else if (!code.ImageUri) {
    codePath = options.assetPath?.(resource, 'Code');
    if (!codePath) warnings.push(`Function ${logicalId} has no local code (Code points at S3 without a local asset)`);
  }

  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries<any>(props.Environment?.Variables ?? {})) {
    const v = resolve(value, `Environment variable ${key}`, `Environment.Variables.${key}`);
    if (v !== undefined) environment[key] = String(v);
  }

  const layers: LayerSpec[] = [];
  for (const ref of props.Layers ?? []) {
    const layerLogicalId = ref?.Ref;
    const layerResource = layerLogicalId ? resources[layerLogicalId] : undefined;
    if (layerResource?.Type === 'AWS::Lambda::LayerVersion') {
      const lp = layerResource.Properties ?? {};
      const contentPath = options.assetPath?.(layerResource, 'Content');
      if (!contentPath) warnings.push(`Layer ${layerLogicalId} of ${logicalId} has no local content; it is skipped`);
      layers.push({
        id: layerLogicalId,
        contentPath,
        compatibleRuntimes: lp.CompatibleRuntimes,
        compatibleArchitectures: lp.CompatibleArchitectures,
      });
    } else {
      const arn = resolveValue(ref, ctx);
      warnings.push(`Layer ${typeof arn === 'string' ? arn : JSON.stringify(ref)} of ${logicalId} is not in this template; lambda-twin runs without it`);
      layers.push({ id: typeof arn === 'string' ? arn : JSON.stringify(ref), arn: typeof arn === 'string' ? arn : undefined });
    }
  }

  const refersToThis = (value: any): boolean => referencesFunction(value, logicalId, functionName);
  const permissions: PermissionSpec[] = [];
  const versions: VersionSpec[] = [];
  const aliases: AliasSpec[] = [];
  let asyncConfig: AsyncConfigSpec | undefined;
  let functionUrlAuthType: string | undefined;
  const versionIds = new Map<string, string>();
  for (const [id, r] of Object.entries<any>(resources)) {
    if (r?.Type === 'AWS::Lambda::Version' && refersToThis(r.Properties?.FunctionName)) {
      const version = String(versionNumber(id, ctx));
      versions.push({ logicalId: id, version });
      versionIds.set(id, version);
    }
  }
  for (const [id, r] of Object.entries<any>(resources)) {
    const p = r?.Properties ?? {};
    if (r?.Type === 'AWS::Lambda::Alias' && refersToThis(p.FunctionName)) {
      const fv = p.FunctionVersion;
      const versionRef = fv?.['Fn::GetAtt']?.[0] ?? fv?.Ref;
      const functionVersion = versionRef && versionIds.has(versionRef) ? versionIds.get(versionRef)! : String(resolveValue(fv, ctx));
      aliases.push({ logicalId: id, name: String(resolveValue(p.Name, ctx)), functionVersion });
    }
  }
  const aliasByLogicalId = new Map(aliases.map((a) => [a.logicalId, a.name]));
  for (const [id, r] of Object.entries<any>(resources)) {
    const p = r?.Properties ?? {};
    if (r?.Type === 'AWS::Lambda::Permission') {
      const target = p.FunctionName;
      const targetAlias = target?.Ref ?? target?.['Fn::GetAtt']?.[0];
      const qualifier = targetAlias && aliasByLogicalId.has(targetAlias) ? aliasByLogicalId.get(targetAlias)
        : targetAlias && versionIds.has(targetAlias) ? versionIds.get(targetAlias) : undefined;
      if (!refersToThis(target) && qualifier === undefined) continue;
      if (qualifier !== undefined && !aliasOrVersionOfThis(targetAlias, resources, refersToThis)) continue;
      permissions.push({
        logicalId: id,
        action: String(resolveValue(p.Action, ctx)),
        principal: stringOrUnresolved(resolveValue(p.Principal, ctx)),
        sourceArn: p.SourceArn !== undefined ? stringOrUnresolved(resolveValue(p.SourceArn, ctx)) : undefined,
        sourceAccount: p.SourceAccount !== undefined ? stringOrUnresolved(resolveValue(p.SourceAccount, ctx)) : undefined,
        principalOrgId: p.PrincipalOrgID !== undefined ? String(resolveValue(p.PrincipalOrgID, ctx)) : undefined,
        functionUrlAuthType: p.FunctionUrlAuthType,
        qualifier,
      });
    } else if (r?.Type === 'AWS::Lambda::EventInvokeConfig' && refersToThis(p.FunctionName)) {
      asyncConfig = {
        maximumRetryAttempts: p.MaximumRetryAttempts,
        maximumEventAgeInSeconds: p.MaximumEventAgeInSeconds,
        onSuccessDestination: optionalString(resolveValue(p.DestinationConfig?.OnSuccess?.Destination, ctx)),
        onFailureDestination: optionalString(resolveValue(p.DestinationConfig?.OnFailure?.Destination, ctx)),
        deadLetterTargetArn: asyncConfig?.deadLetterTargetArn,
      };
    } else if (r?.Type === 'AWS::Lambda::Url' && refersToThis(p.TargetFunctionArn)) {
      functionUrlAuthType = p.AuthType;
    }
  }
  const dlq = props.DeadLetterConfig?.TargetArn;
  if (dlq !== undefined) {
    asyncConfig = { ...(asyncConfig ?? {}), deadLetterTargetArn: optionalString(resolveValue(dlq, ctx)) };
  }

  const unsupported = Object.keys(props).filter((name) => name in NOT_EMULATED_PROPERTIES)
    .map((name) => `Properties.${name}: ${NOT_EMULATED_PROPERTIES[name]}`);
  for (const [id, r] of Object.entries<any>(resources)) {
    if (r?.Type === 'AWS::Lambda::EventSourceMapping') {
      const target = r.Properties?.FunctionName;
      const viaAlias = target?.Ref ?? target?.['Fn::GetAtt']?.[0];
      const ofThis = refersToThis(target) || (typeof viaAlias === 'string' && aliasByLogicalId.has(viaAlias));
      const why = ofThis ? mappingSource(r, ctx).reason : undefined;
      if (why !== undefined) unsupported.push(`Resources.${id} (AWS::Lambda::EventSourceMapping): not emulated: ${why}`);
      continue;
    }
    if (id === logicalId || MODELLED_OR_INERT_TYPES.has(r?.Type) || !mentionsResource(r, logicalId)) continue;
    unsupported.push(`Resources.${id} (${r?.Type}): not emulated; nothing delivers its events locally, invoke the function with such an event instead`);
  }

  const reserved = props.ReservedConcurrentExecutions;
  return {
    logicalId,
    constructPath,
    constructId: constructIdFromPath(constructPath),
    stackName: ctx.stackName,
    functionName,
    runtime: props.Runtime !== undefined ? String(resolveProperty(props.Runtime, 'Runtime')) : undefined,
    handler: props.Handler !== undefined ? String(resolveProperty(props.Handler, 'Handler')) : undefined,
    packageType: props.PackageType ?? (code.ImageUri ? 'Image' : 'Zip'),
    codePath: codePath ? path.resolve(options.baseDir, codePath) : undefined,
    inlineCode,
    memorySize: numberOr(resolveProperty(props.MemorySize, 'MemorySize'), LAMBDA_DEFAULTS.memorySize),
    timeout: numberOr(resolveProperty(props.Timeout, 'Timeout'), LAMBDA_DEFAULTS.timeout),
    ephemeralStorage: numberOr(resolveProperty(props.EphemeralStorage?.Size, 'EphemeralStorage.Size'), LAMBDA_DEFAULTS.ephemeralStorage),
    architectures: architecturesOf(resolveProperty(props.Architectures, 'Architectures')),
    environment,
    layers: layers.map((l) => (l.contentPath ? { ...l, contentPath: path.resolve(options.baseDir, l.contentPath) } : l)),
    reservedConcurrency: reserved !== undefined ? Number(resolveProperty(reserved, 'ReservedConcurrentExecutions')) : undefined,
    permissions,
    versions,
    aliases,
    asyncConfig,
    functionUrlAuthType,
    region: ctx.region,
    accountId: ctx.accountId,
    warnings,
    unsupported,
  };
}

/** Whether a resource refers to `logicalId` (Ref, GetAtt or a `${…}` in a Sub) anywhere but its DependsOn. */
function mentionsResource(resource: any, logicalId: string): boolean {
  const { DependsOn: _dependsOn, ...rest } = resource ?? {};
  const text = JSON.stringify(rest);
  return text.includes(`"Ref":"${logicalId}"`) || text.includes(`"Fn::GetAtt":["${logicalId}"`)
    || text.includes(`"Fn::GetAtt":"${logicalId}.`) || text.includes(`\${${logicalId}.`) || text.includes(`\${${logicalId}}`);
}

function aliasOrVersionOfThis(logicalId: string, resources: Record<string, any>, refersToThis: (v: any) => boolean): boolean {
  return refersToThis(resources[logicalId]?.Properties?.FunctionName);
}

/** Whether a FunctionName/TargetFunctionArn value points at the function (Ref, GetAtt, name or ARN). */
function referencesFunction(value: any, logicalId: string, functionName: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value === functionName || value.endsWith(`:function:${functionName}`);
  if (value.Ref === logicalId) return true;
  if (Array.isArray(value['Fn::GetAtt']) && value['Fn::GetAtt'][0] === logicalId) return true;
  if (typeof value['Fn::GetAtt'] === 'string' && value['Fn::GetAtt'].startsWith(`${logicalId}.`)) return true;
  return false;
}

export function constructIdFromPath(constructPath: string | undefined): string | undefined {
  if (!constructPath) return undefined;
  const parts = constructPath.split('/');
  if (parts[parts.length - 1] === 'Resource' && parts.length > 1) parts.pop();
  return parts[parts.length - 1];
}


/** `Architectures` as resolved (a list, or one name from a `String` parameter); Lambda's default when unknown. */
function architecturesOf(value: any): string[] {
  if (typeof value === 'string') return value.split(',').map((a) => a.trim());
  if (Array.isArray(value) && value.length > 0 && value.every((a) => typeof a === 'string')) return value;
  return [LAMBDA_DEFAULTS.architecture];
}

function numberOr(value: any, fallback: number): number {
  const n = Number(value);
  return value === undefined || value instanceof Unresolved || Number.isNaN(n) ? fallback : n;
}

function optionalString(value: any): string | undefined {
  return value === undefined || value instanceof Unresolved ? undefined : String(value);
}

function stringOrUnresolved(value: any): string {
  return value instanceof Unresolved ? value.toString() : String(value);
}
