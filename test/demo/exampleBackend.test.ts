import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { loadFleetFile, serviceArnFor, startEmulator, type Emulator, type Fleet } from '../../dev/emulator';
import { CatalogApi, type CatalogEntity } from '../../dev/demo/catalogApi';
import { entityRef, isEcsService } from '../../dev/demo/summary';
import { waitForEcsEntities } from '../../dev/demo/waitForCatalog';
import { DEV_CLI, ROOT } from '../support/builtCli';
import { demoEnv, freePort, startCli, type RunningCli } from './childProcess';

/**
 * The example backend and the demo as a user runs them: the built CLI in its
 * own process, a real Backstage backend with the catalog and the module, the
 * catalog read back over its REST API, then Ctrl-C.
 */

const EXAMPLES = path.join(ROOT, 'examples');
const FLEET = loadFleetFile(path.join(EXAMPLES, 'fleet.yaml'));

/** Waiting limits, not expectations about speed. */
const START_TIMEOUT_MS = 60_000;
const SCAN_TIMEOUT_MS = 90_000;
const EXIT_TIMEOUT_MS = 20_000;

/** ARNs ECS lists for the fleet: every service but the deleted (INACTIVE) ones. */
function listedServiceArns(fleet: Fleet): string[] {
  return fleet.accounts.flatMap(account =>
    Object.entries(account.regions ?? {}).flatMap(([region, spec]) =>
      (spec?.clusters ?? []).flatMap(cluster =>
        (cluster.services ?? [])
          .filter(service => service.status !== 'INACTIVE')
          .map(service => serviceArnFor(region, account.id, cluster.name, service.name, service.arnFormat)),
      ),
    ),
  );
}

/** `kind:namespace/name` of every entity in examples/catalog-info.yaml. */
function handWrittenRefs(): string[] {
  return parseAllDocuments(readFileSync(path.join(EXAMPLES, 'catalog-info.yaml'), 'utf8')).map(doc => entityRef(doc.toJS() as CatalogEntity));
}


function expectCatalogMatchesExamples(entities: CatalogEntity[]): void {
  const services = entities.filter(isEcsService);
  // A short-ARN service shows its long ARN; the one ECS reports is kept beside it.
  const arns = services.map(e => e.metadata.annotations?.['aws.amazon.com/ecs-reported-service-arn'] ?? e.metadata.annotations?.['aws.amazon.com/amazon-ecs-service-arn']);
  expect([...arns].sort()).toEqual(listedServiceArns(FLEET).sort());
  for (const service of services) {
    expect(service.metadata.annotations?.['aws.amazon.com/account-id']).toMatch(/^\d{12}$/);
    expect(service.metadata.annotations?.['aws.amazon.com/region']).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
    expect(service.spec?.owner).toMatch(/^group:default\/[a-z0-9-]+$/);
  }
  // Untagged services get the fallback owner.
  expect(services.some(e => e.spec?.owner === 'group:default/unknown')).toBe(true);

  // Every hand-written entity was valid: it reached the catalog, without processing errors.
  const refs = new Set(entities.map(entityRef));
  const missing = handWrittenRefs().filter(ref => !refs.has(ref));
  expect(missing).toEqual([]);
  // Drift findings show as warnings on the claiming entities; nothing may be an error.
  const errors = entities.flatMap(e => (e.status?.items ?? []).filter(item => item.level === 'error').map(item => `${entityRef(e)}: ${item.message}`));
  expect(errors).toEqual([]);
  const checkout = entities.find(e => entityRef(e) === 'component:default/checkout');
  expect(checkout?.metadata.annotations?.['aws.amazon.com/amazon-ecs-service-arn']?.split(',')).toHaveLength(2);
}

describe('ecs-catalog-sync backend --config <file>', () => {
  let emulator: Emulator;
  let dir: string;
  let cli: RunningCli | undefined;

  beforeAll(async () => {
    emulator = await startEmulator({ fleet: FLEET, faults: { rateLimit: false } });
    dir = mkdtempSync(path.join(os.tmpdir(), 'ecs-example-backend-'));
  }, 120_000);

  afterAll(async () => {
    cli?.kill();
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the scanned fleet and the hand-written entities from the catalog API, and stops on SIGINT', async () => {
    const port = await freePort();
    // A copy of the example config on a free port, next to a copy of catalog-info.yaml,
    // so the relative location target must resolve against the config file's folder.
    const config = parse(readFileSync(path.join(EXAMPLES, 'app-config.yaml'), 'utf8'));
    config.backend.baseUrl = `http://127.0.0.1:${port}`;
    config.backend.listen = { host: '127.0.0.1', port };
    const configFile = path.join(dir, 'app-config.yaml');
    writeFileSync(configFile, stringify(config));
    copyFileSync(path.join(EXAMPLES, 'catalog-info.yaml'), path.join(dir, 'catalog-info.yaml'));
    // An app-config.yaml in the working directory and an APP_CONFIG_ variable must both be ignored.
    const cwd = mkdtempSync(path.join(dir, 'cwd-'));
    writeFileSync(path.join(cwd, 'app-config.yaml'), 'backend:\n  listen:\n    port: 1\n');

    const principal = emulator.principal();
    cli = startCli(DEV_CLI, ['backend', '--config', configFile], {
      cwd,
      env: {
        ...demoEnv(),
        AWS_ENDPOINT_URL: emulator.url,
        AWS_ACCESS_KEY_ID: principal.accessKeyId,
        AWS_SECRET_ACCESS_KEY: principal.secretAccessKey,
        AWS_REGION: 'eu-west-1',
        APP_CONFIG_backend_listen_port: '2',
      },
    });
    await cli.waitForStdout(/listening on (http:\S+)/, START_TIMEOUT_MS);
    expect(cli.stdout()).toContain(`listening on http://127.0.0.1:${port} `);
    expect(cli.stdout()).toContain(`http://127.0.0.1:${port}/api/catalog/entities?filter=spec.type=ecs-service`);

    const api = new CatalogApi(`http://127.0.0.1:${port}`);
    expect(await api.isReady()).toBe(true);
    await waitForEcsEntities(api, { timeoutMs: SCAN_TIMEOUT_MS, intervalMs: 500 });
    expectCatalogMatchesExamples(await api.queryAll());

    cli.child.kill('SIGINT');
    const exit = await cli.waitForExit(EXIT_TIMEOUT_MS);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(cli.stdout()).toMatch(/SIGINT: stopping the backend\.\.\.\nStopped\.\n$/);
  }, 180_000);
});

describe('ecs-catalog-sync demo (npm start)', () => {
  let cli: RunningCli | undefined;

  afterAll(() => cli?.kill());

  it('starts the emulator and the backend, prints the catalog summary, and stops on SIGINT', async () => {
    const port = await freePort();
    // ECS_CATALOG_SYNC_DEMO_PORT keeps the test off 127.0.0.1:7007, which a developer's own demo may hold.
    cli = startCli(DEV_CLI, ['demo'], { cwd: ROOT, env: { ...demoEnv(), ECS_CATALOG_SYNC_DEMO_PORT: String(port) } });
    await cli.waitForStdout(/Press Ctrl-C to stop\./, START_TIMEOUT_MS + SCAN_TIMEOUT_MS);
    const out = cli.stdout();
    const listed = listedServiceArns(FLEET).length;
    expect(out).toContain(`http://127.0.0.1:${port}/api/catalog/entities?filter=spec.type=ecs-service`);
    expect(out).toContain(`http://127.0.0.1:${port}/api/catalog/entities/by-query?filter=spec.type=ecs-service`);
    expect(out).toContain(`ECS service entities in the catalog: ${listed} `);
    expect(out).toMatch(/^ {2}012345678901 +eu-west-1 +\d+$/m);
    expect(out).toMatch(/^ {2}group:default\/unknown +\d+ +fallback owner/m);
    expect(out).toContain(`Hand-written entities from ${path.join(EXAMPLES, 'catalog-info.yaml')}: ${handWrittenRefs().length}`);
    expect(out).toContain('Catalog processing errors: none');
    // The example catalog has drifted in every way the reconciliation knows.
    const counts = /phantoms (\d+), unclaimed (\d+), owner drift (\d+), duplicate claims (\d+), malformed claims (\d+), not readable by the AWS Labs ECS tab (\d+), not verified (\d+), alerts (\d+)/.exec(out);
    expect(counts).not.toBeNull();
    for (const count of counts!.slice(1)) expect(Number(count)).toBeGreaterThan(0);
    expect(out).toMatch(/^ {2}phantom +component:default\/fraud-scorer claims .*; try arn:aws:ecs:eu-west-1:012345678901:service\/payments\/fraud-scorer$/m);
    expect(out).toContain(`http://127.0.0.1:${port}/api/ecs-catalog-sync/drift?provider=demo&format=markdown`);

    // The catalog it describes is really there.
    const api = new CatalogApi(`http://127.0.0.1:${port}`);
    expectCatalogMatchesExamples(await api.queryAll());

    cli.child.kill('SIGINT');
    const exit = await cli.waitForExit(EXIT_TIMEOUT_MS);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(cli.stdout()).toMatch(/SIGINT: stopping the backend and the emulator\.\.\.\nStopped\.\n$/);
  }, 240_000);
});
