import { identityApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef, EntityProvider, entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { ecsCatalogSyncApiRef } from './api/EcsCatalogSyncApi';
import type { DriftReport, EntityClaimsView } from './api/types';
import { EcsDriftPage, EntityEcsClaimsCard, EntityEcsClaimsWarning, EntityEcsOperationsCard } from './plugin';
import { arn, ARN_KEY, capabilities, component, fakeApi, operation } from './testing/fixtures';

const CART = arn('111111111111', 'eu-west-1', 'shop', 'cart');
const view: EntityClaimsView = {
  kind: 'claims',
  entityRef: 'component:default/cart',
  generatedAt: '2026-12-01T10:00:00.000Z',
  complete: true,
  claims: [{ annotation: ARN_KEY, value: CART, state: 'duplicate', findings: [{ state: 'duplicate', message: 'also claimed by component:default/stock' }], yaml: null }],
  tabMismatches: [],
  yaml: null,
};
const report: DriftReport = {
  generatedAt: '2026-12-01T10:00:00.000Z',
  summary: { phantoms: 0, unclaimed: 0, ownerDrift: 0, duplicateClaims: 0, malformedClaims: 0, tabMismatches: 0, notVerified: 0, alerts: 0, liveServices: 3, claimedServices: 3, coverage: 1, complete: true },
  phantoms: [],
  unclaimed: [],
  ownerDrift: [],
  duplicateClaims: [],
  malformedClaims: [],
  tabMismatches: [],
  notVerified: [],
  alerts: [],
};
const identity = {
  getBackstageIdentity: async () => ({ type: 'user' as const, userEntityRef: 'user:default/alice', ownershipEntityRefs: ['user:default/alice'] }),
  getProfileInfo: async () => ({}),
  getCredentials: async () => ({}),
  signOut: async () => undefined,
};

describe('the plugin in the legacy frontend system', () => {
  it('renders the card and the warning as entity page extensions', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[ecsCatalogSyncApiRef, fakeApi({ view })]]}>
        <EntityProvider entity={component('cart', { [ARN_KEY]: CART })}>
          <EntityEcsClaimsWarning />
          <EntityEcsClaimsCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByText(/ECS: one finding from the last scan/)).toBeTruthy();
    expect((await screen.findAllByText('also claimed by component:default/stock')).length).toBe(2);
  });

  it('renders the ECS drift page as a routable extension', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[ecsCatalogSyncApiRef, fakeApi({ report })], [catalogApiRef, { getEntities: async () => ({ items: [] }) }], [identityApiRef, identity]]}>
        <Routes>
          <Route path="/ecs-drift" element={<EcsDriftPage />} />
        </Routes>
      </TestApiProvider>,
      { routeEntries: ['/ecs-drift'], mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByText('No drift: every claim matches a live service')).toBeTruthy();
  });

  it('renders the operations card as an entity page extension', async () => {
    const api = fakeApi({ operations: { capabilities: capabilities(), list: () => [operation({ requestedBy: 'user:default/bob' })] } });
    await renderInTestApp(
      <TestApiProvider apis={[[ecsCatalogSyncApiRef, api], [identityApiRef, identity]]}>
        <EntityProvider entity={component('cart', { [ARN_KEY]: CART })}>
          <EntityEcsOperationsCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByRole('button', { name: 'Approve' })).toBeTruthy();
  });
});
