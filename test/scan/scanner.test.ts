import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseFleet } from '../../dev/emulator';
import { useAwsEnvironment } from '../support/awsEnv';
import { DISCOVERY_TTL_MS, MAX_LOOKUPS } from '../../src/scan/scanner';
import { scanOnce, scannerFor, useEmulator } from '../support/scanFixture';

const MAIN = { accessKeyId: 'AKIATESTMAIN00000001', secretAccessKey: 'test-only-secret' };
const reader = (extra: Record<string, unknown> = {}) => ({ name: 'reader', trustedAccounts: ['111111111111'], ...extra });
const service = (name: string, extra: Record<string, unknown> = {}) => ({ name, ...extra });

const fleet = parseFleet({
  organization: { managementAccountId: '111111111111' },
  principals: [{ ...MAIN, accountId: '111111111111', arn: 'arn:aws:iam::111111111111:user/backstage' }],
  accounts: [
    {
      id: '111111111111',
      roles: [reader()],
      regions: {
        'eu-west-1': {
          clusters: [
            {
              name: 'payments',
              services: [
                service('checkout', { tags: { Owner: 'team-payments' } }),
                service('legacy', { arnFormat: 'short', tags: { OWNER: 'team-legacy', owner: 'other' } }),
                service('draining', { status: 'DRAINING' }),
                service('deleted', { status: 'INACTIVE' }),
                service('spot', { capacityProviders: ['FARGATE_SPOT'] }),
              ],
            },
          ],
        },
        'us-east-1': { clusters: [{ name: 'edge', services: [service('router')] }] },
      },
    },
    {
      id: '222222222222',
      roles: [reader({ externalId: 'ext-222' })],
      regions: { 'eu-west-1': { clusters: [{ name: 'payments', services: [service('checkout')] }] } },
    },
    {
      id: '012345678901',
      roles: [reader()],
      regions: { 'ap-southeast-2': { clusters: [{ name: 'search', services: [service('indexer')] }] } },
    },
    {
      // The role does not trust the Backstage account: AssumeRole is denied.
      id: '333333333333',
      roles: [reader({ trustedAccounts: ['999999999999'] })],
      regions: { 'eu-west-1': { clusters: [{ name: 'x', services: [service('y')] }] } },
    },
    { id: '444444444444', status: 'SUSPENDED', roles: [reader()], regions: {} },
    { id: '555555555555', roles: [{ name: 'web-reader', webIdentity: { tokens: ['oidc-token-555'] } }], regions: { 'eu-west-1': { clusters: [{ name: 'web', services: [service('site')] }] } } },
  ],
});

const AWS_BLOCK = `
aws:
  accountDefaults: { roleName: reader }
  accounts:
    - { accountId: '222222222222', roleName: reader, externalId: ext-222 }
`;

/** An app-config with the given \`aws\` block and one provider \`test\` whose keys are \`body\`. */
const configWith = (aws: string, body: string) => `${aws}
catalog:
  providers:
    awsEcs:
      test:
${body}`;
const provider = (body: string) => configWith(AWS_BLOCK, body);

describe('EcsScanner against the emulator', () => {
  const getEmulator = useEmulator(fleet);
  let emulator: ReturnType<typeof getEmulator>;

  beforeEach(() => {
    emulator = getEmulator();
    emulator.resetStats();
    emulator.setFaults({ rateLimit: false, deniedAccounts: [], failingRegions: [], throttleRate: 0, random5xxRate: 0 });
  });

  it('reads several accounts and regions through AssumeRole, with an ExternalId where the role demands one', async () => {
    const inventory = await scanOnce(
      provider(`
        accounts: ['111111111111', '222222222222', '012345678901']
        regions: [eu-west-1, us-east-1, ap-southeast-2]`),
    );
    expect(inventory.shards.map(s => [s.accountId, s.region, s.status, s.services])).toEqual([
      ['012345678901', 'ap-southeast-2', 'ok', 1],
      ['012345678901', 'eu-west-1', 'ok', 0],
      ['012345678901', 'us-east-1', 'ok', 0],
      ['111111111111', 'ap-southeast-2', 'ok', 0],
      ['111111111111', 'eu-west-1', 'ok', 4],
      ['111111111111', 'us-east-1', 'ok', 1],
      ['222222222222', 'ap-southeast-2', 'ok', 0],
      ['222222222222', 'eu-west-1', 'ok', 1],
      ['222222222222', 'us-east-1', 'ok', 0],
    ]);
    expect(inventory.services.find(s => s.accountId === '012345678901')).toMatchObject({
      arn: 'arn:aws:ecs:ap-southeast-2:012345678901:service/search/indexer',
      region: 'ap-southeast-2',
    });
    // One session per account, shared by its three regional clients.
    expect(emulator.stats.assumeRole).toEqual({ '012345678901': 1, '111111111111': 1, '222222222222': 1 });
  });

  it('fails the shard when the ExternalId is wrong, naming account, region and call', async () => {
    const inventory = await scanOnce(
      `
aws:
  accounts:
    - { accountId: '222222222222', roleName: reader, externalId: wrong }
catalog:
  providers:
    awsEcs:
      test:
        accounts: ['222222222222']
        regions: [eu-west-1]`,
    );
    expect(inventory.shards[0]).toMatchObject({ status: 'failed', error: { name: 'AccessDenied' } });
    expect(inventory.shards[0].error!.message).toMatch(/^sts:AssumeRole failed in account 222222222222, region eu-west-1: AccessDenied: /);
  });

  it('keeps every status, both ARN formats, capacity providers and tags keyed in any case', async () => {
    const inventory = await scanOnce(provider("        accounts: ['111111111111']\n        regions: [eu-west-1]"));
    const byName = Object.fromEntries(inventory.services.map(s => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual(['checkout', 'draining', 'legacy', 'spot']);
    expect(byName.checkout).toMatchObject({
      arn: 'arn:aws:ecs:eu-west-1:111111111111:service/payments/checkout',
      clusterArn: 'arn:aws:ecs:eu-west-1:111111111111:cluster/payments',
      status: 'ACTIVE',
      tags: { Owner: 'team-payments' },
      launchType: 'FARGATE',
    });
    expect(byName.checkout.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(byName.legacy).toMatchObject({
      arn: 'arn:aws:ecs:eu-west-1:111111111111:service/legacy',
      clusterArn: 'arn:aws:ecs:eu-west-1:111111111111:cluster/payments',
      tags: { OWNER: 'team-legacy', owner: 'other' },
    });
    expect(byName.draining.status).toBe('DRAINING');
    expect(byName.draining.tags).toEqual({});
    expect(byName.spot).not.toHaveProperty('launchType');
    // ListServices no longer lists a deleted service, so it is not part of a complete scan.
    expect(byName.deleted).toBeUndefined();
  });

  it('reports a denied account and a failing region as failed shards while the others complete', async () => {
    emulator.setFaults({ deniedAccounts: ['012345678901'], failingRegions: [{ accountId: '111111111111', region: 'us-east-1', status: 503 }] });
    const inventory = await scanOnce(
      provider(`
        accounts: ['111111111111', '222222222222', '012345678901', '333333333333']
        regions: [eu-west-1, us-east-1]
        retry: { maxAttempts: 2, maxDelay: PT0.05S }`),
    );
    const status = Object.fromEntries(inventory.shards.map(s => [`${s.accountId}/${s.region}`, s]));
    expect(status['111111111111/eu-west-1'].status).toBe('ok');
    expect(status['222222222222/eu-west-1'].status).toBe('ok');
    expect(status['012345678901/eu-west-1'].error).toEqual({
      name: 'AccessDeniedException',
      message: expect.stringMatching(/^ecs:ListClusters failed in account 012345678901, region eu-west-1: AccessDeniedException: .+/),
    });
    expect(status['111111111111/us-east-1'].error).toEqual({
      name: 'ServiceUnavailableException',
      message: expect.stringMatching(/^ecs:ListClusters failed in account 111111111111, region us-east-1: ServiceUnavailableException/),
    });
    expect(status['111111111111/us-east-1'].apiCalls).toBe(2);
    expect(status['333333333333/eu-west-1'].error!.message).toMatch(/^sts:AssumeRole failed in account 333333333333, region eu-west-1: AccessDenied/);
    expect(inventory.services.filter(s => s.accountId === '111111111111' && s.region === 'eu-west-1')).toHaveLength(4);
  });

  it('fails a shard whose account has no credentials configured, with a message saying what to add', async () => {
    const inventory = await scanOnce(configWith('', "        accounts: ['222222222222']\n        regions: [eu-west-1]"));
    expect(inventory.shards[0].error!.message).toMatch(/account 222222222222.*aws\.accounts.*aws\.accountDefaults\.roleName/);
  });

  it.each([
    ['STS cannot be reached', { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_ACCESS_KEY_ID: MAIN.accessKeyId, AWS_SECRET_ACCESS_KEY: MAIN.secretAccessKey, AWS_REGION: 'us-east-1' }, 'ECONNREFUSED'],
    ['no credentials are found at all', { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_REGION: 'us-east-1', AWS_PROFILE: 'nope', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' }, 'CredentialsProviderError'],
  ])('does not blame the config when the main account’s own credentials fail: %s', async (_case, env, cause) => {
    const restore = useAwsEnvironment(env);
    try {
      const inventory = await scanOnce(configWith('', "        accounts: ['222222222222']\n        regions: [eu-west-1]\n        retry: { maxAttempts: 1 }"));
      const { name, message } = inventory.shards[0].error!;
      expect(message).toMatch(/^main account credentials \(sts:GetCallerIdentity\) failed in account 222222222222, region eu-west-1: /);
      expect(message).toContain(cause);
      expect(message).not.toContain('aws.accounts');
      expect(name).not.toBe('CredentialsNotConfigured');
    } finally {
      restore();
    }
  });

  it('reads an account through web identity (OIDC) with no static keys anywhere', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ecs-web-identity-'));
    const tokenFile = path.join(dir, 'token');
    writeFileSync(tokenFile, 'oidc-token-555');
    const aws = `aws:\n  accounts:\n    - { accountId: '555555555555', roleName: web-reader, webIdentityTokenFile: ${tokenFile} }`;
    const inventory = await scanOnce(configWith(aws, "        accounts: ['555555555555']\n        regions: [eu-west-1]"));
    expect(inventory.shards[0].status).toBe('ok');
    expect(inventory.services.map(s => s.name)).toEqual(['site']);
    expect(emulator.stats.byAction['sts:AssumeRoleWithWebIdentity']).toBe(1);
  });

  it('uses the main account from the default chain when it is web identity too', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ecs-web-identity-'));
    const tokenFile = path.join(dir, 'token');
    writeFileSync(tokenFile, 'oidc-token-555');
    const restore = useAwsEnvironment({
      AWS_ENDPOINT_URL: emulator.url,
      AWS_REGION: 'us-east-1',
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_ROLE_ARN: 'arn:aws:iam::555555555555:role/web-reader',
    });
    try {
      const inventory = await scanOnce(configWith('', "        accounts: ['555555555555']\n        regions: [eu-west-1]"));
      expect(inventory.shards[0].status).toBe('ok');
      expect(inventory.services.map(s => s.name)).toEqual(['site']);
    } finally {
      restore();
    }
  });

  it('discovers active accounts through Organizations, honouring exclude', async () => {
    const inventory = await scanOnce(
      provider(`
        regions: [eu-west-1]
        organization: { exclude: ['333333333333', '555555555555'] }`),
    );
    expect(inventory.discovery).toEqual({ status: 'ok', accounts: 3 });
    expect(inventory.shards.map(s => s.accountId)).toEqual(['012345678901', '111111111111', '222222222222']);
    expect(inventory.shards.every(s => s.status === 'ok')).toBe(true);
  });

  it('serves the scan groups of one cycle from one Organizations discovery, and discovers again when it is old or failed', async () => {
    let now = 0;
    const listAccounts = () => emulator.stats.byAction['organizations:ListAccounts'] ?? 0;
    const groupOf = (accounts: string[]) => ({ accounts: (id: string) => accounts.includes(id) });
    const scanner = scannerFor(provider("        regions: [eu-west-1]\n        organization: { exclude: ['333333333333', '555555555555'] }"), { now: () => now });
    try {
      const first = await scanner.scan(groupOf(['111111111111']));
      const second = await scanner.scan(groupOf(['012345678901', '222222222222']));
      expect(listAccounts()).toBe(1);
      expect(first.scopeAccounts).toEqual(['012345678901', '111111111111', '222222222222']);
      expect(second.scopeAccounts).toEqual(first.scopeAccounts);
      expect(second.shards.map(s => s.accountId)).toEqual(['012345678901', '222222222222']);
      expect(second.discovery).toEqual({ status: 'ok', accounts: 3 });
      now += DISCOVERY_TTL_MS;
      await scanner.scan(groupOf(['111111111111']));
      expect(listAccounts()).toBe(2);
    } finally {
      scanner.close();
    }

    const failing = scannerFor(provider("        accounts: ['111111111111']\n        regions: [eu-west-1]\n        organization: { managementAccountId: '222222222222' }"), { now: () => now });
    try {
      expect((await failing.scan()).discovery?.status).toBe('failed');
      expect((await failing.scan()).discovery?.status).toBe('failed');
      // Both scans asked Organizations: a failure is not served from the cache.
      expect(listAccounts()).toBe(4);
    } finally {
      failing.close();
    }
  });

  it('reports a failed discovery and still scans the listed accounts', async () => {
    const inventory = await scanOnce(
      provider(`
        accounts: ['111111111111']
        regions: [eu-west-1]
        organization: { managementAccountId: '222222222222' }`),
    );
    expect(inventory.discovery).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('organizations:ListAccounts') } });
    expect(inventory.discovery!.error!.message).toContain('222222222222');
    expect(inventory.shards.map(s => [s.accountId, s.status])).toEqual([['111111111111', 'ok']]);
  });

  it('renews credentials that expire in the middle of a scan and completes', async () => {
    let ecsCalls = 0;
    const unsubscribe = emulator.onRequest(info => {
      if (info.service === 'ecs' && ++ecsCalls === 2) emulator.expireAllSessions();
    });
    try {
      const inventory = await scanOnce(provider("        accounts: ['111111111111']\n        regions: [eu-west-1]"));
      expect(inventory.shards[0]).toMatchObject({ status: 'ok', services: 4 });
      expect(inventory.shards[0].credentialRefreshes).toBeGreaterThanOrEqual(1);
      expect(emulator.stats.assumeRole['111111111111']).toBe(2);
      expect(emulator.stats.errors.ExpiredTokenException).toBeGreaterThanOrEqual(1);
    } finally {
      unsubscribe();
    }
  });

  it('reuses clients and sessions across scans: one AssumeRole per account', async () => {
    const scanner = scannerFor(provider("        accounts: ['111111111111', '012345678901']\n        regions: [eu-west-1, us-east-1]"));
    try {
      await scanner.scan();
      const second = await scanner.scan();
      expect(second.shards.every(s => s.status === 'ok')).toBe(true);
      expect(emulator.stats.assumeRole).toEqual({ '012345678901': 1, '111111111111': 1 });
      // Stats are per scan, not cumulative.
      expect(second.shards.find(s => s.accountId === '111111111111' && s.region === 'eu-west-1')!.apiCalls).toBe(3);
    } finally {
      scanner.close();
    }
  });

  it('completes a throttling storm, counting throttles and retries', async () => {
    emulator.setFaults({ throttleRate: 0.4, seed: 7 });
    const inventory = await scanOnce(
      provider(`
        accounts: ['111111111111', '222222222222']
        regions: [eu-west-1, us-east-1]
        retry: { maxAttempts: 25, maxDelay: PT0.2S }`),
    );
    expect(inventory.shards.every(s => s.status === 'ok')).toBe(true);
    expect(inventory.services).toHaveLength(6);
    const throttled = inventory.shards.reduce((n, s) => n + s.throttled, 0);
    const retries = inventory.shards.reduce((n, s) => n + s.retries, 0);
    expect(throttled).toBe(emulator.stats.throttled);
    expect(throttled).toBeGreaterThan(0);
    expect(retries).toBe(throttled);
  });

  it('looks up claimed services it did not list: deleted, unknown, in a missing cluster, or created since; a shard it cannot read answers nothing', async () => {
    emulator.setFaults({ deniedAccounts: ['222222222222'] });
    const scanner = scannerFor(
      provider(`
        accounts: ['111111111111', '222222222222']
        regions: [eu-west-1]`),
    );
    try {
      const base = 'arn:aws:ecs:eu-west-1:111111111111:service';
      const target = (arn: string, cluster: string, accountId = '111111111111') => ({ arn, accountId, region: 'eu-west-1', cluster });
      const answers = await scanner.lookUp([
        target(`${base}/payments/deleted`, 'payments'),
        target(`${base}/payments/never-was`, 'payments'),
        target(`${base}/gone-cluster/cart`, 'gone-cluster'),
        target(`${base}/payments/checkout`, 'payments'),
        target('arn:aws:ecs:eu-west-1:222222222222:service/payments/checkout', 'payments', '222222222222'),
      ]);
      expect(Object.fromEntries(answers.answers)).toEqual({
        [`${base}/payments/deleted`]: 'inactive',
        [`${base}/payments/never-was`]: 'missing',
        [`${base}/gone-cluster/cart`]: 'clusterMissing',
        [`${base}/payments/checkout`]: 'listed',
      });
      // One call per cluster for up to ten services, counted for the metrics.
      expect(emulator.stats.byScopeAction['111111111111/eu-west-1']).toEqual({ 'ecs:DescribeServices': 2 });
      expect(answers.calls).toEqual([
        { accountId: '111111111111', region: 'eu-west-1', apiCalls: 2, throttled: 0, retries: 0 },
        { accountId: '222222222222', region: 'eu-west-1', apiCalls: 1, throttled: 0, retries: 0 },
      ]);
    } finally {
      scanner.close();
    }
  });

  it('looks up at most a bounded number of services per scan, in ARN order', async () => {
    const scanner = scannerFor(provider("        accounts: ['111111111111']\n        regions: [eu-west-1]"));
    try {
      const many = Array.from({ length: MAX_LOOKUPS + 25 }, (_, i) => ({
        arn: `arn:aws:ecs:eu-west-1:111111111111:service/payments/ghost-${String(i).padStart(4, '0')}`,
        accountId: '111111111111',
        region: 'eu-west-1',
        cluster: 'payments',
      }));
      const answers = await scanner.lookUp([...many].reverse());
      expect([...answers.answers.keys()].sort()).toEqual(many.slice(0, MAX_LOOKUPS).map(t => t.arn));
    } finally {
      scanner.close();
    }
  });
});
