import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { loadFleetFile } from '../../dev/emulator/fleet';
import { ANNOTATION_SERVICE_ARN } from '../../src/mapping/annotations';
import { ROOT } from '../support/builtCli';
import { AppPage, launchChromium } from './appPage';
import { chromiumMissing } from './chromium';
import { startDemo, type RunningDemo } from './exampleDemo';
import { screenshotPath } from './screenshots';

/**
 * An ECS restart behind a review gate, as the demo's people do it in the
 * example web app: alice (team-payments) asks, bob (team-payments) approves,
 * carol (team-search) may not; then AWS (the demo's emulator) is asked what
 * really ran, and as whom.
 */

const missing = chromiumMissing();
if (missing) console.warn(`Skipping the ECS operations browser test: ${missing}`);
const describeWithChromium = missing ? describe.skip : describe;
const SUITE = missing ? `ECS operations in headless Chromium (SKIPPED: ${missing})` : 'ECS operations in headless Chromium';

/** examples/fleet.yaml: team-payments' checkout-api, production by default (no lifecycle tag), so the gate wants one approval. */
const PAYMENTS_ACCOUNT = '012345678901';
const CLUSTER = `arn:aws:ecs:eu-west-1:${PAYMENTS_ACCOUNT}:cluster/payments`;
const SERVICE_ARN = `arn:aws:ecs:eu-west-1:${PAYMENTS_ACCOUNT}:service/payments/checkout-api`;
const OPERATE_ROLE = `arn:aws:sts::${PAYMENTS_ACCOUNT}:assumed-role/ecs-operate-team-payments/alice@default`;
const REASON = 'tasks hold a rotated database secret';
/** The history table's columns, as OperationHistory renders them. */
const DEPLOYMENT_COLUMN = 7;
const REQUEST_ID_COLUMN = 8;

interface CallRecord {
  requestID: string;
  errorCode?: string;
  recipientAccountId: string;
  requestParameters: Record<string, unknown> | null;
  userIdentity: { arn: string; sessionContext?: { sourceIdentity?: string; principalTags?: Record<string, string> } };
}

describeWithChromium(SUITE, () => {
  let demo: RunningDemo | undefined;
  let browser: Browser | undefined;
  const pages: AppPage[] = [];

  beforeAll(async () => {
    demo = await startDemo();
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    for (const page of pages) await page.close();
    await browser?.close();
    await demo?.stop();
  }, 60_000);

  /** A tab signed in as a demo user, on `entityPath`, once the operations card has loaded. */
  async function openAs(user: string, entityPath: string): Promise<AppPage> {
    const page = await AppPage.open(browser!, demo!.baseUrl);
    pages.push(page);
    await page.goto(`/?as=${user}`);
    // Signed in once the app has routed to the catalog; the choice then stays with the tab.
    await page.page.waitForURL(url => url.pathname === '/catalog', { timeout: 30_000 });
    await page.goto(entityPath);
    await page.waitForText('ECS operations');
    await page.page.getByRole('button', { name: 'Restart', exact: true }).waitFor({ state: 'visible' });
    return page;
  }

  async function primaryDeployment(): Promise<string | undefined> {
    const principal = loadFleetFile(path.join(ROOT, 'examples', 'fleet.yaml')).principals![0];
    // As the demo's backend reads the payments account: its read role there, with the account's external id.
    const credentials = fromTemporaryCredentials({
      masterCredentials: { accessKeyId: principal.accessKeyId, secretAccessKey: principal.secretAccessKey },
      params: { RoleArn: `arn:aws:iam::${PAYMENTS_ACCOUNT}:role/backstage-ecs-read`, RoleSessionName: 'browser-test', ExternalId: 'demo-external-id' },
      clientConfig: { endpoint: demo!.emulatorUrl, region: 'eu-west-1' },
    });
    const ecs = new ECSClient({ endpoint: demo!.emulatorUrl, region: 'eu-west-1', credentials });
    try {
      const { services } = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE_ARN] }));
      return services?.[0]?.deployments?.find(d => d.status === 'PRIMARY')?.id;
    } finally {
      ecs.destroy();
    }
  }

  it('restarts checkout-api once another owner approves, as team-payments’ role in alice’s name, and keeps carol out', async () => {
    const alice = await AppPage.open(browser!, demo!.baseUrl);
    pages.push(alice);
    await alice.goto('/?as=alice');
    await alice.waitForText('Checkout API');
    const found = await alice.fetchFromPage(`/api/catalog/entities/by-query?filter=${encodeURIComponent('kind=resource,spec.type=ecs-service')}&limit=500`);
    const entities = (JSON.parse(found.body) as { items: Array<{ metadata: { name: string; namespace?: string; annotations?: Record<string, string> } }> }).items;
    const service = entities.find(e => e.metadata.annotations?.[ANNOTATION_SERVICE_ARN] === SERVICE_ARN);
    expect(service).toBeDefined();
    const entityPath = `/catalog/${service!.metadata.namespace ?? 'default'}/resource/${service!.metadata.name}`;
    const before = await primaryDeployment();
    expect(before).toMatch(/^ecs-svc\//);

    await alice.step('20-operations-alice-asks', async () => {
      await alice.goto(entityPath);
      await alice.waitForText('ECS operations');
      await alice.page.getByRole('button', { name: 'Restart', exact: true }).click();
      const dialog = alice.page.getByRole('dialog', { name: 'Restart the ECS service' });
      await dialog.getByLabel('Reason').fill(REASON);
      await dialog.getByRole('button', { name: 'Request', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      await alice.waitForText('Your restart request waits for one approval.');
      await alice.waitForText('Your request: another owner must approve it.');
    });
    const pendingAtAlice = alice.page.getByRole('region', { name: 'Pending approvals' });
    expect(await pendingAtAlice.getByText(`Reason: ${REASON}`).count()).toBe(1);
    // No one approves their own request: alice is an owner, yet has no Approve button.
    expect(await alice.page.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0);
    // Nothing ran yet.
    expect(await primaryDeployment()).toBe(before);

    const carol = await openAs('carol', entityPath);
    await carol.step('21-operations-carol-may-not', async () => {
      for (const action of ['Restart', 'Scale', 'Deploy']) expect(await carol.page.getByRole('button', { name: action, exact: true }).isDisabled()).toBe(true);
      await carol.waitForText('Waits for an owner of the service to approve it.');
    });
    expect(await carol.page.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0);

    const bob = await openAs('bob', entityPath);
    const history = bob.page.getByRole('table', { name: 'ECS operations history' });
    await bob.step('22-operations-bob-approves', async () => {
      const request = bob.page.getByRole('group', { name: 'Restart requested by user:default/alice' });
      await request.getByText(`Reason: ${REASON}`).waitFor({ state: 'visible' });
      await request.getByRole('button', { name: 'Approve', exact: true }).click();
      await history.getByText('Succeeded').first().waitFor({ state: 'visible', timeout: 30_000 });
    });
    const newest = history.locator('tbody > tr').first().locator('td');
    const deploymentId = (await newest.nth(DEPLOYMENT_COLUMN).innerText()).trim();
    const requestId = (await newest.nth(REQUEST_ID_COLUMN).innerText()).trim();
    // The entity's ECS tab gives the card the page's width; on a wide screen the whole history row shows.
    await bob.step('23-operations-ecs-tab-after-approval', async () => {
      await bob.page.setViewportSize({ width: 1760, height: 900 });
      await bob.goto(`${entityPath}/ecs`);
      await history.getByText(deploymentId).waitFor({ state: 'visible' });
      await bob.page
        .locator('.MuiCard-root')
        .filter({ has: history })
        .screenshot({ path: screenshotPath('23-operations-card-after-approval') });
    });
    expect(bob.pageErrors).toEqual([]);

    // The deployment the card shows is the one ECS now runs, and a new one.
    expect(deploymentId).not.toBe(before);
    expect(deploymentId).toBe(await primaryDeployment());

    // AWS recorded the change as team-payments' operate role, in alice's name.
    const trail = await fetch(`${demo!.emulatorUrl}/__emulator/cloudtrail?eventName=UpdateService`);
    const records = ((await trail.json()) as { Records: CallRecord[] }).Records;
    expect(records.filter(r => !r.errorCode)).toHaveLength(1);
    expect(records.find(r => r.requestID === requestId)).toMatchObject({
      recipientAccountId: PAYMENTS_ACCOUNT,
      userIdentity: { arn: OPERATE_ROLE, sessionContext: { sourceIdentity: 'alice@default', principalTags: { 'backstage-team': 'team-payments', 'backstage-user': 'user:default/alice' } } },
      requestParameters: expect.objectContaining({ forceNewDeployment: true }),
    });

    // The requester's tab follows its request to the end.
    await alice.step('24-operations-alice-sees-it-ran', async () => {
      await alice.goto(entityPath);
      await alice.page.getByRole('table', { name: 'ECS operations history' }).getByText(deploymentId).waitFor({ state: 'visible' });
    });
    expect([...alice.pageErrors, ...carol.pageErrors]).toEqual([]);
  }, 180_000);
});
