// `Snapshot`: the public, jsii-friendly entry to snapshot masking.
import { Stack, Stage } from 'aws-cdk-lib';
import { invokeSnapshot } from './invoke-snapshot';
import { maskVolatile } from './mask-volatile';
import type { InvokeResult } from '../local-twin';

/**
 * Snapshot helpers: mask what changes on every synth or invoke so snapshots change only when behaviour does.
 *
 * In jest you can instead register the serializer at `lambda-twin/lib/testing/snapshot`, which masks every snapshot.
 *
 * @example
 * expect(Snapshot.ofStack(stack)).toMatchSnapshot();
 */
export class Snapshot {
  /**
   * A deep copy of `value` with asset hashes, request ids, timestamps, durations and memory use masked
   * (`[ASSET HASH]`, `[REQUEST ID]`, `[TIMESTAMP]`, `[DURATION]`, `[MEMORY]`).
   */
  public static mask(value: any): any {
    return maskVolatile(value);
  }

  /** The stack's synthesized CloudFormation template, masked. */
  public static ofStack(stack: Stack): any {
    const stage = Stage.of(stack);
    if (!stage) {
      throw new Error(`Stack '${stack.node.path}' is not in an App or Stage, so it cannot be synthesized`);
    }
    return maskVolatile(stage.synth().getStackArtifact(stack.artifactId).template);
  }

  /**
   * What an invoke did, masked for a snapshot: payload, error type, executed version, timed out, reset, and the
   * function's own log lines. START/END/REPORT lines and stack frames outside the function's code are left out,
   * and code paths read `/var/task/…`, so the snapshot changes only when the function's behaviour does.
   */
  public static ofInvoke(result: InvokeResult): any {
    return invokeSnapshot(result);
  }

  private constructor() {}
}
