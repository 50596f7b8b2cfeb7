// One validation run as an object: it owns the stack indexes, the rendered resources, the logical ids and the package
// reader of that run, so nothing is cached in module globals. Validations that CDK runs one construct at a time during
// a synth share the pass of their app (kept on the app's root construct until the synchronous synth is over).
import * as fs from 'fs';
import { CfnResource, Stack, aws_lambda as lambda } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { RenderedResource, StackIndex, renderResource } from './context';
import { PackageReader } from './package';
import { trustsLambda } from './trust';

/** Where an app's current pass is kept, on its root construct. */
const CURRENT_PASS = Symbol.for('lambda-twin.validation.pass');

/** The state of one validation run. */
export class ValidationPass {
  /**
   * The pass of the app `construct` belongs to: CDK validates constructs one by one within one synchronous synth, so
   * they share a pass until the event loop next turns; the next synth (or `findings`) gets a fresh one.
   */
  public static of(construct: IConstruct): ValidationPass {
    const root = construct.node.root as unknown as Record<symbol, ValidationPass | undefined>;
    let pass = root[CURRENT_PASS];
    if (!pass || pass.finished) {
      pass = new ValidationPass();
      Object.defineProperty(root, CURRENT_PASS, { value: pass, configurable: true, enumerable: false, writable: true });
      const created = pass;
      setImmediate(() => created.finish());
    }
    return pass;
  }

  /** Reads deployment packages (directories, zips, inline code) once per pass. */
  public readonly packages = new PackageReader();
  private readonly indexes = new Map<Stack, StackIndex>();
  private readonly rendered = new Map<CfnResource, RenderedResource>();
  private readonly logicalIds = new Map<CfnResource, string>();
  private readonly existing = new Map<string, boolean>();
  private finished = false;

  /** Ends the pass: a later `ValidationPass.of` starts a new one. */
  public finish(): void {
    this.finished = true;
  }

  /** The index of a stack, built with one walk of its tree. */
  public index(stack: Stack): StackIndex {
    let index = this.indexes.get(stack);
    if (!index) {
      index = new StackIndex(stack, this);
      this.indexes.set(stack, index);
    }
    return index;
  }

  /** The resource's resolved CloudFormation properties (rendered once); `failure` says why rendering threw. */
  public render(resource: CfnResource): RenderedResource {
    let rendered = this.rendered.get(resource);
    if (!rendered) {
      rendered = renderResource(resource, this);
      this.rendered.set(resource, rendered);
    }
    return rendered;
  }

  /**
   * The resource's logical id, as `stack.resolve(resource.logicalId)` gives it. That token only produces
   * `_logicalIdOverride ?? stack.getLogicalId(resource)`, so read those directly (a quarter of the cost) when the
   * field exists, and resolve the token otherwise.
   */
  public logicalIdOf(resource: CfnResource, stack: Stack = Stack.of(resource)): string {
    let id = this.logicalIds.get(resource);
    if (id === undefined) {
      if ('_logicalIdOverride' in resource && resource.stack === stack) {
        const override = (resource as unknown as { _logicalIdOverride?: string })._logicalIdOverride;
        id = override || stack.getLogicalId(resource);
      } else {
        id = String(stack.resolve(resource.logicalId));
      }
      this.logicalIds.set(resource, id);
    }
    return id;
  }

  /** Whether a path exists (functions sharing an asset share its staged path). */
  public exists(p: string): boolean {
    let exists = this.existing.get(p);
    if (exists === undefined) {
      exists = fs.existsSync(p);
      this.existing.set(p, exists);
    }
    return exists;
  }

  /**
   * True when a function's `Role` is the ARN of a role known to trust lambda.amazonaws.com (an ExecutionRole), read
   * from the L2 function and its L1 without resolving anything: the L1 still holds that role's ARN token, unchanged
   * and not overridden.
   */
  public usesTrustedRole(resource: CfnResource): boolean {
    const owner = resource.node.scope;
    if (!(owner instanceof lambda.Function) || owner.node.defaultChild !== resource || !owner.role) return false;
    if (!trustsLambda(owner.role) || !hasNoRawOverrides(resource)) return false;
    return (resource as lambda.CfnFunction).role === owner.role.roleArn;
  }
}

export function hasNoRawOverrides(resource: CfnResource): boolean {
  const overrides = (resource as unknown as { rawOverrides?: object }).rawOverrides;
  return overrides !== undefined && Object.keys(overrides).length === 0;
}
