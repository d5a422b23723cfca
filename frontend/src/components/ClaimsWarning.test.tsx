import { act, screen } from '@testing-library/react';
import type { EcsServiceView, EntityClaimsView } from '../api/types';
import { arn, ARN_KEY, component, fakeApi, HOSTILE_IMG, renderOnEntityPage, responseError } from '../testing/fixtures';
import { ClaimsWarning } from './ClaimsWarning';

const CART = arn('111111111111', 'eu-west-1', 'shop', 'cart');
const entity = component('cart', { [ARN_KEY]: CART });
const view = (over: Partial<EntityClaimsView>): EntityClaimsView => ({
  kind: 'claims',
  entityRef: 'component:default/cart',
  generatedAt: '2026-12-01T10:00:00.000Z',
  complete: true,
  claims: [],
  tabMismatches: [],
  yaml: null,
  ...over,
});

describe('the ECS claims warning', () => {
  it('tells each finding of the entity at the top of the page', async () => {
    const api = fakeApi({
      view: view({
        claims: [
          { annotation: ARN_KEY, value: CART, state: 'phantom', findings: [{ state: 'phantom', message: `names ${CART}, but it was deleted ${HOSTILE_IMG}` }], yaml: null },
          { annotation: ARN_KEY, value: 'x', state: 'matched', findings: [], yaml: null },
        ],
        tabMismatches: [{ annotation: ARN_KEY, value: CART, message: 'the tab reads one ARN', yaml: null }],
      }),
    });
    const { container } = await renderOnEntityPage(<ClaimsWarning />, entity, api);
    expect(await screen.findByText(/ECS: 2 findings from the last scan/)).toBeTruthy();
    expect(screen.getByText(`names ${CART}, but it was deleted ${HOSTILE_IMG}`)).toBeTruthy();
    expect(screen.getByText('the tab reads one ARN')).toBeTruthy();
    expect(container.querySelector('img')).toBeNull();
  });

  it('warns on an ECS service entity with a finding', async () => {
    const service: EcsServiceView = {
      kind: 'service',
      entityRef: 'resource:default/cart-1a2b',
      generatedAt: '2026-12-01T10:00:00.000Z',
      complete: true,
      arn: CART,
      accountId: '111111111111',
      region: 'eu-west-1',
      cluster: 'shop',
      launchType: 'FARGATE',
      owner: null,
      ownerSource: 'default',
      consoleUrl: null,
      claimants: [],
      findings: [{ state: 'unclaimed', message: 'No entity claims it' }],
    };
    await renderOnEntityPage(<ClaimsWarning />, entity, fakeApi({ view: service }));
    expect(await screen.findByText(/ECS: one finding from the last scan/)).toBeTruthy();
    expect(screen.getByText('No entity claims it')).toBeTruthy();
  });

  it('shows nothing when every claim is matched', async () => {
    const api = fakeApi({ view: view({ claims: [{ annotation: ARN_KEY, value: CART, state: 'matched', findings: [], yaml: null }] }) });
    const { container } = await renderOnEntityPage(<ClaimsWarning />, entity, api);
    // Let the answer arrive and render.
    await act(async () => undefined);
    expect(api.calls).toEqual(['view Component:default/cart']);
    expect(container.textContent).toBe('');
  });

  it('shows nothing when the drift plugin answers an error', async () => {
    const api = fakeApi({ view: await responseError(500, 'Error', 'the drift report could not be loaded') });
    const { container } = await renderOnEntityPage(<ClaimsWarning />, entity, api);
    // Let the answer arrive and render.
    await act(async () => undefined);
    expect(api.calls).toEqual(['view Component:default/cart']);
    expect(container.textContent).toBe('');
  });
});
