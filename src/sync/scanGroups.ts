/**
 * Which scan group an account belongs to: a stable hash of its id, so an
 * account stays in its group whatever other accounts come and go, and every
 * replica agrees without talking to the others.
 */
export function scanGroupOf(accountId: string, groups: number): number {
  if (groups <= 1) return 0;
  // FNV-1a, 32 bits.
  let hash = 0x811c9dc5;
  for (let i = 0; i < accountId.length; i++) {
    hash ^= accountId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % groups;
}

export function accountOfShardKey(key: string): string {
  return key.slice(0, key.indexOf('/'));
}
