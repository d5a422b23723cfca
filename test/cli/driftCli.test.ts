import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Emulator, parseFleet, startEmulator } from '../../dev/emulator';
import { runCli } from '../support/builtCli';

const SHOP = '111111111111';
const SEARCH = '222222222222';
const CART_ARN = `arn:aws:ecs:eu-west-1:${SHOP}:service/shop/cart`;
const WORKER_ARN = `arn:aws:ecs:eu-west-1:${SHOP}:service/shop/worker`;
const INDEXER_ARN = `arn:aws:ecs:eu-west-1:${SEARCH}:service/search/indexer`;

const fleet = parseFleet({
  principals: [{ accessKeyId: 'AKIATESTDRIFT0000001', secretAccessKey: 'drift-secret', accountId: SHOP }],
  accounts: [
    {
      id: SHOP,
      roles: [{ name: 'reader' }],
      regions: {
        'eu-west-1': {
          clusters: [{ name: 'shop', services: [{ name: 'cart', tags: { owner: 'team-shop' } }, { name: 'worker' }] }],
        },
      },
    },
    {
      id: SEARCH,
      roles: [{ name: 'reader' }],
      regions: { 'eu-west-1': { clusters: [{ name: 'search', services: [{ name: 'indexer', tags: { Owner: 'team-search' } }] }] } },
    },
  ],
});

const APP_CONFIG = `
aws:
  accountDefaults:
    roleName: reader
catalog:
  providers:
    awsEcs:
      production:
        accounts: ['${SHOP}', '${SEARCH}']
        regions: [eu-west-1]
`;

const group = (name: string) => ({ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name }, spec: { type: 'team', children: [] } });
const component = (name: string, owner: string, arn: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, annotations: { 'aws.amazon.com/amazon-ecs-service-arn': arn } },
  spec: { type: 'service', lifecycle: 'production', owner },
});

/** Every owner tag names a group that exists; the untagged worker is claimed. */
const CLEAN_YAML = `# the hand-written catalog
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-shop
spec:
  type: team
  children: []
---
- ${JSON.stringify(group('team-search'))}
- ${JSON.stringify(component('worker', 'team-shop', WORKER_ARN))}
---
`;

const PHANTOM_YAML = `${CLEAN_YAML}
${JSON.stringify(component('checkout', 'group:default/team-shop', `arn:aws:ecs:eu-west-1:${SHOP}:service/shop/checkout`))}
`;

describe('ecs-catalog-sync drift', () => {
  let emulator: Emulator;
  let dir: string;
  let env: Record<string, string>;
  let configFile: string;
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const drift = (args: string[], extraEnv: Record<string, string> = {}) => runCli(['drift', '--config', configFile, ...args], { ...env, ...extraEnv });

  beforeAll(async () => {
    emulator = await startEmulator({ fleet, faults: { rateLimit: false } });
    dir = mkdtempSync(path.join(tmpdir(), 'ecs-drift-cli-'));
    configFile = file('app-config.yaml', APP_CONFIG);
    env = {
      AWS_ENDPOINT_URL: emulator.url,
      AWS_ACCESS_KEY_ID: 'AKIATESTDRIFT0000001',
      AWS_SECRET_ACCESS_KEY: 'drift-secret',
      AWS_REGION: 'us-east-1',
    };
  }, 120_000);
  afterAll(async () => {
    await emulator?.close();
  });
  afterEach(() => emulator.setFaults({ deniedAccounts: [] }));

  it('exits 0 and prints a table when the catalog matches what runs', async () => {
    const result = await drift(['--entities', file('clean.yaml', CLEAN_YAML)]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('no drift');
    expect(result.stdout).toContain('1 of 3 live services claimed');
    expect(result.stdout).not.toContain('INCOMPLETE');
  });

  it('exits 1 with a phantom, and the JSON report names it', async () => {
    const result = await drift(['--entities', file('phantom.yaml', PHANTOM_YAML), '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      generatedAt: expect.any(String),
      summary: { phantoms: 1, unclaimed: 0, ownerDrift: 0, duplicateClaims: 0, malformedClaims: 0, alerts: 0, liveServices: 3, claimedServices: 1, complete: true },
    });
    expect(report.phantoms).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/checkout',
        arn: `arn:aws:ecs:eu-west-1:${SHOP}:service/shop/checkout`,
        owner: 'group:default/team-shop',
        // Asked of ECS by ARN, not inferred from the listing.
        reason: `ECS knows no such service in account ${SHOP}, region eu-west-1: it was deleted some time ago, or never created`,
      }),
    ]);
    for (const key of ['unclaimed', 'ownerDrift', 'duplicateClaims', 'malformedClaims', 'notVerified', 'alerts']) expect(report[key]).toEqual([]);
  });

  it('prints Markdown that names the phantom', async () => {
    const result = await drift(['--entities', file('phantom.yaml', PHANTOM_YAML), '--format', 'markdown']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^#/m);
    expect(result.stdout).toContain('component:default/checkout');
  });

  it('exits 1 with unclaimed services and owner drift, read from a JSON file in the catalog’s own shape', async () => {
    // No group for team-search (owner drift), nobody claims the untagged worker (unclaimed).
    const json = file('catalog.json', JSON.stringify({ items: [group('team-shop')], totalItems: 1, pageInfo: {} }));
    const result = await drift(['--entities', json, '--format', 'json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.unclaimed).toEqual([expect.objectContaining({ arn: WORKER_ARN })]);
    expect(report.ownerDrift).toEqual([expect.objectContaining({ arn: INDEXER_ARN, tagOwner: 'team-search' })]);
  });

  it('exits 2 when an account could not be read and nothing was found, still printing the report', async () => {
    emulator.setFaults({ deniedAccounts: [SEARCH] });
    const result = await drift(['--entities', file('clean.yaml', CLEAN_YAML), '--format', 'json']);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout);
    expect(report.summary).toMatchObject({ phantoms: 0, unclaimed: 0, ownerDrift: 0, alerts: 1, complete: false });
    expect(report.alerts).toEqual([expect.objectContaining({ accountId: SEARCH, region: 'eu-west-1', error: expect.stringContaining('AccessDenied') })]);
  });

  it('exits 1, not 2, when there are findings and an account could not be read', async () => {
    emulator.setFaults({ deniedAccounts: [SEARCH] });
    const result = await drift(['--entities', file('phantom.yaml', PHANTOM_YAML), '--format', 'json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).summary).toMatchObject({ phantoms: 1, complete: false });
  });

  it.each([
    ['a document that is no entity', `${CLEAN_YAML}just a string\n`, /bad\.yaml, document 3: expected an entity/],
    ['an item without a kind', `${CLEAN_YAML}- apiVersion: v1\n  metadata: { name: x }\n`, /bad\.yaml, document 3, item 1: kind must be a non-empty string/],
    ['broken YAML', 'kind: Group\n---\nmetadata: [unclosed\n', /bad\.yaml, document 2: not valid YAML/],
  ])('exits 2 naming the file and document for %s', async (_name, text, message) => {
    const result = await drift(['--entities', file('bad.yaml', text)]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('exits 2 naming a JSON file that is neither a list nor { items }, and a missing file', async () => {
    const bad = await drift(['--entities', file('bad.json', '{"kind": "Group"}')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.json: expected an array of entities or an object with an "items" array/);
    const missing = await drift(['--entities', path.join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.yaml: cannot read the file \(ENOENT\)/);
  });

  it('exits 2 on a wrong command line or config, naming what is wrong', async () => {
    const none = await drift([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('one of --entities or --catalog-url is required');
    const format = await drift(['--entities', file('clean.yaml', CLEAN_YAML), '--format', 'html']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format must be json, markdown, table');
    const config = await runCli(['drift', '--config', file('bad-config.yaml', "catalog:\n  providers:\n    awsEcs:\n      production:\n        accounts: ['111111111111']\n"), '--entities', file('clean.yaml', CLEAN_YAML)], env);
    expect(config.code).toBe(2);
    expect(config.stderr).toContain('catalog.providers.awsEcs.production.regions');
  });

  describe('--catalog-url', () => {
    const TOKEN = 'catalog-token-s3cret';
    let server: Server;
    let url: string;
    let requests: Array<{ path: string; authorization?: string }>;
    let pages: Record<string, { items: unknown[]; nextCursor?: string }>;

    beforeAll(async () => {
      server = createServer((req: IncomingMessage, res) => {
        const u = new URL(req.url ?? '/', 'http://127.0.0.1');
        requests.push({ path: `${u.pathname}${u.search}`, authorization: req.headers.authorization });
        const reply = (status: number, body: unknown) => {
          res.writeHead(status, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (req.headers.authorization !== `Bearer ${TOKEN}`) return reply(401, { error: { name: 'AuthenticationError', message: 'Missing credentials' } });
        if (u.pathname !== '/api/catalog/entities/by-query' || u.searchParams.get('limit') !== '500') return reply(404, { error: { name: 'NotFoundError' } });
        const page = pages[u.searchParams.get('cursor') ?? ''];
        if (!page) return reply(400, { error: { name: 'InputError', message: 'bad cursor' } });
        reply(200, { items: page.items, totalItems: 3, pageInfo: page.nextCursor ? { nextCursor: page.nextCursor } : {} });
      });
      await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise(resolve => server.close(resolve));
    });
    beforeEach(() => {
      requests = [];
      pages = {
        '': { items: [group('team-shop')], nextCursor: 'page-2' },
        'page-2': { items: [group('team-search')], nextCursor: 'page-3' },
        'page-3': { items: [component('worker', 'team-shop', WORKER_ARN)] },
      };
    });

    it('reads every page with the bearer token from BACKSTAGE_TOKEN', async () => {
      const result = await drift(['--catalog-url', `${url}/`, '--format', 'json'], { BACKSTAGE_TOKEN: TOKEN });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(requests).toEqual([
        { path: '/api/catalog/entities/by-query?limit=500', authorization: `Bearer ${TOKEN}` },
        { path: '/api/catalog/entities/by-query?limit=500&cursor=page-2', authorization: `Bearer ${TOKEN}` },
        { path: '/api/catalog/entities/by-query?limit=500&cursor=page-3', authorization: `Bearer ${TOKEN}` },
      ]);
      expect(JSON.parse(result.stdout).summary).toMatchObject({ claimedServices: 1, liveServices: 3, complete: true });
    });

    it('takes the token from --token, and finds drift in what the catalog holds', async () => {
      pages['page-3'] = { items: [] };
      const result = await drift(['--catalog-url', url, '--token', TOKEN, '--format', 'json']);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout).unclaimed).toEqual([expect.objectContaining({ arn: WORKER_ARN })]);
    });

    it('exits 2 when the catalog refuses the token, never printing it', async () => {
      const wrong = 'wrong-token-do-not-print';
      const result = await drift(['--catalog-url', url, '--token', wrong]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/answered 401 .*the token was refused/);
      expect(result.stderr).not.toContain(wrong);
      const without = await drift(['--catalog-url', url]);
      expect(without.code).toBe(2);
      expect(without.stderr).toContain('pass a token with --token or BACKSTAGE_TOKEN');
    });

    it('exits 2 naming the catalog when nothing listens there', async () => {
      const closed = createServer();
      await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise(resolve => closed.close(resolve));
      const result = await drift(['--catalog-url', `http://127.0.0.1:${port}`], { BACKSTAGE_TOKEN: TOKEN });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`cannot reach the catalog at http://127.0.0.1:${port}`);
      expect(result.stderr).not.toContain(TOKEN);
    });
  });
});
