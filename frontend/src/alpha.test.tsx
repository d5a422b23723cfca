import { createExtensionTester, mockApis, renderInTestApp, renderTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef, EntityProvider, entityRouteRef } from '@backstage/plugin-catalog-react';
import { EntityCardBlueprint, EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { screen } from '@testing-library/react';
import ecsCatalogSyncPlugin from './alpha';
import { ecsCatalogSyncApiRef } from './api/EcsCatalogSyncApi';
import type { DriftReport, EntityClaimsView } from './api/types';
import { arn, ARN_KEY, capabilities, component, fakeApi, operation } from './testing/fixtures';

const CART = arn('111111111111', 'eu-west-1', 'shop', 'cart');
const view: EntityClaimsView = {
  kind: 'claims',
  entityRef: 'component:default/cart',
  generatedAt: '2026-12-01T10:00:00.000Z',
  complete: true,
  claims: [{ annotation: ARN_KEY, value: CART, state: 'phantom', findings: [{ state: 'phantom', message: 'the service was deleted' }], yaml: null }],
  tabMismatches: [],
  yaml: null,
};
const report: DriftReport = {
  generatedAt: '2026-12-01T10:00:00.000Z',
  summary: { phantoms: 0, unclaimed: 1, ownerDrift: 0, duplicateClaims: 0, malformedClaims: 0, tabMismatches: 0, notVerified: 0, alerts: 0, liveServices: 1, claimedServices: 0, coverage: 0, complete: true },
  phantoms: [],
  unclaimed: [{ owner: 'unowned', arn: CART, name: 'cart', accountId: '111111111111', region: 'eu-west-1' }],
  ownerDrift: [],
  duplicateClaims: [],
  malformedClaims: [],
  tabMismatches: [],
  notVerified: [],
  alerts: [],
};
const claiming = component('cart', { [ARN_KEY]: CART });
const unrelated = component('docs', {});

describe('the plugin in the new frontend system', () => {
  it('serves the ECS drift page at /ecs-drift', async () => {
    await renderTestApp({
      features: [ecsCatalogSyncPlugin],
      initialRouteEntries: ['/ecs-drift'],
      apis: [
        [ecsCatalogSyncApiRef, fakeApi({ report })],
        [catalogApiRef, { getEntities: async () => ({ items: [] }) }],
        mockApis.identity({ userEntityRef: 'user:default/alice', ownershipEntityRefs: ['user:default/alice'] }),
      ],
    });
    expect(await screen.findByText('No entity claims cart and nothing names its owner.', {}, { timeout: 15_000 })).toBeTruthy();
  });

  it.each([
    ['entity-card:ecs-catalog-sync/claims', EntityCardBlueprint.dataRefs.filterFunction, 'the service was deleted'],
    ['entity-card:ecs-catalog-sync/claims-warning', EntityCardBlueprint.dataRefs.filterFunction, /ECS: one finding/],
    ['entity-content:ecs-catalog-sync/ecs', EntityContentBlueprint.dataRefs.filterFunction, 'the service was deleted'],
  ])('offers %s on claiming entities only', async (id, filterRef, text) => {
    const tester = createExtensionTester(ecsCatalogSyncPlugin.getExtension(id));
    const filter = tester.get(filterRef) as (entity: typeof claiming) => boolean;
    expect([filter(claiming), filter(unrelated)]).toEqual([true, false]);
    await renderInTestApp(<EntityProvider entity={claiming}>{tester.reactElement()}</EntityProvider>, {
      apis: [[ecsCatalogSyncApiRef, fakeApi({ view })]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect((await screen.findAllByText(text)).length).toBeGreaterThan(0);
  });

  it('offers entity-card:ecs-catalog-sync/operations on claiming entities only', async () => {
    const tester = createExtensionTester(ecsCatalogSyncPlugin.getExtension('entity-card:ecs-catalog-sync/operations'));
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction) as (entity: typeof claiming) => boolean;
    expect([filter(claiming), filter(unrelated)]).toEqual([true, false]);
    const api = fakeApi({ operations: { capabilities: capabilities(), list: () => [operation({ status: 'succeeded', after: { desiredCount: 2, taskDefinition: 'cart:6', deploymentId: 'ecs-svc/5555' } })] } });
    await renderInTestApp(<EntityProvider entity={claiming}>{tester.reactElement()}</EntityProvider>, {
      apis: [[ecsCatalogSyncApiRef, api], mockApis.identity({ userEntityRef: 'user:default/alice' })],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(await screen.findByText('ecs-svc/5555')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Restart' })).toBeTruthy();
  });

  it('shows the operations in the ECS tab of an entity with one service', async () => {
    const tester = createExtensionTester(ecsCatalogSyncPlugin.getExtension('entity-content:ecs-catalog-sync/ecs'));
    const api = fakeApi({ view, operations: { capabilities: capabilities(), list: () => [] } });
    await renderInTestApp(<EntityProvider entity={claiming}>{tester.reactElement()}</EntityProvider>, {
      apis: [[ecsCatalogSyncApiRef, api], mockApis.identity({ userEntityRef: 'user:default/alice' })],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(await screen.findByText('No operation has been requested on this service yet.')).toBeTruthy();
    expect((await screen.findAllByText('the service was deleted')).length).toBeGreaterThan(0);
  });
});
