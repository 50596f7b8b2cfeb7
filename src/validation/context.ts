// Shared plumbing for the rules: renders a Lambda L1 resource to resolved CloudFormation properties, indexes a
// stack (resources by logical id, permissions/URLs by function, assets by S3 key), the facts a function's rules read,
// and the finding sink. The caches live in the ValidationPass (pass.ts), never in this module.
import * as path from 'path';
import { AssetStaging, CfnResource, Stack, Stage, Token, aws_s3_assets as s3_assets } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Finding } from './finding';
import { PackageContents, inlinePackage } from './package';
import type { ValidationPass } from './pass';
import { RULES, RuleDefinition } from './rules';
import { trustsLambda } from './trust';
import { FAMILIES, FUNCTION_DEFAULTS, RuntimeFamily, runtimeFamily } from '../model/platform';

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
export const EVENTS_RULE_TYPE = 'AWS::Events::Rule';
export const SCHEDULE_TYPE = 'AWS::Scheduler::Schedule';
export const SNS_SUBSCRIPTION_TYPE = 'AWS::SNS::Subscription';
export const EVENT_SOURCE_MAPPING_TYPE = 'AWS::Lambda::EventSourceMapping';
/** The resource types the trigger rules (LT8xx) look at. */
export const TRIGGER_TYPES: readonly string[] = [EVENTS_RULE_TYPE, SCHEDULE_TYPE, SNS_SUBSCRIPTION_TYPE, EVENT_SOURCE_MAPPING_TYPE];
const INDEXED_TYPES = new Set([FUNCTION_TYPE, LAYER_TYPE, PERMISSION_TYPE, URL_TYPE, ROLE_TYPE]);

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
  /** Why rendering threw, when it did (the rules then report LT001 instead of checking empty properties). */
  readonly failure?: string;
}

/** Renders and resolves an L1 resource (tokens become CloudFormation intrinsics). The pass caches the result. */
export function renderResource(resource: CfnResource, pass: ValidationPass): RenderedResource {
  const stack = Stack.of(resource);
  let logicalId: string | undefined;
  let props: Record<string, any> = {};
  let failure: string | undefined;
  try {
    const fast = renderL1Properties(resource, stack, pass);
    if (fast) {
      props = fast;
    } else {
      const fragment = stack.resolve(resource._toCloudFormation()) as { Resources?: Record<string, { Properties?: Record<string, any> }> };
      const [id, body] = Object.entries(fragment.Resources ?? {})[0] ?? ['', {}];
      logicalId = id;
      props = body?.Properties ?? {};
    }
  } catch (e) {
    logicalId = undefined;
    props = {};
    failure = e instanceof Error ? e.message : String(e);
  }
  // The logical id is only needed to match permissions and URLs to a function: name the resource when asked.
  return {
    resource,
    type: resource.cfnResourceType,
    props,
    failure,
    get logicalId() {
      return logicalId ?? pass.logicalIdOf(resource, stack);
    },
  };
}

/**
 * Fast path for generated L1 classes without raw overrides: resolve their (camelCase) properties and PascalCase the
 * keys, which is what CloudFormation rendering does for the properties the rules read, at a third of the cost.
 * Returns undefined when overrides exist (then the full `_toCloudFormation()` rendering is used).
 */
function renderL1Properties(resource: CfnResource, stack: Stack, pass: ValidationPass): Record<string, any> | undefined {
  const internals = resource as unknown as { rawOverrides?: object; cfnProperties?: Record<string, unknown> };
  if (internals.rawOverrides === undefined || Object.keys(internals.rawOverrides).length > 0) return undefined;
  const camel = internals.cfnProperties;
  if (!camel || typeof camel !== 'object') return undefined;
  if (!pass.usesTrustedRole(resource)) return pascalize(stack.resolve(camel)) as Record<string, any>;
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

/** Keys whose values are maps of user keys or JSON documents (not properties), so their keys are kept as they are. */
const MAP_VALUED = new Set(['variables', 'tags', 'eventPattern', 'filterPolicy', 'inputPathsMap']);
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

  constructor(public readonly stack: Stack, private readonly pass: ValidationPass) {
    for (const c of stack.node.findAll()) {
      if (c instanceof s3_assets.Asset && Stack.of(c) === stack) {
        this.addAsset(c);
        continue;
      }
      if (!CfnResource.isCfnResource(c) || Stack.of(c) !== stack) continue;
      const type = c.cfnResourceType;
      if (!INDEXED_TYPES.has(type)) continue;
      // Roles are looked up only by LT701, which skips those known to trust Lambda: no need to name them.
      if (type === ROLE_TYPE && trustsLambda(c.node.scope)) continue;
      if (type === FUNCTION_TYPE) this.unnamedFunctions.push(c);
      else this.byLogicalId.set(pass.logicalIdOf(c, stack), c);
      if (type === PERMISSION_TYPE) push(this.permissionsByFunction, functionKey(pass.render(c).props.FunctionName), c);
      if (type === URL_TYPE) push(this.urlsByFunction, functionKey(pass.render(c).props.TargetFunctionArn), c);
    }
  }

  /** The indexed resource with this logical id (a function, layer, permission, URL or role not known to trust Lambda). */
  public resource(logicalId: string): CfnResource | undefined {
    const found = this.byLogicalId.get(logicalId);
    if (found || this.unnamedFunctions.length === 0) return found;
    for (const fn of this.unnamedFunctions) this.byLogicalId.set(this.pass.logicalIdOf(fn, this.stack), fn);
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
      location = this.pass.exists(staging.absoluteStagedPath) ? staging.absoluteStagedPath : staging.sourcePath;
    } else {
      location = path.isAbsolute(asset.assetPath) ? asset.assetPath : path.join(Stage.of(asset)?.outdir ?? '', asset.assetPath);
    }
    this.assetsByKey.set(key, location);
  }
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

/** What a rule looks at for any Lambda resource: its rendered properties, the pass and the stack index. */
export class ResourceFacts {
  public readonly props: Record<string, any>;
  public readonly index: StackIndex;
  /** Why the resource's properties could not be rendered (LT001), if they could not. */
  public readonly renderFailure?: string;
  protected readonly rendered: RenderedResource;
  private packageFailureReported = false;

  constructor(
    public readonly resource: CfnResource,
    public readonly pass: ValidationPass,
    public readonly options: RuleOptions,
    protected readonly sink: FindingSink,
  ) {
    this.index = pass.index(Stack.of(resource));
    this.rendered = pass.render(resource);
    this.renderFailure = this.rendered.failure;
    this.props = this.rendered.props;
  }

  /** The resource's logical id (named on first use). */
  public get logicalId(): string {
    return this.rendered.logicalId;
  }

  public report(rule: RuleDefinition, message: string, fix?: string): void {
    this.sink.report(this.resource, rule, message, fix);
  }

  /** The package at a local asset path; an unreadable one is reported once (LT002) on this resource. */
  protected readAsset(assetPath: string): PackageContents | undefined {
    const read = this.pass.packages.read(assetPath);
    if (read.failure && !this.packageFailureReported) {
      this.packageFailureReported = true;
      this.report(RULES.packageUnreadable, `The deployment package could not be read: ${read.failure}. The rules that look inside it were skipped.`);
    }
    return read.contents;
  }
}

/** What the function rules look at, derived once from the rendered `AWS::Lambda::Function`. */
export class FunctionFacts extends ResourceFacts {
  public readonly runtime?: string;
  public readonly family?: RuntimeFamily;
  public readonly handler?: string;
  public readonly inlineCode?: string;
  public readonly isImage: boolean;
  public readonly assetPath?: string;
  public readonly architecture: string;
  private ownPackage?: { readonly contents?: PackageContents };
  private readonly answers = new Map<string, unknown>();

  constructor(resource: CfnResource, pass: ValidationPass, options: RuleOptions, sink: FindingSink) {
    super(resource, pass, options, sink);
    const p = this.props;
    this.runtime = typeof p.Runtime === 'string' ? p.Runtime : undefined;
    this.family = this.runtime ? runtimeFamily(this.runtime) : undefined;
    this.handler = typeof p.Handler === 'string' ? p.Handler : undefined;
    const code = p.Code ?? {};
    this.inlineCode = typeof code.ZipFile === 'string' ? code.ZipFile : undefined;
    this.isImage = p.PackageType === 'Image' || code.ImageUri !== undefined;
    this.assetPath = this.index.assetPath(code.S3Key) ?? metadataAssetPath(resource);
    const archs = p.Architectures;
    this.architecture = Array.isArray(archs) && typeof archs[0] === 'string' ? archs[0] : FUNCTION_DEFAULTS.architecture;
  }

  /**
   * The function's code as a package: the inline code under the file name Lambda gives it, or the local asset
   * (reported as LT002 when unreadable). Undefined for image functions, remote code and tokens.
   */
  public get package(): PackageContents | undefined {
    if (!this.ownPackage) {
      const inlineFile = this.family ? FAMILIES[this.family].inlineFileName : undefined;
      const contents = this.inlineCode !== undefined
        ? (inlineFile ? inlinePackage(inlineFile, this.inlineCode) : undefined)
        : this.assetPath ? this.readAsset(this.assetPath) : undefined;
      this.ownPackage = { contents };
    }
    return this.ownPackage.contents;
  }

  /** Computes a fact about this function once (several rules ask the same question). */
  public once<T>(key: string, compute: () => T): T {
    if (!this.answers.has(key)) this.answers.set(key, compute());
    return this.answers.get(key) as T;
  }

  /** The layers of the function that are defined in this stack (imported layers are left out). */
  public get localLayers(): CfnResource[] {
    const layers = Array.isArray(this.props.Layers) ? this.props.Layers : [];
    const found: CfnResource[] = [];
    for (const layer of layers) {
      const id = referencedLogicalId(layer);
      const resource = id ? this.index.resource(id) : undefined;
      if (resource && resource.cfnResourceType === LAYER_TYPE) found.push(resource);
    }
    return found;
  }

  /** A local layer's content, or undefined when it has no readable local asset (its own LT504 pass reports that). */
  public layerPackage(layer: CfnResource): PackageContents | undefined {
    const layerPath = this.index.assetPath(this.pass.render(layer).props.Content?.S3Key);
    return layerPath ? this.pass.packages.at(layerPath) : undefined;
  }
}

/** What the layer rules look at. */
export class LayerFacts extends ResourceFacts {
  /** The layer's content (LT002 when its local asset is unreadable); undefined for remote content. */
  public get package(): PackageContents | undefined {
    const assetPath = this.index.assetPath(this.props.Content?.S3Key);
    return assetPath ? this.readAsset(assetPath) : undefined;
  }
}

function metadataAssetPath(resource: CfnResource): string | undefined {
  const rel = resource.getMetadata('aws:asset:path');
  if (typeof rel !== 'string') return undefined;
  return path.isAbsolute(rel) ? rel : path.join(Stage.of(resource)?.outdir ?? '', rel);
}

/** The permissions in the stack that target this function (by reference or literal name). */
export function permissionsOf(fn: FunctionFacts): CfnResource[] {
  if (fn.index.permissionsByFunction.size === 0) return [];
  const byRef = fn.index.permissionsByFunction.get(`ref:${fn.logicalId}`) ?? [];
  const name = fn.props.FunctionName;
  const byName = typeof name === 'string' ? fn.index.permissionsByFunction.get(`name:${name}`) ?? [] : [];
  return [...byRef, ...byName];
}

/** The Function URLs in the stack that target this function. */
export function urlsOf(fn: FunctionFacts): CfnResource[] {
  if (fn.index.urlsByFunction.size === 0) return [];
  return fn.index.urlsByFunction.get(`ref:${fn.logicalId}`) ?? [];
}

