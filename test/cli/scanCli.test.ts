import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Emulator, parseFleet, startEmulator } from '../../dev/emulator';
import { DEV_CLI, runCli } from '../support/builtCli';

const fleet = parseFleet({
  principals: [{ accessKeyId: 'AKIATESTCLI000000001', secretAccessKey: 'cli-secret', accountId: '111111111111' }],
  accounts: [
    {
      id: '111111111111',
      roles: [{ name: 'reader' }],
      regions: {
        'eu-west-1': {
          clusters: [{ name: 'shop', services: [{ name: 'cart', tags: { owner: 'team-shop' } }, { name: 'old', arnFormat: 'short' }] }],
        },
      },
    },
    {
      id: '012345678901',
      roles: [{ name: 'reader', externalId: 'ext-1' }],
      regions: { 'eu-west-1': { clusters: [{ name: 'search', services: [{ name: 'indexer', status: 'DRAINING' }] }] } },
    },
  ],
});

const APP_CONFIG = `
aws:
  accountDefaults:
    roleName: reader
  accounts:
    - accountId: '012345678901'
      roleName: reader
      externalId: \${DEMO_EXTERNAL_ID}
catalog:
  providers:
    awsEcs:
      production:
        accounts: ['111111111111', '012345678901']
        regions: [eu-west-1]
`;

describe('ecs-catalog-sync scan', () => {
  let emulator: Emulator;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    emulator = await startEmulator({ fleet });
    dir = mkdtempSync(path.join(tmpdir(), 'ecs-cli-'));
    writeFileSync(path.join(dir, 'app-config.yaml'), APP_CONFIG);
    // What a user sets to reach AWS, with the endpoint pointed at the emulator.
    env = {
      AWS_ENDPOINT_URL: emulator.url,
      AWS_ACCESS_KEY_ID: 'AKIATESTCLI000000001',
      AWS_SECRET_ACCESS_KEY: 'cli-secret',
      AWS_REGION: 'us-east-1',
      DEMO_EXTERNAL_ID: 'ext-1',
    };
  }, 120_000);
  afterAll(async () => {
    await emulator?.close();
  });
  afterEach(() => emulator.setFaults({ deniedAccounts: [] }));

  it('prints the scan as JSON and exits 0 when every shard was read', async () => {
    const result = await runCli(['scan', '--config', path.join(dir, 'app-config.yaml'), '--format', 'json'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(Object.keys(output)).toEqual(['shards', 'services']);
    expect(output.shards).toEqual([
      expect.objectContaining({ accountId: '012345678901', region: 'eu-west-1', status: 'ok', services: 1, throttled: 0 }),
      expect.objectContaining({ accountId: '111111111111', region: 'eu-west-1', status: 'ok', services: 2, apiCalls: 3 }),
    ]);
    // Byte-identical for the same fleet: nothing of the run's timing is printed.
    const again = await runCli(['scan', '--config', path.join(dir, 'app-config.yaml'), '--format', 'json'], env);
    expect(again.stdout).toBe(result.stdout);
    expect(output.services.map((s: { arn: string; status: string }) => [s.arn, s.status])).toEqual([
      ['arn:aws:ecs:eu-west-1:012345678901:service/search/indexer', 'DRAINING'],
      ['arn:aws:ecs:eu-west-1:111111111111:service/old', 'ACTIVE'],
      ['arn:aws:ecs:eu-west-1:111111111111:service/shop/cart', 'ACTIVE'],
    ]);
    expect(output.services[2].tags).toEqual({ owner: 'team-shop' });
  });

  it('prints a table by default', async () => {
    const result = await runCli(['scan', '--config', path.join(dir, 'app-config.yaml')], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ACCOUNT\s+REGION\s+STATUS/);
    expect(result.stdout).toMatch(/111111111111\s+eu-west-1\s+shop\s+cart\s+ACTIVE\s+1\/1\s+FARGATE/);
    expect(result.stdout).toContain('2 shards (2 ok, 0 failed), 3 services');
  });

  it('exits 2 when a shard failed, still printing everything that was read', async () => {
    emulator.setFaults({ deniedAccounts: ['012345678901'] });
    const result = await runCli(['scan', '--config', path.join(dir, 'app-config.yaml'), '--format', 'json'], env);
    expect(result.code).toBe(2);
    const output = JSON.parse(result.stdout);
    expect(output.shards[0]).toMatchObject({ accountId: '012345678901', status: 'failed', error: { name: 'AccessDeniedException' } });
    expect(output.services).toHaveLength(2);
  });

  it('exits 2 with the key at fault when the config is wrong', async () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, "catalog:\n  providers:\n    awsEcs:\n      production:\n        accounts: ['111111111111']\n");
    const result = await runCli(['scan', '--config', bad], env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('catalog.providers.awsEcs.production.regions');
  });

  it.each([
    ['a YAML syntax error', 'not-yaml.yaml', 'aws:\n  mainAccount:\n    secretAccessKey: do-not-print-me\ncatalog: [\n  bad', 'at line 5, column 6'],
    ['a directory', 'a-directory', undefined, 'EISDIR'],
    ['a missing file', 'missing.yaml', undefined, 'does not exist'],
  ])('exits 2 naming the config file when it cannot be read: %s', async (_case, name, text, cause) => {
    const file = path.join(dir, name);
    if (text !== undefined) writeFileSync(file, text);
    if (name === 'a-directory') mkdirSync(file, { recursive: true });
    const result = await runCli(['scan', '--config', file], env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: /);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toContain(cause);
    // The parser's frame of the file's text stays out: it can hold a secret.
    expect(result.stderr).not.toContain('do-not-print-me');
  });

  it('prints the emulator’s usage on --help and exits 0', async () => {
    const result = await runCli(['emulator', '--help'], env, DEV_CLI);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^usage: emulator \(--fleet/);
  });

  it('offers only product commands: the tooling is not part of the published command', async () => {
    for (const command of ['emulator', 'demo', 'backend']) {
      const result = await runCli([command], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`unknown command '${command}'`);
    }
  });

  it('names the configured providers when --provider is wrong', async () => {
    const result = await runCli(['scan', '--config', path.join(dir, 'app-config.yaml'), '--provider', 'staging'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--provider staging.*configured: production/);
  });

  it('never prints the credentials it was given', async () => {
    emulator.setFaults({ deniedAccounts: ['111111111111'] });
    const result = await runCli(['scan', '--config', path.join(dir, 'app-config.yaml'), '--format', 'json'], env);
    for (const secret of ['AKIATESTCLI000000001', 'cli-secret']) {
      expect(result.stdout).not.toContain(secret);
      expect(result.stderr).not.toContain(secret);
    }
  });
});
