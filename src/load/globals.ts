// SAM's `Globals` section: which properties it may set and how they merge into each resource, following the rules of
// the SAM translator (samtranslator/plugins/globals): maps merge key by key, lists are concatenated (global first),
// anything else (scalars, intrinsic functions, mismatched types) is taken from the resource.

/** Function properties `Globals.Function` may not set (SAM rejects them). */
const FUNCTION_PROPERTIES_NOT_GLOBAL = ['Role', 'Policies', 'FunctionName', 'Events'];

/** Properties each `Globals` section accepts, for the resource types lambda-twin reads. */
const GLOBAL_PROPERTIES: Record<string, readonly string[]> = {
  Function: [
    'Handler', 'Runtime', 'CodeUri', 'DeadLetterQueue', 'Description', 'MemorySize', 'Timeout', 'VpcConfig',
    'Environment', 'Tags', 'PropagateTags', 'Tracing', 'KmsKeyArn', 'AutoPublishAlias', 'AutoPublishAliasAllProperties',
    'Layers', 'DeploymentPreference', 'RolePath', 'PermissionsBoundary', 'ReservedConcurrentExecutions',
    'ProvisionedConcurrencyConfig', 'AssumeRolePolicyDocument', 'EventInvokeConfig', 'FileSystemConfigs',
    'CodeSigningConfigArn', 'Architectures', 'SnapStart', 'EphemeralStorage', 'FunctionUrlConfig',
    'RuntimeManagementConfig', 'LoggingConfig', 'RecursiveLoop', 'SourceKMSKeyArn', 'TenancyConfig', 'DurableConfig',
    'CapacityProviderConfig', 'FunctionScalingConfig', 'PublishToLatestPublished', 'VersionDeletionPolicy',
  ],
  LayerVersion: ['PublishLambdaVersion'],
};

/** The resource type each Globals section applies to. */
export const GLOBALS_SECTION_OF_TYPE: Record<string, string> = {
  'AWS::Serverless::Function': 'Function',
  'AWS::Serverless::LayerVersion': 'LayerVersion',
};

/** Sections SAM knows but lambda-twin does not read (they configure APIs, tables, state machines …). */
const OTHER_SECTIONS = ['Api', 'HttpApi', 'SimpleTable', 'StateMachine', 'CapacityProvider', 'WebSocketApi', 'GraphQLApi'];

/**
 * Checks a template's `Globals` section the way SAM does and returns it. Throws an error naming the section and the
 * property, with the fix, for anything SAM would reject.
 */
export function checkGlobals(globals: any, where: string): Record<string, Record<string, any>> {
  if (globals === undefined || globals === null) return {};
  if (typeof globals !== 'object' || Array.isArray(globals)) {
    throw new Error(`${where}: Globals must be a map of sections (Function, Api, …), got ${JSON.stringify(globals)}`);
  }
  for (const [section, properties] of Object.entries<any>(globals)) {
    const allowed = GLOBAL_PROPERTIES[section];
    if (!allowed) {
      if (OTHER_SECTIONS.includes(section)) continue;
      throw new Error(`${where}: Globals.${section} is not a SAM Globals section; use one of ${[...Object.keys(GLOBAL_PROPERTIES), ...OTHER_SECTIONS].join(', ')}`);
    }
    if (!properties || typeof properties !== 'object' || Array.isArray(properties)) {
      throw new Error(`${where}: Globals.${section} must be a map of properties`);
    }
    for (const property of Object.keys(properties)) {
      if (allowed.includes(property)) continue;
      const why = section === 'Function' && FUNCTION_PROPERTIES_NOT_GLOBAL.includes(property)
        ? `SAM's Globals cannot set ${FUNCTION_PROPERTIES_NOT_GLOBAL.join(', ')}; set ${property} on each function`
        : `it is not a property Globals.${section} can set`;
      throw new Error(`${where}: Globals.${section}.${property} is not supported: ${why}`);
    }
  }
  return globals;
}

/** Merges global properties into a resource's own: the resource wins; maps merge, lists concatenate (global first). */
export function mergeGlobals(globalValue: any, localValue: any): any {
  if (globalValue === undefined) return localValue;
  if (localValue === undefined) return globalValue;
  const g = kindOf(globalValue);
  const l = kindOf(localValue);
  if (g !== l || g === 'primitive') return localValue;
  if (g === 'list') return [...globalValue, ...localValue];
  const merged: Record<string, any> = { ...globalValue };
  for (const [key, value] of Object.entries(localValue)) {
    merged[key] = key in merged ? mergeGlobals(merged[key], value) : value;
  }
  return merged;
}

/** Intrinsic functions count as primitives: they resolve to one value at deploy time, so they are never merged into. */
function kindOf(value: any): 'primitive' | 'list' | 'map' {
  if (Array.isArray(value)) return 'list';
  if (value !== null && typeof value === 'object') return isIntrinsic(value) ? 'primitive' : 'map';
  return 'primitive';
}

/** `{ Ref: … }`, `{ Condition: … }` or `{ 'Fn::…': … }`. */
export function isIntrinsic(value: any): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
}
