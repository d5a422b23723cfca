import { compareStrings } from '../scan/inventory';

/** Which scan group each account belongs to, and the account set it was made for. */
export interface GroupAssignment {
  groups: number;
  /** Account id → group (0-based). */
  groupOf: Record<string, number>;
}

/**
 * Splits the accounts into `groups` scan groups of about the same work: the
 * largest accounts first (services from the last scan; an account never
 * scanned counts as an average one), each into the group with the least work
 * so far, then the fewest accounts, then the lowest index. So no group is
 * empty while there are at least as many accounts as groups, and sizes stay
 * within a small factor of each other unless one account outweighs a group.
 * Deterministic: every replica that reads the same state makes the same split.
 */
export function assignScanGroups(accounts: readonly string[], groups: number, sizes: ReadonlyMap<string, number>): GroupAssignment {
  const ids = [...new Set(accounts)].sort(compareStrings);
  if (groups <= 1) return { groups: 1, groupOf: Object.fromEntries(ids.map(id => [id, 0])) };
  const known = ids.map(id => sizes.get(id)).filter((n): n is number => n !== undefined);
  const typical = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 1;
  // Every account costs at least its listing calls, even with no services.
  const weight = (id: string) => Math.max(1, sizes.get(id) ?? typical);
  const byWeight = [...ids].sort((a, b) => weight(b) - weight(a) || compareStrings(a, b));
  const load = Array.from({ length: groups }, () => ({ work: 0, accounts: 0 }));
  const groupOf: Record<string, number> = {};
  for (const id of byWeight) {
    let best = 0;
    for (let g = 1; g < groups; g++) {
      const [a, b] = [load[g], load[best]];
      if (a.work < b.work || (a.work === b.work && a.accounts < b.accounts)) best = g;
    }
    groupOf[id] = best;
    load[best].work += weight(id);
    load[best].accounts += 1;
  }
  return { groups, groupOf };
}

/**
 * The assignment to keep: the stored one while the set of accounts and the
 * number of groups are unchanged (an account keeps its group however its
 * size changes), else a fresh one from the current sizes.
 */
export function keepOrAssign(stored: GroupAssignment | undefined, accounts: readonly string[], groups: number, sizes: ReadonlyMap<string, number>): GroupAssignment {
  if (stored && stored.groups === Math.max(1, groups) && sameAccounts(Object.keys(stored.groupOf), accounts)) return stored;
  return assignScanGroups(accounts, groups, sizes);
}

function sameAccounts(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(b);
  return a.length === set.size && a.every(id => set.has(id));
}

export function accountOfShardKey(key: string): string {
  return key.slice(0, key.indexOf('/'));
}
