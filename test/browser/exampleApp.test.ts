import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../support/builtCli';
import { AppPage, launchChromium } from './appPage';
import { chromiumMissing } from './chromium';
import { startDemo, type RunningDemo } from './exampleDemo';

/**
 * The example web app as a person meets it after `npm start`: headless
 * Chromium opens the backend's own origin and uses the app like a person
 * would. Screenshots of every step land in test-results/screenshots/.
 */

const missing = chromiumMissing();
if (missing) console.warn(`Skipping the example web app browser test: ${missing}`);
const describeWithChromium = missing ? describe.skip : describe;
const SUITE = missing ? `the example web app in headless Chromium (SKIPPED: ${missing})` : 'the example web app in headless Chromium';

interface ExampleEntity {
  kind: string;
  metadata: { name: string; title?: string; description?: string; annotations?: Record<string, string> };
}

/** examples/catalog-info.yaml: alice and bob are in team-payments, carol in team-search. */
const PAYMENTS_COMPONENT = 'Checkout API';
const SEARCH_COMPONENT = 'Search API';
const OWNED_COMPONENTS = '/catalog?filters%5Bkind%5D=component&filters%5Buser%5D=owned';

const EXAMPLE_ENTITIES = parseAllDocuments(readFileSync(path.join(ROOT, 'examples', 'catalog-info.yaml'), 'utf8')).map(doc => doc.toJS() as ExampleEntity);
const COMPONENTS = EXAMPLE_ENTITIES.filter(e => e.kind === 'Component');
/** examples/catalog-info.yaml: its ARN names us-east-1, the service runs in eu-west-1. */
const PHANTOM_CLAIMANT = COMPONENTS.find(e => e.metadata.name === 'fraud-scorer')!;
const shownName = (entity: ExampleEntity) => entity.metadata.title ?? entity.metadata.name;
/** The service the phantom claim meant: same name and cluster, in the region where it runs. */
const SUGGESTED_ARN = 'arn:aws:ecs:eu-west-1:012345678901:service/payments/fraud-scorer';
/** The drift page's name for each finding list of the report. */
const FINDING_KINDS = {
  phantoms: 'Phantom',
  unclaimed: 'Unclaimed',
  ownerDrift: 'Owner drift',
  duplicateClaims: 'Duplicate claim',
  malformedClaims: 'Malformed claim',
  tabMismatches: 'ECS tab mismatch',
} as const;

describeWithChromium(SUITE, () => {
  let demo: RunningDemo | undefined;
  let browser: Browser | undefined;
  let app: AppPage;

  beforeAll(async () => {
    demo = await startDemo();
    browser = await launchChromium();
    app = await AppPage.open(browser, demo.baseUrl);
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    await browser?.close();
    await demo?.stop();
  }, 60_000);

  it('loads from the backend origin and signs in as the guest without a click', async () => {
    await app.step('01-home', async () => {
      await app.goto('/');
      // No sign-in page to click through: the app opens on the catalog.
      await app.waitForText(shownName(COMPONENTS[0]));
    });
    expect(app.path()).toBe('/catalog');

    const origin = new URL(demo!.baseUrl).origin;
    // Every request went to the backend's own origin: the bundle, the config, the APIs.
    expect(app.requests.filter(r => r.url.origin !== origin && r.url.protocol !== 'data:').map(r => r.url.toString())).toEqual([]);
    // The guest session came from the auth backend, and the catalog was read with its token.
    expect(app.requests.some(r => r.url.pathname === '/api/auth/guest/refresh' && r.status === 200)).toBe(true);
    const catalogCalls = app.requests.filter(r => r.url.pathname.startsWith('/api/catalog/'));
    expect(catalogCalls.length).toBeGreaterThan(0);
    expect(catalogCalls.every(r => r.bearer)).toBe(true);
    // The app read its base URLs from the backend at run time (the app-backend's injected config), not from the build.
    expect(await app.page.locator('script[type="backstage.io/config"]').textContent()).toContain(`"baseUrl": "${demo!.baseUrl}"`);
    expect(app.pageErrors).toEqual([]);
  });

  it("lists the demo's hand-written components in the catalog", async () => {
    await app.step('02-catalog-components', async () => {
      await app.goto('/catalog?filters%5Bkind%5D=component&filters%5Buser%5D=all');
      for (const component of COMPONENTS) await app.waitForText(shownName(component));
    });
  });

  it('opens the entity page of a component from the catalog', async () => {
    await app.step('03-entity-page', async () => {
      await app.followLink(shownName(PHANTOM_CLAIMANT), `/catalog/default/component/${PHANTOM_CLAIMANT.metadata.name}`);
      await app.waitForText(PHANTOM_CLAIMANT.metadata.description!);
    });
    expect(app.pageErrors).toEqual([]);
  });

  it('reaches the drift report route of the backend from the same origin', async () => {
    const response = await app.fetchFromPage('/api/ecs-catalog-sync/drift?provider=demo');
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^application\/json/);
    const report = JSON.parse(response.body) as { phantoms: Array<{ entityRef: string; suggestion: { arn: string } | null }> };
    expect(report.phantoms).toContainEqual(
      expect.objectContaining({
        entityRef: `component:default/${PHANTOM_CLAIMANT.metadata.name}`,
        suggestion: expect.objectContaining({ arn: SUGGESTED_ARN }),
      }),
    );
  });

  it('shows the phantom claim and the value to write on the entity page', async () => {
    await app.step('04-phantom-claim', async () => {
      await app.goto(`/catalog/default/component/${PHANTOM_CLAIMANT.metadata.name}`);
      await app.waitForText(PHANTOM_CLAIMANT.metadata.description!);
      // The card's state of the claim, and the suggested ARN in its message and in the YAML to copy.
      await app.waitForText('Phantom');
      await app.waitForText(SUGGESTED_ARN);
    });
    expect(app.pageErrors).toEqual([]);
  });

  it('lists every finding kind of the demo on the ECS drift page, and links to the entity pages', async () => {
    const report = JSON.parse((await app.fetchFromPage('/api/ecs-catalog-sync/drift?provider=demo')).body) as Record<keyof typeof FINDING_KINDS, unknown[]>;
    const present = (Object.keys(FINDING_KINDS) as Array<keyof typeof FINDING_KINDS>).filter(kind => report[kind].length > 0);
    // The demo fleet is built to show most kinds at once.
    expect(present.length).toBeGreaterThanOrEqual(4);
    await app.step('05-ecs-drift-page', async () => {
      await app.goto('/ecs-drift');
      await app.waitForText('ECS drift');
      for (const kind of present) await app.waitForCell(FINDING_KINDS[kind]);
    });
    await app.step('06-drift-page-to-entity', async () => {
      await app.followLink(new RegExp(`^(${shownName(PHANTOM_CLAIMANT)}|${PHANTOM_CLAIMANT.metadata.name})$`), `/catalog/default/component/${PHANTOM_CLAIMANT.metadata.name}`);
      await app.waitForText(PHANTOM_CLAIMANT.metadata.description!);
    });
    expect(app.pageErrors).toEqual([]);
  });

  it('signs in as the demo user named by ?as=, and keeps that user for the tab', async () => {
    // A tab of its own: the choice lives in the tab's sessionStorage.
    const alice = await AppPage.open(browser!, demo!.baseUrl);
    try {
      await alice.step('07-signed-in-as-alice', async () => {
        await alice.goto('/?as=alice');
        await alice.waitForText(shownName(COMPONENTS[0]));
        // The query string is gone after the app's redirect; the next page load still signs in as alice.
        await alice.goto(OWNED_COMPONENTS);
        await alice.waitForText(PAYMENTS_COMPONENT);
      });
      const refreshes = alice.requests.filter(r => r.url.pathname.startsWith('/api/auth/'));
      expect(refreshes.length).toBeGreaterThan(0);
      expect(refreshes.every(r => r.url.pathname === '/api/auth/demoUser/refresh')).toBe(true);
      expect(refreshes.some(r => r.status === 200)).toBe(true);
      expect(await alice.page.getByText(SEARCH_COMPONENT, { exact: true }).count()).toBe(0);
      expect(alice.pageErrors).toEqual([]);
    } finally {
      await alice.close();
    }
  });

  it("shows another team's demo user the components of that team as owned", async () => {
    const carol = await AppPage.open(browser!, demo!.baseUrl);
    try {
      await carol.step('08-signed-in-as-carol', async () => {
        // A signed-in owner's catalog opens on the entities they own.
        await carol.goto('/?as=carol');
        await carol.waitForText(SEARCH_COMPONENT);
        await carol.goto(OWNED_COMPONENTS);
        await carol.waitForText(SEARCH_COMPONENT);
      });
      expect(await carol.page.getByText(PAYMENTS_COMPONENT, { exact: true }).count()).toBe(0);
      expect(carol.pageErrors).toEqual([]);
    } finally {
      await carol.close();
    }
  });
});
