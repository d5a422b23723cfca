import { screen, within } from '@testing-library/react';
import type { EcsServiceView, EntityClaimsView } from '../api/types';
import { arn, ARN_KEY, component, fakeApi, HOSTILE_IMG, HOSTILE_SCRIPT, renderOnEntityPage, responseError, TAGS_KEY } from '../testing/fixtures';
import { ClaimsCard } from './ClaimsCard';

const A = '111111111111';
const CART = arn(A, 'eu-west-1', 'shop', 'cart');
const OLD = arn(A, 'eu-west-1', 'shop', 'checkout-v1');
const NEW = arn(A, 'eu-west-1', 'shop', 'checkout');
const entity = component('checkout', { [ARN_KEY]: `${CART},${OLD}` });

function claimsView(over: Partial<EntityClaimsView>): EntityClaimsView {
  return { kind: 'claims', entityRef: 'component:default/checkout', generatedAt: '2026-12-01T10:00:00.000Z', complete: true, claims: [], tabMismatches: [], yaml: null, ...over };
}
const phantomYaml = `metadata:\n  annotations:\n    ${ARN_KEY}: ${CART},${NEW}\n`;

describe('the ECS claims card', () => {
  it('lists each claim with its state, what is wrong and the YAML to write', async () => {
    const api = fakeApi({
      view: claimsView({
        claims: [
          { annotation: ARN_KEY, value: CART, state: 'matched', findings: [], yaml: null },
          { annotation: ARN_KEY, value: OLD, state: 'phantom', findings: [{ state: 'phantom', message: `${ARN_KEY} names ${OLD}, but no live service has that ARN.` }], yaml: phantomYaml },
        ],
        yaml: phantomYaml,
      }),
    });
    await renderOnEntityPage(<ClaimsCard />, entity, api);
    expect(api.calls).toEqual(['view Component:default/checkout']);
    const rows = within(await screen.findByRole('table', { name: 'ECS claims' })).getAllByRole('row');
    expect(within(rows[1]).getByText(CART)).toBeTruthy();
    expect(within(rows[1]).getByText('Matched')).toBeTruthy();
    expect(within(rows[2]).getByText('Phantom')).toBeTruthy();
    expect(within(rows[2]).getByText(/but no live service has that ARN/)).toBeTruthy();
    // The YAML is shown as it is to be pasted, with a button that copies it.
    expect(within(rows[2]).getByText((_, el) => el?.tagName === 'CODE' && el.textContent === phantomYaml)).toBeTruthy();
    expect(within(rows[2]).getByRole('button')).toBeTruthy();
  });

  it.each([
    ['ownerDrift', 'Owner drift'],
    ['duplicate', 'Duplicate'],
    ['malformed', 'Malformed'],
    ['notVerified', 'Not verified'],
  ] as const)('names a %s claim', async (state, label) => {
    const message = `the ${state} explanation`;
    await renderOnEntityPage(<ClaimsCard />, entity, fakeApi({ view: claimsView({ claims: [{ annotation: ARN_KEY, value: OLD, state, findings: [{ state, message }], yaml: null }] }) }));
    expect(await screen.findByText(label)).toBeTruthy();
    expect(screen.getByText(message)).toBeTruthy();
  });

  it('shows values from annotations as text, never as markup', async () => {
    const view = claimsView({
      claims: [{ annotation: TAGS_KEY, value: `app=${HOSTILE_IMG}`, state: 'malformed', findings: [{ state: 'malformed', message: `contains ${HOSTILE_SCRIPT}` }], yaml: null }],
    });
    const { container } = await renderOnEntityPage(<ClaimsCard />, component('x', { [TAGS_KEY]: `app=${HOSTILE_IMG}` }), fakeApi({ view }));
    expect(await screen.findByText(`app=${HOSTILE_IMG}`)).toBeTruthy();
    expect(screen.getByText(`contains ${HOSTILE_SCRIPT}`)).toBeTruthy();
    expect(container.querySelector('img, script')).toBeNull();
  });

  it('says when the scan could not read every scope', async () => {
    await renderOnEntityPage(<ClaimsCard />, entity, fakeApi({ view: claimsView({ complete: false, claims: [{ annotation: ARN_KEY, value: CART, state: 'matched', findings: [], yaml: null }] }) }));
    expect(await screen.findByText(/could not read every account and region/)).toBeTruthy();
  });

  it('shows an ECS service entity with its facts, owner source, claimants and console link', async () => {
    const view: EcsServiceView = {
      kind: 'service',
      entityRef: 'resource:default/cart-1a2b',
      generatedAt: '2026-12-01T10:00:00.000Z',
      complete: true,
      arn: CART,
      accountId: A,
      region: 'eu-west-1',
      cluster: 'shop',
      launchType: 'FARGATE',
      owner: 'group:default/team-a',
      ownerSource: 'claim',
      consoleUrl: 'https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/shop/services/cart/health?region=eu-west-1',
      claimants: ['component:default/cart'],
      findings: [{ state: 'duplicate', message: 'claimed twice' }],
    };
    const service = { ...component('cart-1a2b', { [ARN_KEY]: CART }), kind: 'Resource', spec: { type: 'ecs-service', owner: 'group:default/team-a' } };
    await renderOnEntityPage(<ClaimsCard />, service, fakeApi({ view }));
    const facts = await screen.findByRole('table', { name: 'ECS service' });
    for (const fact of [A, 'eu-west-1', 'shop', 'FARGATE', 'the entity that claims it']) expect(within(facts).getByText(fact)).toBeTruthy();
    expect(within(facts).getByRole('link', { name: 'cart' }).getAttribute('href')).toBe('/catalog/default/component/cart');
    expect(within(facts).getByRole('link', { name: /AWS console/ }).getAttribute('href')).toBe(view.consoleUrl);
    expect(screen.getByText('claimed twice')).toBeTruthy();
  });

  it('says no scan has completed yet when the report does not exist', async () => {
    const error = await responseError(404, 'NotFoundError', 'no scan has completed yet for provider production');
    await renderOnEntityPage(<ClaimsCard />, entity, fakeApi({ view: error }));
    expect(await screen.findByText('No ECS scan has completed yet')).toBeTruthy();
  });

  it('shows the error the drift plugin answered', async () => {
    const error = await responseError(500, 'Error', 'the drift report could not be loaded; the backend log says why');
    await renderOnEntityPage(<ClaimsCard />, entity, fakeApi({ view: error }));
    expect(await screen.findByText(/the drift report could not be loaded/)).toBeTruthy();
  });
});
