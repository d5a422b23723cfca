import { DescribeServicesCommand, ListClustersCommand, ListServicesCommand, paginateListServices } from '@aws-sdk/client-ecs';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../dev/emulator/emulator';
import { FleetValidationError, fleetSummary, loadFleetFile, parseFleet } from '../../dev/emulator/fleet';
import { generateFleet } from '../../dev/emulator/generate';
import { runEmulatorCli } from '../../dev/emulator/main';
import { destroyClients, ecs, sts } from './helpers';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'fleet.yaml');

function issues(input: unknown): string[] {
  try {
    parseFleet(input);
  } catch (e) {
    if (e instanceof FleetValidationError) return e.issues;
    throw e;
  }
  throw new Error('expected the fleet to be rejected');
}

afterEach(() => destroyClients());

describe('parseFleet', () => {
  it('accepts the documented YAML shape', () => {
    const fleet = parseFleet(`
organization: { managementAccountId: "111111111111" }
principals:
  - { accessKeyId: AKIAEMULATORMAIN0001, secretAccessKey: s, accountId: "111111111111" }
accounts:
  - id: "111111111111"
    roles: [{ name: backstage-ecs-read, externalId: x, trustedAccounts: ["111111111111"] }]
    regions:
      eu-west-1:
        clusters:
          - name: payments
            services:
              - { name: checkout-api, capacityProviders: [FARGATE_SPOT], createdAt: "2025-03-01T10:00:00Z" }
      us-east-1:
`);
    expect(fleetSummary(fleet)).toEqual({ accounts: 1, regions: 2, clusters: 1, services: 1 });
  });

  it('names the path of every problem', () => {
    const found = issues(`
accounts:
  - id: "111111111111"
  - id: "222222222222"
    regions:
      eu-west-1:
        clusters:
          - name: payments
            services:
              - name: a
              - name: b
              - name: c
              - status: ACTIVE
              - name: d
                status: RUNNING
                launchType: FARGATE
                capacityProviders: [FARGATE_SPOT]
                tags: { owner: 42 }
                desiredcount: 3
`);
    expect(found).toEqual(
      expect.arrayContaining([
        'accounts[1].regions.eu-west-1.clusters[0].services[3].name: required',
        expect.stringMatching(/^accounts\[1\]\.regions\.eu-west-1\.clusters\[0\]\.services\[4\]\.status: must be one of ACTIVE \| DRAINING \| INACTIVE/),
        expect.stringMatching(/^accounts\[1\]\.regions\.eu-west-1\.clusters\[0\]\.services\[4\]: give either launchType or capacityProviders/),
        expect.stringMatching(/^accounts\[1\]\.regions\.eu-west-1\.clusters\[0\]\.services\[4\]\.tags\.owner: tag values must be strings/),
        expect.stringMatching(/^accounts\[1\]\.regions\.eu-west-1\.clusters\[0\]\.services\[4\]\.desiredcount: unknown field/),
      ]),
    );
  });

  it('rejects unquoted account ids and says to quote them', () => {
    const [msg] = issues('accounts:\n  - id: 012345678901\n');
    expect(msg).toMatch(/^accounts\[0\]\.id: account ids must be quoted 12-digit strings/);
    expect(msg).toContain('"012345678901"');
    expect(issues({ accounts: [{ id: '12345' }] })[0]).toMatch(/accounts\[0\]\.id: must be a 12-digit account id/);
  });

  it('catches duplicates, bad names, colliding short ARNs and dangling references', () => {
    const found = issues({
      organization: { managementAccountId: '999999999999' },
      principals: [{ accessKeyId: 'ASIAXXXXXXXXXXXXXXXX', secretAccessKey: 's', accountId: '111111111111' }],
      accounts: [
        {
          id: '111111111111',
          roles: [{ name: 'r' }, { name: 'r' }],
          regions: {
            'eu-west-1': {
              clusters: [
                { name: 'a', services: [{ name: 'x', arnFormat: 'short' }, { name: 'x' }] },
                { name: 'b', services: [{ name: 'x', arnFormat: 'short' }, { name: 'has space' }] },
              ],
            },
            'mars-north-1x': null,
          },
        },
        { id: '111111111111' },
      ],
    });
    const text = found.join('\n');
    expect(text).toContain('organization.managementAccountId: account "999999999999" is not listed');
    expect(text).toContain('principals[0].accessKeyId: the ASIA prefix is reserved');
    expect(text).toContain('accounts[0].roles[1].name: duplicate role name');
    expect(text).toContain('accounts[0].regions.eu-west-1.clusters[0].services[1].name: duplicate service name "x"');
    expect(text).toMatch(/accounts\[0\]\.regions\.eu-west-1\.clusters\[1\]\.services\[0\]: service ARN .*service\/x is also used by/);
    expect(text).toContain('accounts[0].regions.eu-west-1.clusters[1].services[1].name: must be 1..255 letters');
    expect(text).toContain('accounts[0].regions.mars-north-1x: not a region name');
    expect(text).toContain('accounts[1].id: duplicate account id "111111111111"');
  });

  it('reports YAML syntax errors', () => {
    expect(() => parseFleet('accounts: [\n')).toThrow(/YAML/);
  });
});

describe('examples/fleet.yaml', () => {
  it('is a valid, realistic demo fleet', () => {
    const fleet = loadFleetFile(EXAMPLE);
    const s = fleetSummary(fleet);
    expect(s.accounts).toBe(3);
    expect(s.clusters).toBeGreaterThanOrEqual(5);
    expect(s.services).toBeGreaterThanOrEqual(40);
    expect(s.services).toBeLessThanOrEqual(60);
    expect(fleet.accounts.map((a) => a.id)).toContain('012345678901');
    expect(fleet.principals![0]).toMatchObject({ accessKeyId: 'AKIAEMULATORMAIN0001', accountId: '111111111111' });
    for (const acc of fleet.accounts) {
      expect(acc.roles).toContainEqual(expect.objectContaining({ name: 'backstage-ecs-read', trustedAccounts: ['111111111111'] }));
    }
    const all = fleet.accounts.flatMap((a) => Object.values(a.regions ?? {}).flatMap((r) => r?.clusters ?? []).flatMap((c) => c.services ?? []));
    expect(all.filter((x) => x.status === 'DRAINING').length).toBeGreaterThanOrEqual(2);
    expect(all.filter((x) => x.status === 'INACTIVE').length).toBeGreaterThanOrEqual(2);
    expect(all.some((x) => x.arnFormat === 'short')).toBe(true);
    expect(all.some((x) => x.capacityProviders)).toBe(true);
    expect(all.some((x) => x.name.length >= 80)).toBe(true);
    expect(all.filter((x) => !x.tags).length).toBeGreaterThanOrEqual(3);
    const ownerKeys = new Set(all.flatMap((x) => Object.keys(x.tags ?? {})).filter((k) => /owner|team/i.test(k)));
    expect(ownerKeys.size).toBeGreaterThanOrEqual(3);
  });

  it('serves through the emulator (assume role with the demo external id)', async () => {
    const emu = await startEmulator({ fleet: loadFleetFile(EXAMPLE) });
    try {
      const keys = { accessKeyId: 'AKIAEMULATORMAIN0001', secretAccessKey: 'emulator-secret-key-not-a-real-secret' };
      const out = await sts(emu, { credentials: keys }).send(
        new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::012345678901:role/backstage-ecs-read', RoleSessionName: 'demo', ExternalId: 'demo-external-id' }),
      );
      const creds = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
      const list = await ecs(emu, { credentials: creds }).send(new ListServicesCommand({ cluster: 'payments', maxResults: 100 }));
      expect(list.serviceArns).toContain('arn:aws:ecs:eu-west-1:012345678901:service/legacy-billing');
      expect(list.serviceArns).not.toContain('arn:aws:ecs:eu-west-1:012345678901:service/payments/settlement-batch');
    } finally {
      await emu.close();
    }
  });
});

describe('generateFleet', () => {
  const opts = { seed: 42, accounts: 6, regions: 2, clustersPerRegion: 3, servicesPerCluster: 40, messy: true };

  it('is deterministic for a seed', () => {
    const a = JSON.stringify(generateFleet(opts));
    expect(JSON.stringify(generateFleet(opts))).toBe(a);
    expect(JSON.stringify(generateFleet({ ...opts, seed: 43 }))).not.toBe(a);
  });

  it('generates valid messy fleets with a principal and a trusted role in every account', () => {
    const fleet = parseFleet(generateFleet(opts));
    expect(fleetSummary(fleet)).toEqual({ accounts: 6, regions: 12, clusters: 36, services: 1440 });
    const main = fleet.principals![0]!;
    expect(main.accessKeyId).toBe('AKIAEMULATORMAIN0001');
    expect(fleet.organization!.managementAccountId).toBe(main.accountId);
    for (const acc of fleet.accounts) {
      expect(acc.id).toMatch(/^\d{12}$/);
      expect(acc.roles).toContainEqual({ name: 'backstage-ecs-read', trustedAccounts: [main.accountId] });
    }
    expect(fleet.accounts.some((a) => a.id.startsWith('0'))).toBe(true);
    const all = fleet.accounts.flatMap((a) => Object.values(a.regions ?? {}).flatMap((r) => r?.clusters ?? []).flatMap((c) => c.services ?? []));
    const keys = new Set(all.flatMap((s) => Object.keys(s.tags ?? {})));
    expect([...keys]).toEqual(expect.arrayContaining(['owner', 'Owner', 'OWNER', 'team']));
    expect(all.some((s) => !s.tags)).toBe(true);
    expect(all.some((s) => s.status === 'DRAINING')).toBe(true);
    expect(all.some((s) => s.status === 'INACTIVE')).toBe(true);
    expect(all.some((s) => s.arnFormat === 'short')).toBe(true);
    expect(all.some((s) => s.capacityProviders)).toBe(true);
    expect(Math.max(...all.map((s) => s.name.length))).toBeGreaterThan(80);
    expect(Math.max(...all.map((s) => s.name.length))).toBeLessThanOrEqual(255);
    // Same names across clusters, regions and accounts.
    expect(all.filter((s) => s.name === all[0]!.name).length).toBe(36);
  });

  it('clean fleets are uniform', () => {
    const fleet = generateFleet({ ...opts, messy: false, roleName: 'reader', externalId: 'x' });
    const all = fleet.accounts.flatMap((a) => Object.values(a.regions ?? {}).flatMap((r) => r?.clusters ?? []).flatMap((c) => c.services ?? []));
    expect(all.every((s) => s.tags?.owner && !s.status && !s.arnFormat && !s.capacityProviders)).toBe(true);
    expect(fleet.accounts[0]!.roles).toEqual([{ name: 'reader', trustedAccounts: ['100000000000'], externalId: 'x' }]);
  });

  it('produces 100,000+ services and serves them', async () => {
    const fleet = generateFleet({ seed: 1, accounts: 25, regions: 4, clustersPerRegion: 5, servicesPerCluster: 200, messy: true });
    expect(fleetSummary(fleet).services).toBe(100_000);
    const emu = await startEmulator({ fleet, faults: { rateLimit: false } });
    try {
      const c = ecs(emu);
      const clusters = await c.send(new ListClustersCommand({}));
      expect(clusters.clusterArns).toHaveLength(5);
      const cluster = clusters.clusterArns![0]!;
      const arns: string[] = [];
      for await (const page of paginateListServices({ client: c, pageSize: 100 }, { cluster })) arns.push(...page.serviceArns!);
      expect(arns.length).toBeGreaterThan(150);
      const described = await c.send(new DescribeServicesCommand({ cluster, services: arns.slice(0, 10), include: ['TAGS'] }));
      expect(described.services).toHaveLength(10);
    } finally {
      await emu.close();
    }
  });
});

describe('runEmulatorCli', () => {
  it('serves a fleet file, prints the URL and keys, and stops on abort', async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    let url = '';
    const done = runEmulatorCli(['--fleet', EXAMPLE, '--port', '0'], {
      log: (l) => lines.push(l),
      signal: stop.signal,
      onStarted: (emu: Emulator) => {
        url = emu.url;
      },
    });
    await new Promise<void>((resolve) => {
      const wait = () => (url ? resolve() : setTimeout(wait, 5));
      wait();
    });
    const text = lines.join('\n');
    expect(text).toContain(`listening on ${url}`);
    expect(text).toContain('AKIAEMULATORMAIN0001');
    expect(text).toContain(`AWS_ENDPOINT_URL=${url}`);
    expect(text).toContain('aws ecs list-clusters');
    expect(text).toContain('--external-id demo-external-id');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    stop.abort();
    await done;
    expect(lines[lines.length - 1]).toBe('AWS emulator stopped.');
  });

  it('generates a fleet, and rejects bad arguments', async () => {
    const stop = new AbortController();
    stop.abort();
    const lines: string[] = [];
    await runEmulatorCli(['--generate', '2,1,2,5', '--seed', '3'], { log: (l) => lines.push(l), signal: stop.signal });
    expect(lines.join('\n')).toContain('2 accounts, 4 clusters, 20 services');
    await expect(runEmulatorCli([])).rejects.toThrow(/exactly one of --fleet or --generate/);
    await expect(runEmulatorCli(['--generate', '1,2'])).rejects.toThrow(/accounts,regions,clusters,services/);
    await expect(runEmulatorCli(['--bogus'])).rejects.toThrow(/unknown option/);
  });
});
