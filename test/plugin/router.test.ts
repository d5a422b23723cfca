import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend, type TestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { defaultMappingOptions } from '../../src/mapping/mappingOptions';
import { ecsCatalogSyncPlugin } from '../../src/plugin/plugin';
import { reconcile } from '../../src/reconcile/reconcile';
import { buildDriftReport, type DriftReport } from '../../src/report/driftReport';
import { DriftReportRegistry, driftReportRegistryRef } from '../../src/plugin/driftReportRegistry';
import { driftHtmlScriptHash } from '../../src/report/renderHtml';
import type { EcsService, Inventory } from '../../src/scan/inventory';

const A = '111111111111';
const arn = (name: string) => `arn:aws:ecs:eu-west-1:${A}:service/shop/${name}`;
const svc = (name: string, tags: Record<string, string> = {}): EcsService => ({
  arn: arn(name),
  name,
  clusterArn: `arn:aws:ecs:eu-west-1:${A}:cluster/shop`,
  accountId: A,
  region: 'eu-west-1',
  status: 'ACTIVE',
  tags,
  desiredCount: 1,
  runningCount: 1,
  taskDefinition: `${name}:1`,
  createdAt: '2025-01-01T00:00:00.000Z',
});
const group = (name: string): Entity => ({ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name }, spec: { type: 'team', children: [] } });
const component = (name: string, owner: string, claim: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, annotations: { 'aws.amazon.com/amazon-ecs-service-arn': claim } },
  spec: { type: 'service', lifecycle: 'production', owner },
});

/** team-a claims a service that is gone (a phantom); nobody claims the untagged orphan; team-b's claim is malformed. */
const INJECTION = '<script>alert(1)</script>';
const inventory: Inventory = {
  shards: [{ accountId: A, region: 'eu-west-1', status: 'ok', clusters: 1, services: 2, apiCalls: 3, throttled: 0, retries: 0, credentialRefreshes: 0 }],
  services: [svc('cart', { owner: 'team-a' }), svc('orphan')],
};
const entities = [
  group('team-a'),
  group('team-b'),
  component('cart', 'team-a', arn('cart')),
  component('checkout', 'team-a', arn('checkout')),
  component('search', 'team-b', INJECTION),
];
const REPORT: DriftReport = buildDriftReport(reconcile({ inventory, entities, mapping: defaultMappingOptions('production') }), new Date('2025-06-01T12:00:00Z'));

async function errorOf(response: Response): Promise<{ name: string; message: string }> {
  return ((await response.json()) as { error: { name: string; message: string } }).error;
}

describe('ecs-catalog-sync backend plugin', () => {
  let backend: TestBackend;
  let base: string;
  let registry: DriftReportRegistry;
  let latest: DriftReport | undefined;
  let failing = false;

  const get = (path: string, authorization: string | null = mockCredentials.user.header()) =>
    fetch(`${base}${path}`, { headers: authorization ? { Authorization: authorization } : {} });

  beforeAll(async () => {
    registry = new DriftReportRegistry();
    registry.register('production', async () => {
      if (failing) throw new Error('database is down');
      return latest;
    });
    backend = await startTestBackend({
      features: [
        ecsCatalogSyncPlugin,
        createServiceFactory({ service: driftReportRegistryRef, deps: {}, factory: () => registry }),
        // Without this the mock treats a request without credentials as the mock user.
        mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
      ],
    });
    base = `http://127.0.0.1:${backend.server.port()}/api/ecs-catalog-sync`;
  });
  afterAll(async () => {
    await backend?.stop();
  });
  beforeEach(() => {
    latest = REPORT;
    failing = false;
  });

  it('sanity: the fixture has a phantom for team-a, an unclaimed service and a malformed claim for team-b', () => {
    expect(REPORT.summary).toMatchObject({ phantoms: 1, unclaimed: 1, malformedClaims: 1, complete: true });
    expect(REPORT.phantoms[0]).toMatchObject({ entityRef: 'component:default/checkout', owner: 'group:default/team-a' });
    expect(REPORT.malformedClaims[0]).toMatchObject({ entityRef: 'component:default/search', owner: 'group:default/team-b' });
  });

  it('lists the providers', async () => {
    const response = await get('/providers');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.json()).toEqual(['production']);
  });

  it('answers 404 with a JSON message before any scan has completed', async () => {
    latest = undefined;
    for (const query of ['', '?format=markdown', '?format=html']) {
      const response = await get(`/drift${query}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect((await errorOf(response))).toEqual({ name: 'NotFoundError', message: 'no scan has completed yet for provider production' });
    }
  });

  it('serves the report as JSON by default, the provider left out since there is only one', async () => {
    const response = await get('/drift');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(REPORT)));
    const explicit = await get('/drift?provider=production&format=json');
    expect(explicit.status).toBe(200);
    expect(await explicit.json()).toEqual(JSON.parse(JSON.stringify(REPORT)));
  });

  it('serves Markdown, filtered to one owner when asked', async () => {
    const all = await get('/drift?format=markdown');
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const everything = await all.text();
    expect(everything).toContain('component:default/checkout');
    expect(everything).toContain('component:default/search');
    expect(everything).toContain(arn('orphan'));

    const teamA = await (await get(`/drift?format=markdown&owner=${encodeURIComponent('group:default/team-a')}`)).text();
    expect(teamA).toContain('component:default/checkout');
    expect(teamA).not.toContain('component:default/search');
    expect(teamA).not.toContain(arn('orphan'));

    const teamB = await (await get(`/drift?format=markdown&owner=${encodeURIComponent('group:default/team-b')}`)).text();
    expect(teamB).toContain('component:default/search');
    expect(teamB).not.toContain('component:default/checkout');
  });

  it.each(['/drift?format=html', '/drift/page', '/drift/page?provider=production'])('serves the HTML page at %s under a strict CSP', async path => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const hash = driftHtmlScriptHash();
    expect(hash).toMatch(/^'sha256-[A-Za-z0-9+/]+=*'$/);
    expect(response.headers.get('content-security-policy')).toBe(
      `default-src 'none'; style-src 'unsafe-inline'; script-src ${hash}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    const html = await response.text();
    expect(html).toContain('component:default/checkout');
    // The malformed claim's value reaches the page escaped, never as markup.
    expect(html).not.toContain(INJECTION);
  });

  it.each([
    ['an unknown format', `/drift?format=${encodeURIComponent('<b>pdf</b>')}`, /format must be one of json, markdown, html/],
    ['a repeated format', '/drift?format=json&format=html', /format must be one of json, markdown, html/],
    ['an unknown provider', `/drift?provider=${encodeURIComponent('<img src=x onerror=alert(1)>')}`, /unknown provider; registered providers: production/],
    ['an owner with JSON', '/drift?format=json&owner=group:default/team-a', /owner filters format=markdown only/],
    ['a format on the page', '/drift/page?format=json', /\/drift\/page always serves HTML/],
  ])('answers 400 to %s with Backstage’s error JSON, naming the valid values, never echoing the input as markup', async (_name, path, message) => {
    const response = await get(path);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const text = await response.text();
    const body = JSON.parse(text) as { error: { name: string; message: string }; response: { statusCode: number } };
    expect(body).toMatchObject({ error: { name: 'InputError' }, response: { statusCode: 400 } });
    expect(body.error.message).toMatch(message);
    expect(body.error.message).not.toMatch(/<b>|<img|pdf/);
    // Backstage's error JSON names the request as sent: the URL, percent-encoded, never raw markup.
    expect(text).not.toMatch(/<b>|<img/);
  });

  it('answers 500 without details when the report cannot be loaded', async () => {
    failing = true;
    const response = await get('/drift');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text).error.message).toBe('the drift report could not be loaded; the backend log says why');
    expect(text).not.toContain('database is down');
  });

  it('keeps the default auth policy: 401 without credentials, service credentials accepted', async () => {
    for (const path of ['/providers', '/drift', '/drift?format=html', '/drift/page']) {
      const response = await get(path, null);
      expect(response.status).toBe(401);
    }
    const service = await get('/drift', mockCredentials.service.header());
    expect(service.status).toBe(200);
  });
  it('asks for the provider, naming them, once several are registered', async () => {
    // Last: the registry keeps the second provider.
    registry.register('staging', async () => undefined);
    const response = await get('/drift');
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toBe(
      'several providers publish drift reports: choose one with provider=<id>; registered providers: production, staging',
    );
    expect(await (await get('/providers')).json()).toEqual(['production', 'staging']);
    expect((await get('/drift?provider=production')).status).toBe(200);
    const staging = await get('/drift?provider=staging');
    expect(staging.status).toBe(404);
    expect((await errorOf(staging)).message).toBe('no scan has completed yet for provider staging');
  });
});
