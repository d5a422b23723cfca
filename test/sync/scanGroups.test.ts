import { assignScanGroups, keepOrAssign } from '../../src/sync/scanGroups';

const ids = (n: number) => Array.from({ length: n }, (_, i) => String(100000000000 + i * 7919).padStart(12, '0'));
const groupSizes = (groupOf: Record<string, number>, groups: number, sizes: ReadonlyMap<string, number>) => {
  const totals = Array.from({ length: groups }, () => 0);
  for (const [id, g] of Object.entries(groupOf)) totals[g] += sizes.get(id) ?? 0;
  return totals;
};

describe('scan group assignment', () => {
  it.each([
    [3, 3],
    [4, 4],
    [5, 4],
    [8, 4],
    [40, 8],
  ])('leaves no group empty with %i accounts in %i groups', (accounts, groups) => {
    const { groupOf } = assignScanGroups(ids(accounts), groups, new Map());
    expect(new Set(Object.values(groupOf)).size).toBe(groups);
    expect(Object.keys(groupOf).sort()).toEqual(ids(accounts).sort());
  });

  it('balances the services of uneven accounts within a small factor', () => {
    const accounts = ids(12);
    // A few big accounts and many small ones, as fleets are.
    const sizes = new Map(accounts.map((id, i) => [id, [900, 700, 400, 300, 200, 150, 120, 100, 80, 60, 40, 20][i]]));
    const totals = groupSizes(assignScanGroups(accounts, 4, sizes).groupOf, 4, sizes);
    expect(Math.max(...totals) / Math.min(...totals)).toBeLessThan(1.5);
    expect(totals.reduce((a, b) => a + b, 0)).toBe(3070);
  });

  it('counts an account never scanned as an average one', () => {
    const accounts = ids(4);
    const sizes = new Map([
      [accounts[0], 100],
      [accounts[1], 100],
      [accounts[2], 100],
    ]);
    const { groupOf } = assignScanGroups(accounts, 2, sizes);
    // Two and two: the new account weighs like the others.
    expect(Object.values(groupOf).filter(g => g === 0)).toHaveLength(2);
  });

  it('is the same on every replica and for any order of the accounts', () => {
    const sizes = new Map(ids(9).map((id, i) => [id, (i * 37) % 11]));
    const a = assignScanGroups(ids(9), 3, sizes);
    const b = assignScanGroups([...ids(9)].reverse(), 3, new Map([...sizes].reverse()));
    expect(b).toEqual(a);
  });

  it('keeps each account in its group while the set of accounts is unchanged, whatever their sizes do', () => {
    const accounts = ids(6);
    const first = assignScanGroups(accounts, 3, new Map(accounts.map((id, i) => [id, i * 10])));
    const grown = new Map(accounts.map((id, i) => [id, 1000 - i * 100]));
    expect(keepOrAssign(first, [...accounts].reverse(), 3, grown)).toBe(first);
    // A new account, or another number of groups, makes a fresh split.
    const more = keepOrAssign(first, [...accounts, '999999999999'], 3, grown);
    expect(more).not.toBe(first);
    expect(Object.keys(more.groupOf)).toHaveLength(7);
    expect(keepOrAssign(first, accounts, 2, grown).groups).toBe(2);
  });

  it('puts everything in one group when there is one', () => {
    expect(new Set(Object.values(assignScanGroups(ids(5), 1, new Map()).groupOf))).toEqual(new Set([0]));
  });
});
