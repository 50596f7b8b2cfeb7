// The time source of an execution environment's lifecycle: the real one (performance.now, setTimeout), or a
// fake that unit tests advance by hand, so timeouts are tested without waiting for them.

export interface Clock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Milliseconds since the epoch (the Runtime API's deadline header). */
  wallNow(): number;
  /** Calls `fn` after `ms`; the returned function cancels it. */
  after(ms: number, fn: () => void): () => void;
  /** Calls `fn` every `ms` (never keeping the host process alive); the returned function stops it. */
  every(ms: number, fn: () => void): () => void;
  /** Calls `fn` once the current turn of the event loop is over (after the promise callbacks it set off). */
  soon(fn: () => void): () => void;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
  soon(fn) {
    const immediate = setImmediate(fn);
    return () => clearImmediate(immediate);
  },
};
