// The trigger hub behind each twin's core, made on first use (a trigger method, a destination record to forward,
// or the CLI's `start`), stopped when the core shuts down. LocalTwin runs it on a virtual clock so tests decide
// when schedules fire; the CLI asks for real time before anything else uses it. Internal: not exported.
import { TriggerHub, TriggerHubOptions } from './engine/triggers/hub';
import type { TwinCore } from './engine/twin';

const hubs = new WeakMap<TwinCore, TriggerHub>();

/** The core's hub, made (with `options`) when it has none; an error when asked for a clock it was not made with. */
export function hubOf(core: TwinCore, options?: TriggerHubOptions): TriggerHub {
  let hub = hubs.get(core);
  if (hub) {
    if (options?.clock && hub.clock !== options.clock) {
      throw new Error('The triggers of this twin already run on another clock: choose the clock before the first trigger is used');
    }
    return hub;
  }
  if (core.isShutDown) throw new Error('This LocalTwin was shut down; create a new one to run its triggers');
  hub = new TriggerHub(core, options);
  hubs.set(core, hub);
  const made = hub;
  core.onShutdown(() => made.stop());
  return hub;
}

/** Whether the core has a hub yet. */
export function hasHub(core: TwinCore): boolean {
  return hubs.has(core);
}

/**
 * Makes sure a destination record written before the hub existed still reaches the queue/topic/bus/function it
 * names (the hub forwards the ones after it exists itself).
 */
export function forwardDestinationsOf(core: TwinCore): void {
  core.onDestinationRecord((arn, record, deadLetter) => {
    if (hasHub(core) || core.isShutDown) return;
    hubOf(core).forwardDestinationRecord(arn, record, deadLetter);
  });
}
