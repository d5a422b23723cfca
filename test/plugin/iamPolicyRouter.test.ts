import { TestDatabases, mockCredentials, mockServices, type TestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { parseFleet } from '../../dev/emulator';
import type { AwsEcsEntityProvider } from '../../src/provider/AwsEcsEntityProvider';
import { runCli } from '../support/builtCli';
import { eventually, fetchEntities, handWrittenClaim, handWrittenEntities, handWrittenGroup, providerUnderTest, startCatalogBackend } from '../support/catalogBackend';
import { useEmulator } from '../support/scanFixture';

const SHOP = '111111111111';
const SEARCH = '222222222222';
const ARN = (account: string, cluster: string, name: string) => `arn:aws:ecs:eu-west-1:${account}:service/${cluster}/${name}`;
const PRINCIPAL = { accessKeyId: 'AKIATESTIAMROUTER001', secretAccessKey: 'iam-router-secret' };
const fleet = parseFleet({
  principals: [{ ...PRINCIPAL, accountId: SHOP }],
  accounts: [
    {
      id: SHOP,
      roles: [{ name: 'reader' }],
      regions: { 'eu-west-1': { clusters: [{ name: 'shop', services: [{ name: 'cart', tags: { owner: 'team-shop' } }, { name: 'worker' }, { name: 'search-ui', tags: { Owner: 'team-search' } }] }] } },
    },
    {
      id: SEARCH,
      roles: [{ name: 'reader' }],
      regions: { 'eu-west-1': { clusters: [{ name: 'search', services: [{ name: 'indexer', tags: { Owner: 'team-search' } }, { name: 'crawler', tags: { owner: 'team-shop' } }] }] } },
    },
  ],
});

const config: JsonObject = {
  aws: { accountDefaults: { roleName: 'reader' } },
  catalog: {
    providers: {
      awsEcs: {
        production: {
          accounts: [SHOP, SEARCH],
          regions: ['eu-west-1'],
          rateLimit: { perSecond: 1000, burst: 1000 },
          // Task roles exist in the shop account only: deploy policies there, none for the search account.
          access: { passRoles: [`arn:aws:iam::${SHOP}:role/ecs-task-{team}`] },
        },
      },
    },
  },
};

const handWritten: Entity[] = [
  handWrittenGroup('team-shop'),
  handWrittenGroup('team-search'),
  handWrittenClaim('worker', 'team-shop', ARN(SHOP, 'shop', 'worker')),
];

describe('GET /api/ecs-catalog-sync/iam-policy', () => {
  const getEmulator = useEmulator(fleet);
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let backend: TestBackend;
  let base: string;
  let configFile: string;

  const get = (query: string, authorization: string | null = mockCredentials.user.header()) =>
    fetch(`${base}/api/ecs-catalog-sync/iam-policy${query}`, { headers: authorization ? { Authorization: authorization } : {} });

  beforeAll(async () => {
    let provider: AwsEcsEntityProvider | undefined;
    const knex = await databases.init('SQLITE_3');
    backend = await startCatalogBackend({
      knex,
      config,
      features: [
        providerUnderTest({ alsoProvide: [handWrittenEntities(handWritten)], onProvider: p => (provider = p) }),
        import('../../src/plugin'),
        // Without this the mock treats a request without credentials as the mock user.
        mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
      ],
    });
    base = `http://127.0.0.1:${backend.server.port()}`;
    await eventually(() => fetchEntities(backend, 'kind=component'), e => e.length === 1, 'the claiming component');
    await provider!.refresh();
    await eventually(
      () => fetchEntities(backend, 'spec.type=ecs-service'),
      e => e.length === 5 && e.some(x => x.metadata.title === 'worker' && x.spec?.owner === 'group:default/team-shop'),
      'the ECS entities, the worker with the owner of its claim',
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'ecs-iam-router-'));
    configFile = path.join(dir, 'app-config.yaml');
    writeFileSync(configFile, stringify(config));
  });
  afterAll(async () => {
    await backend?.stop();
  });

  it.each([
    ['read', []],
    ['operate', []],
    ['deploy', ['--account', SHOP]],
  ])('serves the %s policies the command line prints for the same catalog, byte for byte', async (profile, extra) => {
    const response = await get(`?team=team-shop&profile=${profile}${extra.length ? `&account=${extra[1]}` : ''}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const served = await response.text();

    const emulator = getEmulator();
    const cli = await runCli(['iam-policy', '--config', configFile, '--catalog-url', base, '--team', 'group:default/team-shop', '--profile', profile, ...extra], {
      AWS_ENDPOINT_URL: emulator.url,
      AWS_ACCESS_KEY_ID: PRINCIPAL.accessKeyId,
      AWS_SECRET_ACCESS_KEY: PRINCIPAL.secretAccessKey,
      AWS_REGION: 'us-east-1',
      BACKSTAGE_TOKEN: mockCredentials.user.token(),
    });
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(served).toBe(JSON.stringify(JSON.parse(cli.stdout)));

    // The claimed worker is team-shop's; the other team's services are not.
    const text = served;
    expect(text).toContain(ARN(SHOP, 'shop', 'worker'));
    if (profile !== 'deploy') expect(text).toContain(ARN(SEARCH, 'search', 'crawler'));
    // The families come from the entities' annotations: the emulator names them after the service.
    if (profile === 'deploy') expect(text).toContain(`"arn:aws:ecs:eu-west-1:${SHOP}:task-definition/worker:*"`);
    expect(text).not.toContain('search-ui');
    expect(text).not.toContain('indexer');
  });

  it('serves the operate roles with their trust, as the command line prints them', async () => {
    const backstage = 'arn:aws:iam::999999999999:role/backstage';
    const response = await get(`?team=team-shop&profile=operate&roleTrust=true&principal=${encodeURIComponent(backstage)}`);
    expect(response.status).toBe(200);
    const served = await response.text();
    const emulator = getEmulator();
    const cli = await runCli(
      ['iam-policy', '--config', configFile, '--catalog-url', base, '--team', 'group:default/team-shop', '--profile', 'operate', '--role-trust', '--backstage-principal', backstage],
      {
        AWS_ENDPOINT_URL: emulator.url,
        AWS_ACCESS_KEY_ID: PRINCIPAL.accessKeyId,
        AWS_SECRET_ACCESS_KEY: PRINCIPAL.secretAccessKey,
        AWS_REGION: 'us-east-1',
        BACKSTAGE_TOKEN: mockCredentials.user.token(),
      },
    );
    expect(cli.code).toBe(0);
    expect(served).toBe(JSON.stringify(JSON.parse(cli.stdout)));
    const body = JSON.parse(served) as { roles: Array<{ arn: string }> };
    expect(body.roles.map(r => r.arn)).toEqual([`arn:aws:iam::${SHOP}:role/ecs-operate-team-shop`, `arn:aws:iam::${SEARCH}:role/ecs-operate-team-shop`]);
  });

  it('limits the policies to one account', async () => {
    const body = (await (await get(`?team=group:default/team-search&profile=read&account=${SEARCH}`)).json()) as { policies: Array<{ accountId: string }> };
    expect(body.policies.map(p => p.accountId)).toEqual([SEARCH]);
  });

  it.each([
    ['', 400, /team must be given/],
    ['?team=Team%20Shop&profile=read', 400, /team must be given once, as an entity reference/],
    ['?team=team-shop&profile=admin', 400, /profile must be one of read, operate, deploy/],
    ['?team=team-shop&profile=read&account=12', 400, /12-digit AWS account id/],
    ['?team=team-shop&profile=read&provider=staging', 400, /unknown provider; registered providers: production/],
    ['?team=team-shop&profile=operate&roleTrust=true', 400, /roleTrust needs principal/],
    ['?team=team-shop&profile=read&roleTrust=true&principal=arn:aws:iam::999999999999:role/backstage', 400, /use profile=operate, not 'read'/],
    ['?team=team-shop&profile=operate&roleTrust=true&principal=arn:aws:iam::999999999999:root', 400, /principal .* is a whole account/],
    ['?team=team-shop&profile=operate&principal=arn:aws:iam::999999999999:role/backstage', 400, /only go with roleTrust=true/],
  ])('answers %s with %d and a message naming the valid values', async (query, status, message) => {
    const response = await get(query);
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { name: string; message: string } };
    expect(body.error.message).toMatch(message);
  });

  it('answers 409 naming the config key when deploy has no role to pass in an account', async () => {
    const response = await get('?team=team-shop&profile=deploy');
    expect(response.status).toBe(409);
    const body = (await response.json()) as { error: { name: string; message: string } };
    expect(body.error.name).toBe('ConflictError');
    expect(body.error.message).toContain(`in account ${SEARCH}`);
    expect(body.error.message).toContain('access.passRoles');
  });

  it('keeps the default auth policy', async () => {
    expect((await get('?team=team-shop&profile=read', null)).status).toBe(401);
  });
});
