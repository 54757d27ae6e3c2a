import type { LRUCache } from "lru-cache";

/**
 * The cached promise for `key`, or a new one from `compute` cached in its place; a promise that rejects is
 * dropped, so one failure is not answered from the cache forever. `hit` says whether it was found.
 */
export function memoAsync<V>(cache: LRUCache<string, Promise<V>>, key: string, compute: () => Promise<V>): { value: Promise<V>; hit: boolean } {
  const found = cache.get(key);
  if (found) return { value: found, hit: true };
  const value = compute();
  cache.set(key, value);
  value.catch(() => cache.delete(key));
  return { value, hit: false };
}
