import { fireEvent, screen, within } from '@testing-library/react';
import type { DriftReport } from '../api/types';
import { arn, ARN_KEY, fakeApi, HOSTILE_SCRIPT, renderPage, responseError, TAGS_KEY } from '../testing/fixtures';
import { DriftPage } from './DriftPage';

const A = '111111111111';
const B = '222222222222';
const EU = 'eu-west-1';
const US = 'us-east-1';

/** One finding of every kind, addressed to two teams and nobody. */
function report(over: Partial<DriftReport> = {}): DriftReport {
  return {
    generatedAt: '2026-12-01T10:00:00.000Z',
    summary: {
      phantoms: 1,
      unclaimed: 1,
      ownerDrift: 1,
      duplicateClaims: 1,
      malformedClaims: 1,
      tabMismatches: 1,
      notVerified: 0,
      alerts: 0,
      liveServices: 10,
      claimedServices: 7,
      coverage: 0.7,
      complete: true,
    },
    phantoms: [
      { owner: 'group:default/team-a', entityRef: 'component:default/checkout', annotation: ARN_KEY, arn: arn(A, EU, 'shop', 'checkout-v1'), reason: 'no live service has that ARN', suggestion: { arn: arn(A, EU, 'shop', 'checkout'), why: 'same name' } },
    ],
    unclaimed: [{ owner: 'unowned', arn: arn(B, US, 'edge', 'orphan'), name: 'orphan', accountId: B, region: US }],
    ownerDrift: [{ owner: 'group:default/team-b', arn: arn(A, US, 'edge', 'legacy'), entityRef: 'component:default/legacy', entityOwner: 'group:default/team-b', tagOwner: 'team-c', reason: 'the owner tag says team-c' }],
    duplicateClaims: [{ owner: 'group:default/team-a', arn: arn(A, EU, 'shop', 'inventory'), entityRefs: ['component:default/inventory', 'component:default/stock'] }],
    malformedClaims: [{ owner: 'group:default/team-b', entityRef: 'component:default/broken', annotation: ARN_KEY, value: HOSTILE_SCRIPT, reason: 'not an ECS service ARN' }],
    tabMismatches: [{ owner: 'group:default/team-a', entityRef: 'component:default/basket', annotation: TAGS_KEY, value: 'release=v=2', reason: 'the tab cuts the pair at its second =', suggestion: null }],
    notVerified: [],
    alerts: [],
    ...over,
  };
}

const rows = async () => within(await screen.findByRole('table', { name: 'ECS drift findings' })).getAllByRole('row').slice(1);
const kinds = async () => (await rows()).map(row => within(row).getAllByRole('cell')[0].textContent);
const choose = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('the ECS drift page', () => {
  it("shows the findings addressed to the signed-in user's groups by default", async () => {
    await renderPage(<DriftPage />, fakeApi({ report: report() }), { ownershipEntityRefs: ['user:default/alice', 'group:default/team-a'] });
    expect(await kinds()).toEqual(['Phantom', 'Duplicate claim', 'ECS tab mismatch']);
    expect(screen.getByText(/Showing 3 of 6 findings/)).toBeTruthy();
  });

  it('shows every owner to a user who belongs to no group, each finding kind in the report order', async () => {
    await renderPage(<DriftPage />, fakeApi({ report: report() }), { ownershipEntityRefs: ['user:default/alice'] });
    expect(await kinds()).toEqual(['Phantom', 'Unclaimed', 'Owner drift', 'Duplicate claim', 'Malformed claim', 'ECS tab mismatch']);
    // A value from an annotation stays text.
    expect(screen.getByText(new RegExp(HOSTILE_SCRIPT.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))).toBeTruthy();
    expect(document.querySelector('script')).toBeNull();
  });

  it('filters by owner, finding kind, account and region', async () => {
    await renderPage(<DriftPage />, fakeApi({ report: report() }), { ownershipEntityRefs: ['group:default/team-a'] });
    await rows();
    choose('Owner', 'group:default/team-b');
    expect(await kinds()).toEqual(['Owner drift', 'Malformed claim']);
    choose('Owner', '\u0000all');
    choose('Finding', 'unclaimed');
    expect(await kinds()).toEqual(['Unclaimed']);
    choose('Finding', '');
    choose('Account', A);
    expect(await kinds()).toEqual(['Phantom', 'Owner drift', 'Duplicate claim']);
    choose('Region', US);
    expect(await kinds()).toEqual(['Owner drift']);
    choose('Account', B);
    expect(await kinds()).toEqual(['Unclaimed']);
  });

  it('links every entity and service to its catalog page', async () => {
    const service = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'inventory-1a2b', namespace: 'aws', annotations: { [ARN_KEY]: arn(A, EU, 'shop', 'inventory') } },
    };
    await renderPage(<DriftPage />, fakeApi({ report: report() }), { ownershipEntityRefs: ['group:default/team-a'], serviceEntities: [service] });
    const duplicate = (await rows())[1];
    expect(within(duplicate).getByRole('link', { name: 'inventory' }).getAttribute('href')).toBe('/catalog/default/component/inventory');
    expect(within(duplicate).getByRole('link', { name: 'stock' }).getAttribute('href')).toBe('/catalog/default/component/stock');
    expect((await within(duplicate).findByRole('link', { name: arn(A, EU, 'shop', 'inventory') })).getAttribute('href')).toBe('/catalog/aws/resource/inventory-1a2b');
    expect(within(duplicate).getByRole('link', { name: 'team-a' }).getAttribute('href')).toBe('/catalog/default/group/team-a');
  });

  it('says when there is no drift', async () => {
    const empty = report({ phantoms: [], unclaimed: [], ownerDrift: [], duplicateClaims: [], malformedClaims: [], tabMismatches: [] });
    await renderPage(<DriftPage />, fakeApi({ report: empty }), { ownershipEntityRefs: [] });
    expect(await screen.findByText('No drift: every claim matches a live service')).toBeTruthy();
  });

  it('says when nothing is addressed to the user, and how to see the rest', async () => {
    await renderPage(<DriftPage />, fakeApi({ report: report() }), { ownershipEntityRefs: ['group:default/team-z'] });
    expect(await screen.findByText('No finding matches these filters')).toBeTruthy();
    expect(screen.getByText(/Nothing is addressed to group:default\/team-z/)).toBeTruthy();
  });

  it('shows that the report is incomplete, and why', async () => {
    const incomplete = report({
      summary: { ...report().summary, notVerified: 1, alerts: 1, complete: false },
      notVerified: [{ owner: 'group:default/team-a', entityRef: 'component:default/billing', annotation: ARN_KEY, value: arn('333333333333', 'ap-south-1', 'core', 'billing'), reason: 'its account was not scanned' }],
      alerts: [{ accountId: '333333333333', region: 'ap-south-1', error: 'AccessDenied: not authorized to perform ecs:ListClusters' }],
    });
    await renderPage(<DriftPage />, fakeApi({ report: incomplete }), { ownershipEntityRefs: ['group:default/team-a'] });
    expect(await screen.findByText(/This report is incomplete/)).toBeTruthy();
    expect(screen.getByText('Account 333333333333, region ap-south-1: AccessDenied: not authorized to perform ecs:ListClusters')).toBeTruthy();
    expect(await kinds()).toContain('Not verified');
  });

  it('says no scan has completed yet before the first report', async () => {
    const error = await responseError(404, 'NotFoundError', 'no scan has completed yet for provider production');
    await renderPage(<DriftPage />, fakeApi({ report: error }), { ownershipEntityRefs: [] });
    expect(await screen.findByText('No ECS scan has completed yet')).toBeTruthy();
  });

  it('shows the error the drift plugin answered', async () => {
    const error = await responseError(400, 'InputError', 'several providers publish drift reports: choose one with provider=<id>');
    await renderPage(<DriftPage />, fakeApi({ report: error }), { ownershipEntityRefs: [] });
    expect(await screen.findByText(/several providers publish drift reports/)).toBeTruthy();
  });
});
