// Shared plumbing for the rules: renders a Lambda L1 resource to resolved CloudFormation properties, indexes a
// stack once per validation pass (resources by logical id, permissions/URLs by function, assets by S3 key),
// and collects findings.
import * as fs from 'fs';
import * as path from 'path';
import { AssetStaging, CfnResource, Stack, Stage, Token, aws_lambda as lambda, aws_s3_assets as s3_assets } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Finding } from './finding';
import { endPackagePass } from './package';
import { RuleDefinition } from './rules';
import { FUNCTION_DEFAULTS, RuntimeFamily, runtimeFamily } from '../model/platform';

/** Options that apply to one evaluation. */
export interface RuleOptions {
  readonly now: Date;
  readonly checkHandlerInPackage: boolean;
}

/** Resource types lambda-twin validates. */
export const FUNCTION_TYPE = 'AWS::Lambda::Function';
export const LAYER_TYPE = 'AWS::Lambda::LayerVersion';
export const PERMISSION_TYPE = 'AWS::Lambda::Permission';
export const URL_TYPE = 'AWS::Lambda::Url';
export const ROLE_TYPE = 'AWS::IAM::Role';
const INDEXED_TYPES = new Set([FUNCTION_TYPE, LAYER_TYPE, PERMISSION_TYPE, URL_TYPE, ROLE_TYPE]);

/** Roles known to trust lambda.amazonaws.com (ExecutionRole registers itself), so LT701 need not render them. */
export const LAMBDA_TRUSTED_ROLES = new WeakSet<IConstruct>();

/** True when a resolved value contains no CloudFormation intrinsic (i.e. it is known at synth). */
export function isKnown(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.every(isKnown);
  if (typeof value === 'object') {
    const keys = Object.keys(value as object);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return false;
    return Object.values(value as object).every((v) => v === undefined || isKnown(v));
  }
  return true;
}

/** The logical id a `{Ref}` / `{Fn::GetAtt}` points to, if any. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return v.Ref;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

/** A rendered resource: its logical id and resolved `Properties` (overrides applied). */
export interface RenderedResource {
  readonly resource: CfnResource;
  readonly logicalId: string;
  readonly type: string;
  readonly props: Record<string, any>;
}

const renderCache = new Map<CfnResource, RenderedResource>();

/** Renders and resolves an L1 resource (tokens become CloudFormation intrinsics). Cached per validation pass. */
export function render(resource: CfnResource): RenderedResource {
  const cached = renderCache.get(resource);
  if (cached) return cached;
  const stack = Stack.of(resource);
  let logicalId: string | undefined;
  let props: Record<string, any> = {};
  try {
    const fast = renderL1Properties(resource, stack);
    if (fast) {
      props = fast;
    } else {
      const fragment = stack.resolve(resource._toCloudFormation()) as { Resources?: Record<string, { Properties?: Record<string, any> }> };
      const [id, body] = Object.entries(fragment.Resources ?? {})[0] ?? ['', {}];
      logicalId = id;
      props = body?.Properties ?? {};
    }
  } catch {
    logicalId = undefined;
  }
  // The logical id is only needed to match permissions and URLs to a function: name the resource when asked.
  const rendered: RenderedResource = {
    resource,
    type: resource.cfnResourceType,
    props,
    get logicalId() {
      return logicalId ?? logicalIdOf(resource, stack);
    },
  };
  renderCache.set(resource, rendered);
  scheduleReset();
  return rendered;
}

/**
 * Fast path for generated L1 classes without raw overrides: resolve their (camelCase) properties and PascalCase the
 * keys, which is what CloudFormation rendering does for the properties the rules read, at a third of the cost.
 * Returns undefined when overrides exist (then the full `_toCloudFormation()` rendering is used).
 */
function renderL1Properties(resource: CfnResource, stack: Stack): Record<string, any> | undefined {
  const internals = resource as unknown as { rawOverrides?: object; cfnProperties?: Record<string, unknown> };
  if (internals.rawOverrides === undefined || Object.keys(internals.rawOverrides).length > 0) return undefined;
  const camel = internals.cfnProperties;
  if (!camel || typeof camel !== 'object') return undefined;
  if (!usesTrustedRole(resource)) return pascalize(stack.resolve(camel)) as Record<string, any>;
  // LT701 skips a role known to trust Lambda without reading `Role`, and resolving that reference (a GetAtt behind
  // two lazy tokens) was a third of the cost of rendering a function: resolve it only if something reads it.
  const props = pascalize(stack.resolve({ ...camel, role: undefined })) as Record<string, any>;
  let role: unknown;
  let resolved = false;
  Object.defineProperty(props, 'Role', {
    enumerable: true,
    get: () => {
      if (!resolved) {
        role = pascalize(stack.resolve(camel.role));
        resolved = true;
      }
      return role;
    },
  });
  return props;
}

/**
 * True when a function's `Role` is the ARN of a role known to trust lambda.amazonaws.com (an ExecutionRole), read
 * from the L2 function and its L1 without resolving anything: the L1 still holds that role's ARN token, unchanged
 * and not overridden.
 */
export function usesTrustedRole(resource: CfnResource): boolean {
  const owner = resource.node.scope;
  if (!(owner instanceof lambda.Function) || owner.node.defaultChild !== resource || !owner.role) return false;
  if (!LAMBDA_TRUSTED_ROLES.has(owner.role) || !hasNoRawOverrides(resource)) return false;
  return (resource as lambda.CfnFunction).role === owner.role.roleArn;
}

function hasNoRawOverrides(resource: CfnResource): boolean {
  const overrides = (resource as unknown as { rawOverrides?: object }).rawOverrides;
  return overrides !== undefined && Object.keys(overrides).length === 0;
}

const logicalIdCache = new Map<CfnResource, string>();

/**
 * The resource's logical id, as `stack.resolve(resource.logicalId)` gives it. That token only produces
 * `_logicalIdOverride ?? stack.getLogicalId(resource)`, so read those directly (a quarter of the cost) when the
 * field exists, and resolve the token otherwise. Cached per validation pass.
 */
export function logicalIdOf(resource: CfnResource, stack: Stack = Stack.of(resource)): string {
  let id = logicalIdCache.get(resource);
  if (id === undefined) {
    if ('_logicalIdOverride' in resource && resource.stack === stack) {
      const override = (resource as unknown as { _logicalIdOverride?: string })._logicalIdOverride;
      id = override || stack.getLogicalId(resource);
    } else {
      id = String(stack.resolve(resource.logicalId));
    }
    logicalIdCache.set(resource, id);
    scheduleReset();
  }
  return id;
}

/** Keys whose values are maps of user keys (not properties), so their keys are kept as they are. */
const MAP_VALUED = new Set(['variables', 'tags']);
/** camelCase L1 names whose CloudFormation name is not just the capitalized form. */
const RENAMED: Record<string, string> = { principalOrgId: 'PrincipalOrgID' };

function pascalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascalize);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    if (key === 'Ref' || key.startsWith('Fn::')) return value; // an intrinsic: leave as is
    const pascal = RENAMED[key] ?? key.charAt(0).toUpperCase() + key.slice(1);
    out[pascal] = MAP_VALUED.has(key) ? v : pascalize(v);
  }
  return out;
}

/** Everything the rules need to know about one stack, built with a single walk of its tree. */
export class StackIndex {
  private readonly byLogicalId = new Map<string, CfnResource>();
  /** Functions are named only when one is looked up by id (to match a permission or URL): most passes never do. */
  private unnamedFunctions: CfnResource[] = [];
  public readonly permissionsByFunction = new Map<string, CfnResource[]>();
  public readonly urlsByFunction = new Map<string, CfnResource[]>();
  public readonly assetsByKey = new Map<string, string>();

  constructor(public readonly stack: Stack) {
    for (const c of stack.node.findAll()) {
      if (c instanceof s3_assets.Asset && Stack.of(c) === stack) {
        this.addAsset(c);
        continue;
      }
      if (!CfnResource.isCfnResource(c) || Stack.of(c) !== stack) continue;
      const type = c.cfnResourceType;
      if (!INDEXED_TYPES.has(type)) continue;
      // Roles are looked up only by LT701, which skips those known to trust Lambda: no need to name them.
      if (type === ROLE_TYPE && c.node.scope && LAMBDA_TRUSTED_ROLES.has(c.node.scope)) continue;
      if (type === FUNCTION_TYPE) this.unnamedFunctions.push(c);
      else this.byLogicalId.set(logicalIdOf(c, stack), c);
      if (type === PERMISSION_TYPE) push(this.permissionsByFunction, functionKey(render(c).props.FunctionName), c);
      if (type === URL_TYPE) push(this.urlsByFunction, functionKey(render(c).props.TargetFunctionArn), c);
    }
  }

  /** The indexed resource with this logical id (a function, layer, permission, URL or role not known to trust Lambda). */
  public resource(logicalId: string): CfnResource | undefined {
    const found = this.byLogicalId.get(logicalId);
    if (found || this.unnamedFunctions.length === 0) return found;
    for (const fn of this.unnamedFunctions) this.byLogicalId.set(logicalIdOf(fn, this.stack), fn);
    this.unnamedFunctions = [];
    return this.byLogicalId.get(logicalId);
  }

  /** Absolute path of the staged (or source) asset for an S3 object key. */
  public assetPath(s3Key: unknown): string | undefined {
    return typeof s3Key === 'string' ? this.assetsByKey.get(s3Key) : undefined;
  }

  private addAsset(asset: s3_assets.Asset) {
    const key = Token.isUnresolved(asset.s3ObjectKey) ? this.stack.resolve(asset.s3ObjectKey) : asset.s3ObjectKey;
    if (typeof key !== 'string') return;
    const staging = asset.node.tryFindChild('Stage');
    let location: string | undefined;
    if (staging instanceof AssetStaging) {
      location = fileExists(staging.absoluteStagedPath) ? staging.absoluteStagedPath : staging.sourcePath;
    } else {
      location = path.isAbsolute(asset.assetPath) ? asset.assetPath : path.join(Stage.of(asset)?.outdir ?? '', asset.assetPath);
    }
    this.assetsByKey.set(key, location);
  }
}

/** Whether a path exists, checked once per validation pass (functions sharing an asset share its staged path). */
const existsCache = new Map<string, boolean>();
function fileExists(p: string): boolean {
  let exists = existsCache.get(p);
  if (exists === undefined) {
    exists = fs.existsSync(p);
    existsCache.set(p, exists);
    scheduleReset();
  }
  return exists;
}

function push(map: Map<string, CfnResource[]>, key: string | undefined, value: CfnResource) {
  if (!key) return;
  const list = map.get(key) ?? [];
  list.push(value);
  map.set(key, list);
}

/** Key identifying a function target: its logical id for references, else the literal name/ARN. */
export function functionKey(value: unknown): string | undefined {
  const ref = referencedLogicalId(value);
  if (ref) return `ref:${ref}`;
  return typeof value === 'string' ? `name:${value}` : undefined;
}

const indexCache = new Map<Stack, StackIndex>();
let resetScheduled = false;

/**
 * The index of a stack for the current validation pass. Synthesis is synchronous, so caches live until the
 * next turn of the event loop; `resetValidationCaches()` drops them explicitly.
 */
export function indexOf(stack: Stack): StackIndex {
  let index = indexCache.get(stack);
  if (!index) {
    index = new StackIndex(stack);
    indexCache.set(stack, index);
    scheduleReset();
  }
  return index;
}

function scheduleReset() {
  if (resetScheduled) return;
  resetScheduled = true;
  setImmediate(resetValidationCaches);
}

/** Drops the per-pass caches (stack indexes and rendered resources). Package contents stay cached. */
export function resetValidationCaches(): void {
  indexCache.clear();
  renderCache.clear();
  logicalIdCache.clear();
  existsCache.clear();
  endPackagePass();
  resetScheduled = false;
}

/** A finding and the construct it is about. */
export interface SunkFinding {
  readonly finding: Finding;
  readonly construct: IConstruct;
}

/** Collects findings, remembering which construct each one is about. */
export class FindingSink {
  public readonly entries: SunkFinding[] = [];
  public report(resource: IConstruct, rule: RuleDefinition, message: string, fix?: string): void {
    const finding = { code: rule.code, severity: rule.severity, path: resource.node.path, message, fix: fix ?? rule.fix };
    this.entries.push({ finding, construct: resource });
  }
}

/** What the function rules look at, derived once from the rendered `AWS::Lambda::Function`. */
export class FunctionFacts {
  public readonly props: Record<string, any>;
  public readonly runtime?: string;
  public readonly family?: RuntimeFamily;
  public readonly handler?: string;
  public readonly inlineCode?: string;
  public readonly isImage: boolean;
  public readonly assetPath?: string;
  public readonly architecture: string;
  private readonly rendered: RenderedResource;

  constructor(
    public readonly resource: CfnResource,
    public readonly index: StackIndex,
    public readonly options: RuleOptions,
    private readonly sink: FindingSink,
  ) {
    const r = render(resource);
    this.rendered = r;
    this.props = r.props;
    const p = r.props;
    this.runtime = typeof p.Runtime === 'string' ? p.Runtime : undefined;
    this.family = this.runtime ? runtimeFamily(this.runtime) : undefined;
    this.handler = typeof p.Handler === 'string' ? p.Handler : undefined;
    const code = p.Code ?? {};
    this.inlineCode = typeof code.ZipFile === 'string' ? code.ZipFile : undefined;
    this.isImage = p.PackageType === 'Image' || code.ImageUri !== undefined;
    this.assetPath = index.assetPath(code.S3Key) ?? metadataAssetPath(resource);
    const archs = p.Architectures;
    this.architecture = Array.isArray(archs) && typeof archs[0] === 'string' ? archs[0] : FUNCTION_DEFAULTS.architecture;
  }

  /** The function's logical id (named on first use). */
  public get logicalId(): string {
    return this.rendered.logicalId;
  }

  public report(rule: RuleDefinition, message: string, fix?: string): void {
    this.sink.report(this.resource, rule, message, fix);
  }
}

function metadataAssetPath(resource: CfnResource): string | undefined {
  const rel = resource.getMetadata('aws:asset:path');
  if (typeof rel !== 'string') return undefined;
  return path.isAbsolute(rel) ? rel : path.join(Stage.of(resource)?.outdir ?? '', rel);
}
