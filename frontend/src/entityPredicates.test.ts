import type { ApiHolder } from '@backstage/core-plugin-api';
import { ecsCatalogSyncApiRef } from './api/EcsCatalogSyncApi';
import type { EntityClaimsView } from './api/types';
import { hasEcsFindings, isEcsClaimingEntity } from './entityPredicates';
import { arn, ARN_KEY, component, fakeApi, responseError, TAGS_KEY } from './testing/fixtures';

const CART = arn('111111111111', 'eu-west-1', 'shop', 'cart');
const holder = (api: unknown): ApiHolder => ({ get: (ref => (ref.id === ecsCatalogSyncApiRef.id ? api : undefined)) as ApiHolder['get'] });
const view = (state: 'matched' | 'phantom'): EntityClaimsView => ({
  kind: 'claims',
  entityRef: 'component:default/cart',
  generatedAt: '2026-12-01T10:00:00.000Z',
  complete: true,
  claims: [{ annotation: ARN_KEY, value: CART, state, findings: state === 'matched' ? [] : [{ state, message: 'gone' }], yaml: null }],
  tabMismatches: [],
  yaml: null,
});

describe('the entity predicates', () => {
  it('finds claims by ARN on the kinds that claim, and by tags on any kind', () => {
    expect(isEcsClaimingEntity(component('cart', { [ARN_KEY]: CART }))).toBe(true);
    expect(isEcsClaimingEntity({ ...component('team', { [ARN_KEY]: CART }), kind: 'Group' })).toBe(false);
    expect(isEcsClaimingEntity({ ...component('team', { [TAGS_KEY]: 'app=cart' }), kind: 'Group' })).toBe(true);
    expect(isEcsClaimingEntity(component('docs', {}))).toBe(false);
  });

  it('says whether the latest report has a finding for the entity', async () => {
    const entity = component('cart', { [ARN_KEY]: CART });
    expect(await hasEcsFindings(entity, { apis: holder(fakeApi({ view: view('phantom') })) })).toBe(true);
    expect(await hasEcsFindings(entity, { apis: holder(fakeApi({ view: view('matched') })) })).toBe(false);
    expect(await hasEcsFindings(entity, { apis: holder(fakeApi({ view: await responseError(500, 'Error', 'down') })) })).toBe(false);
    expect(await hasEcsFindings(component('docs', {}), { apis: holder(fakeApi({ view: view('phantom') })) })).toBe(false);
  });
});
