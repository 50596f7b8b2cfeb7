// The authorizer result cache: per twin and per authorizer, keyed by the identity-source values, for the
// authorizer's TTL (0: no caching). What is cached is the authorizer's answer (its policy), not the decision, so a
// cached policy is evaluated again against each request's method ARN, as API Gateway does.
import type { TwinCore } from '../../twin';

interface Entry {
  readonly value: unknown;
  readonly expiresAt: number;
}

const caches = new WeakMap<TwinCore, Map<string, Entry>>();

export class AuthorizerCache {
  /** The cache of `core` (one per twin, dropped with it). */
  static of(core: TwinCore): AuthorizerCache {
    let map = caches.get(core);
    if (!map) {
      map = new Map();
      caches.set(core, map);
    }
    return new AuthorizerCache(map);
  }

  private constructor(private readonly entries: Map<string, Entry>) {}

  /** The cached answer for the key, unless it expired (an expired entry is removed). */
  get(key: string, now: number): unknown {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: unknown, ttlSeconds: number, now: number): void {
    if (ttlSeconds <= 0) return;
    this.entries.set(key, { value, expiresAt: now + ttlSeconds * 1000 });
  }
}

/** The key of one authorizer's answer for one set of identity values. */
export function cacheKey(stackName: string, authorizerId: string, values: readonly string[]): string {
  return JSON.stringify([stackName, authorizerId, ...values]);
}
