import { filterAccounts } from '../../src/scan/discoverAccounts';

describe('filterAccounts', () => {
  const discovered = ['333333333333', '111111111111', '222222222222', '111111111111'];

  it.each([
    ['everything, sorted and once, without lists', { include: [], exclude: [] }, ['111111111111', '222222222222', '333333333333']],
    ['only the included accounts', { include: ['222222222222', '999999999999'], exclude: [] }, ['222222222222']],
    ['all but the excluded accounts', { include: [], exclude: ['111111111111'] }, ['222222222222', '333333333333']],
    ['exclude wins over include', { include: ['111111111111', '222222222222'], exclude: ['111111111111'] }, ['222222222222']],
  ])('keeps %s', (_name, lists, expected) => {
    expect(filterAccounts(discovered, lists)).toEqual(expected);
  });
});
