import { toLabelValue } from '../../src/mapping/labels';
import { CLAIM_STATUSES, claimStatusByEntity, worseClaimStatus } from '../../src/report/claimStatus';
import { fixtureReport } from './fixture';

describe('the claim status of each claiming entity', () => {
  it('is the worst finding of its claims', () => {
    expect(Object.fromEntries(claimStatusByEntity(fixtureReport()))).toEqual({
      // Also read otherwise by the AWS Labs tab (a short ARN): the phantom comes first.
      'component:default/checkout': 'phantom',
      'component:default/payments': 'phantom',
      'component:default/search': 'phantom',
      'component:default/docs': 'phantom',
      'component:default/legacy': 'owner-drift',
      'component:default/inventory': 'duplicate',
      'component:default/stock': 'duplicate',
      'component:default/broken': 'malformed',
      'component:default/widget': 'malformed',
      // Both claim the basket service, and the tab reads each otherwise: the duplicate comes first.
      'component:default/basket': 'duplicate',
      'component:default/basket-tags': 'duplicate',
      // Its selector finds the ghost service, whose owner tag names no group; the tab cuts v=2.
      'component:default/ghost-watch': 'owner-drift',
      'component:default/billing': 'not-verified',
    });
  });

  it('orders the findings worst first, whichever comes first', () => {
    for (const [i, worse] of CLAIM_STATUSES.entries()) {
      for (const better of CLAIM_STATUSES.slice(i)) {
        expect(worseClaimStatus(worse, better)).toBe(worse);
        expect(worseClaimStatus(better, worse)).toBe(worse);
      }
    }
    expect(CLAIM_STATUSES[0]).toBe('phantom');
    expect(CLAIM_STATUSES[CLAIM_STATUSES.length - 1]).toBe('ok');
  });

  it('is a valid label value as it is', () => {
    for (const status of CLAIM_STATUSES) expect(toLabelValue(status)).toBe(status);
  });
});
