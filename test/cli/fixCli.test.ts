import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyPatch, parsePatch } from 'diff';
import { Emulator, parseFleet, startEmulator } from '../../dev/emulator';
import { runCli } from '../support/builtCli';
import { expectGolden } from '../support/golden';

const SHOP = '111111111111';
const SEARCH = '222222222222';
const GOLDEN = path.join(__dirname, '..', 'fix', 'golden', 'cli');
const FILES = ['search/catalog-info.yml', 'shop/catalog-info.yaml'];
const UNREAD = ['notes/entities.yaml', 'node_modules/vendored/catalog-info.yaml'];

const fleet = parseFleet({
  principals: [{ accessKeyId: 'AKIATESTFIX000000001', secretAccessKey: 'fix-secret', accountId: SHOP }],
  accounts: [
    {
      id: SHOP,
      roles: [{ name: 'reader' }],
      regions: {
        'eu-west-1': {
          clusters: [
            {
              name: 'shop',
              services: [{ name: 'cart', tags: { Team: 'shop', app: 'cart' } }, { name: 'worker' }, { name: 'legacy', arnFormat: 'short' }],
            },
            { name: 'shop-v2', services: [{ name: 'checkout' }] },
          ],
        },
      },
    },
    { id: SEARCH, roles: [{ name: 'reader' }], regions: { 'eu-west-1': { clusters: [{ name: 'search', services: [{ name: 'indexer' }] }] } } },
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

/** Copied into the tree by each test: git keeps no node_modules folder. */
const VENDORED = `# A copy of someone else's catalog file: never read, never fixed.
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: vendored
  annotations:
    aws.amazon.com/amazon-ecs-service-arn: arn:aws:ecs:eu-west-1:${SHOP}:service/worker
spec: {type: library, owner: team-shop, lifecycle: production}
`;

const golden = (...parts: string[]) => readFileSync(path.join(GOLDEN, ...parts), 'utf8');

describe('ecs-catalog-sync fix', () => {
  let emulator: Emulator;
  let env: Record<string, string>;
  let configFile: string;

  /** A fresh copy of the repository of entity files, and the command run from its root. */
  function repository() {
    const root = mkdtempSync(path.join(tmpdir(), 'ecs-fix-cli-'));
    cpSync(path.join(GOLDEN, 'before'), root, { recursive: true });
    mkdirSync(path.join(root, 'node_modules', 'vendored'), { recursive: true });
    writeFileSync(path.join(root, 'node_modules', 'vendored', 'catalog-info.yaml'), VENDORED);
    const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
    const fix = (args: string[]) => runCli(['fix', '--config', configFile, ...args], env, undefined, root);
    return { root, read, fix };
  }

  beforeAll(async () => {
    emulator = await startEmulator({ fleet, faults: { rateLimit: false } });
    const dir = mkdtempSync(path.join(tmpdir(), 'ecs-fix-config-'));
    configFile = path.join(dir, 'app-config.yaml');
    writeFileSync(configFile, APP_CONFIG);
    env = { AWS_ENDPOINT_URL: emulator.url, AWS_ACCESS_KEY_ID: 'AKIATESTFIX000000001', AWS_SECRET_ACCESS_KEY: 'fix-secret', AWS_REGION: 'us-east-1' };
  }, 120_000);
  afterAll(async () => {
    await emulator?.close();
  });
  afterEach(() => emulator.setFaults({ deniedAccounts: [] }));

  it('prints a unified diff of the certain fixes, exits 1 and changes no file', async () => {
    const repo = repository();
    const result = await repo.fix(['--entities', '.']);
    expect(result.code).toBe(1);
    expectGolden(path.join(GOLDEN, 'dry-run.diff'), result.stdout);
    for (const file of FILES) expect(repo.read(file)).toBe(golden('before', file));
    expect(repo.read(UNREAD[1])).toBe(VENDORED);
    // The phantom with nothing to suggest is named, not edited.
    expect(result.stderr).toContain(
      `left alone: component:default/ghost in shop/catalog-info.yaml: aws.amazon.com/amazon-ecs-service-arn arn:aws:ecs:eu-west-1:${SHOP}:service/shop/ghost: ECS knows no such service`,
    );
    expect(result.stderr).toContain('4 fixes in 2 files proposed, 1 claim left alone');
    expect(result.stderr).toContain(
      `why: component:default/checkout in shop/catalog-info.yaml: aws.amazon.com/amazon-ecs-service-arn: phantom arn:aws:ecs:eu-west-1:${SHOP}:service/shop/checkout: ECS knows no such service`,
    );
    expect(result.stderr).toContain('the same service name runs in cluster shop-v2');

    // The diff is a patch that turns each file into what --write writes.
    const patches = parsePatch(result.stdout);
    expect(patches.map(p => p.newFileName)).toEqual(FILES.map(f => `b/${f}`));
    for (const [i, file] of FILES.entries()) expect(applyPatch(golden('before', file), patches[i])).toBe(golden('after', file));
  });

  it('writes the fixes, keeping every other byte, and a second run finds nothing', async () => {
    const repo = repository();
    const written = await repo.fix(['--entities', 'shop', '--entities', 'search', '--write']);
    expect(written.code).toBe(0);
    expect(written.stdout.split('\n').filter(Boolean)).toEqual([
      `fixed search/catalog-info.yml: component:default/indexer aws.amazon.com/amazon-ecs-service-arn: arn:aws:ecs:eu-west-1:${SEARCH}:service/indexer -> arn:aws:ecs:eu-west-1:${SEARCH}:service/search/indexer`,
      `fixed shop/catalog-info.yaml: component:default/checkout aws.amazon.com/amazon-ecs-service-arn: arn:aws:ecs:eu-west-1:${SHOP}:service/shop/checkout -> arn:aws:ecs:eu-west-1:${SHOP}:service/shop-v2/checkout`,
      'fixed shop/catalog-info.yaml: component:default/cart aws.amazon.com/amazon-ecs-service-tags: team=shop, app=cart -> Team=shop,app=cart',
      `fixed shop/catalog-info.yaml: component:default/legacy aws.amazon.com/amazon-ecs-service-arn: arn:aws:ecs:eu-west-1:${SHOP}:service/legacy -> arn:aws:ecs:eu-west-1:${SHOP}:service/shop/legacy`,
    ]);
    for (const file of FILES) expectGolden(path.join(GOLDEN, 'after', file), repo.read(file));
    expect(repo.read('search/catalog-info.yml').split('\r\n')).toHaveLength(golden('before', 'search/catalog-info.yml').split('\r\n').length);
    expect(repo.read(UNREAD[0])).toBe(golden('before', UNREAD[0]));

    const again = await repo.fix(['--entities', '.']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('0 fixes in 0 files proposed, 1 claim left alone');
    const rewritten = await repo.fix(['--entities', '.', '--write']);
    expect(rewritten.code).toBe(0);
    for (const file of FILES) expect(repo.read(file)).toBe(golden('after', file));
  });

  it('exits 2 when an account cannot be read, still fixing claims into the accounts that were read', async () => {
    emulator.setFaults({ deniedAccounts: [SEARCH] });
    const repo = repository();
    const dry = await repo.fix(['--entities', '.']);
    expect(dry.code).toBe(2);
    expect(parsePatch(dry.stdout).map(p => p.newFileName)).toEqual(['b/shop/catalog-info.yaml']);
    expect(dry.stderr).toContain('warning: some scopes could not be read; claims into them were not touched');

    // A selector reaches every scope, so its spelling waits until all can be read.
    expect(dry.stderr).toContain('left alone: component:default/cart in shop/catalog-info.yaml: aws.amazon.com/amazon-ecs-service-tags team=shop, app=cart:');

    const written = await repo.fix(['--entities', '.', '--write']);
    expect(written.code).toBe(2);
    expect(repo.read('shop/catalog-info.yaml')).toBe(golden('after', 'shop/catalog-info.yaml').replace('"Team=shop,app=cart"', '"team=shop, app=cart"'));
    // The short ARN into the unread account stays as written.
    expect(repo.read('search/catalog-info.yml')).toBe(golden('before', 'search/catalog-info.yml'));
  });

  it('reads a file named as it is, whatever its name', async () => {
    const repo = repository();
    const result = await repo.fix(['--entities', 'search/catalog-info.yml', '--entities', 'notes/entities.yaml']);
    expect(result.code).toBe(1);
    // notes/entities.yaml claims the worker by its short ARN: named, it is read and fixed too.
    expect(parsePatch(result.stdout).map(p => p.newFileName)).toEqual(['b/notes/entities.yaml', 'b/search/catalog-info.yml']);
  });

  it('exits 2 on a wrong command line or a missing path, naming what is wrong', async () => {
    const repo = repository();
    const help = await runCli(['--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('ecs-catalog-sync fix --config <app-config.yaml> --entities <file|folder>');
    const none = await repo.fix([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--entities is required');
    const missing = await repo.fix(['--entities', 'nowhere']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--entities nowhere: cannot read the file or folder (ENOENT)');
    const broken = path.join(repo.root, 'shop', 'catalog-info.yaml');
    writeFileSync(broken, 'kind: Component\nmetadata: [unclosed\n');
    const invalid = await repo.fix(['--entities', '.']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/shop\/catalog-info\.yaml, document 1: not valid YAML/);
    expect(invalid.stdout).toBe('');
  });
});
