import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Emulator, parseFleet, startEmulator } from '../../dev/emulator';
import { runCli } from '../support/builtCli';
import { expectGolden } from '../support/golden';

const SHOP = '111111111111';
const SEARCH = '222222222222';
const arn = (account: string, region: string, path: string) => `arn:aws:ecs:${region}:${account}:service/${path}`;
const WORKER_ARN = arn(SHOP, 'eu-west-1', 'shop/worker');
const BACKSTAGE = 'arn:aws:iam::999999999999:role/backstage';

const fleet = parseFleet({
  principals: [{ accessKeyId: 'AKIATESTIAMPOLICY001', secretAccessKey: 'iam-policy-secret', accountId: SHOP }],
  accounts: [
    {
      id: SHOP,
      roles: [{ name: 'reader' }],
      regions: {
        'eu-west-1': { clusters: [{ name: 'shop', services: [{ name: 'cart', tags: { owner: 'team-shop' } }, { name: 'worker' }, { name: 'search-ui', tags: { Owner: 'team-search' } }] }] },
        'us-east-1': { clusters: [{ name: 'shop-us', services: [{ name: 'cart', tags: { team: 'Team-Shop' } }] }] },
      },
    },
    {
      id: SEARCH,
      roles: [{ name: 'reader' }],
      regions: {
        'eu-west-1': {
          clusters: [
            { name: 'search', services: [{ name: 'indexer', tags: { Owner: 'team-search' } }, { name: 'crawler', tags: { owner: 'team-shop' } }] },
            // More services than ten managed policies hold.
            { name: 'big', services: Array.from({ length: 420 }, (_, i) => ({ name: `worker-${String(i).padStart(3, '0')}`, tags: { owner: 'team-big' } })) },
          ],
        },
      },
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
        regions: [eu-west-1, us-east-1]
        access:
          passRoles: ['arn:aws:iam::{accountId}:role/ecs-task-{team}']
`;

/** The untagged worker is claimed by a component of team-shop, so it inherits that owner. */
const ENTITIES_YAML = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: worker
  annotations:
    aws.amazon.com/amazon-ecs-service-arn: ${WORKER_ARN}
spec:
  type: service
  lifecycle: production
  owner: team-shop
`;

describe('ecs-catalog-sync iam-policy and iam-drift', () => {
  let emulator: Emulator;
  let dir: string;
  let env: Record<string, string>;
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const cli = (command: string, args: string[], config = path.join(dir, 'app-config.yaml')) => runCli([command, '--config', config, ...args], env);

  beforeAll(async () => {
    emulator = await startEmulator({ fleet, faults: { rateLimit: false } });
    dir = mkdtempSync(path.join(tmpdir(), 'ecs-iam-cli-'));
    file('app-config.yaml', APP_CONFIG);
    env = { AWS_ENDPOINT_URL: emulator.url, AWS_ACCESS_KEY_ID: 'AKIATESTIAMPOLICY001', AWS_SECRET_ACCESS_KEY: 'iam-policy-secret', AWS_REGION: 'us-east-1' };
  }, 120_000);
  afterAll(async () => {
    await emulator?.close();
  });
  afterEach(() => emulator.setFaults({ deniedAccounts: [] }));

  it('prints the operate policies of a team from tags alone, one document per account (golden)', async () => {
    const result = await cli('iam-policy', ['--team', 'team-shop', '--profile', 'operate']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expectGolden(path.join(__dirname, 'golden', 'iam-policy.team-shop.operate.json'), result.stdout);
    const output = JSON.parse(result.stdout);
    expect(output.team).toBe('group:default/team-shop');
    expect(output.policies.map((p: { accountId: string }) => p.accountId)).toEqual([SHOP, SEARCH]);
    expect(result.stdout).not.toContain('worker');
    expect(result.stdout).not.toContain('search-ui');
  });

  it('adds the services a team’s entities claim when the catalog is given', async () => {
    const result = await cli('iam-policy', ['--team', 'group:default/team-shop', '--profile', 'read', '--account', SHOP, '--entities', file('entities.yaml', ENTITIES_YAML)]);
    expect(result.code).toBe(0);
    const [policy] = JSON.parse(result.stdout).policies;
    const services = policy.document.Statement.find((s: { Sid: string }) => s.Sid === 'EcsTeamServices');
    expect(services.Resource).toEqual([arn(SHOP, 'eu-west-1', 'shop/cart'), WORKER_ARN, arn(SHOP, 'us-east-1', 'shop-us/cart')]);
    expect(JSON.parse(result.stdout).policies).toHaveLength(1);
  });

  it('passes the configured task roles under deploy, and refuses deploy without any, naming the key', async () => {
    const deploy = await cli('iam-policy', ['--team', 'team-search', '--profile', 'deploy']);
    expect(deploy.code).toBe(0);
    expect(deploy.stdout).toContain(`arn:aws:iam::${SEARCH}:role/ecs-task-team-search`);
    // Registering is scoped to the families the team's services run (the emulator names them after the service).
    const registers = (JSON.parse(deploy.stdout).policies as Array<{ document: { Statement: Array<{ Action: string[]; Resource: string[] }> } }>).map(
      p => p.document.Statement.find(s => s.Action.includes('ecs:RegisterTaskDefinition'))?.Resource,
    );
    expect(registers).toEqual([[`arn:aws:ecs:eu-west-1:${SHOP}:task-definition/search-ui:*`], [`arn:aws:ecs:eu-west-1:${SEARCH}:task-definition/indexer:*`]]);

    const bare = file('bare.yaml', APP_CONFIG.replace(/\n\s+access:\n.*\n/, '\n'));
    const refused = await cli('iam-policy', ['--team', 'team-search', '--profile', 'deploy'], bare);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/access\.passRoles/);
  });

  it('warns when the team owns nothing, listing the owners it found', async () => {
    const result = await cli('iam-policy', ['--team', 'team-nobody', '--profile', 'read']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).policies).toEqual([]);
    expect(result.stderr).toContain('group:default/team-nobody owns no live ECS service');
    expect(result.stderr).toContain('group:default/team-search');
  });

  it('warns when an account needs more documents than IAM attaches to one role', async () => {
    const result = await cli('iam-policy', ['--team', 'team-big', '--profile', 'operate']);
    expect(result.code).toBe(0);
    const { policies } = JSON.parse(result.stdout) as { policies: Array<{ accountId: string; name: string }> };
    expect(policies.length).toBeGreaterThan(10);
    expect(policies.every(p => p.accountId === SEARCH)).toBe(true);
    expect(result.stderr).toContain(`warning: account ${SEARCH} needs ${policies.length} documents; IAM attaches at most 10 managed policies to a role`);

    const small = await cli('iam-policy', ['--team', 'team-search', '--profile', 'operate']);
    expect(small.stderr).toBe('');
  });

  it('exits 2 and says so when an account could not be read', async () => {
    emulator.setFaults({ deniedAccounts: [SEARCH] });
    const result = await cli('iam-policy', ['--team', 'team-shop', '--profile', 'read']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).policies.map((p: { accountId: string }) => p.accountId)).toEqual([SHOP]);
    expect(result.stderr).toContain('could not be read');
  });

  it.each([
    [['--team', 'team-shop', '--profile', 'admin'], /--profile must be read, operate, deploy, not 'admin'/],
    [['--team', 'Team Shop', '--profile', 'read'], /--team 'Team Shop' is not an entity reference/],
    [['--profile', 'read'], /--team is required/],
    [['--team', 'a', '--profile', 'read', '--account', '12'], /--account '12' is not an AWS account id/],
  ])('refuses %j with a clear message', async (args, message) => {
    const result = await cli('iam-policy', args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('prints the operate role of each account with its trust policy and the policies to attach (golden)', async () => {
    const result = await cli('iam-policy', ['--team', 'team-shop', '--profile', 'operate', '--role-trust', '--backstage-principal', BACKSTAGE]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expectGolden(path.join(__dirname, 'golden', 'iam-policy.team-shop.operate-role.json'), result.stdout);
    const output = JSON.parse(result.stdout) as { policies: Array<{ accountId: string; name: string }>; roles: Array<{ accountId: string; arn: string; attach: string[]; trustPolicy: unknown }> };
    expect(output.roles.map(r => [r.accountId, r.arn])).toEqual([
      [SHOP, `arn:aws:iam::${SHOP}:role/ecs-operate-team-shop`],
      [SEARCH, `arn:aws:iam::${SEARCH}:role/ecs-operate-team-shop`],
    ]);
    for (const role of output.roles) expect(role.attach).toEqual(output.policies.filter(p => p.accountId === role.accountId).map(p => p.name));
    expect(JSON.stringify(output.roles[0].trustPolicy)).toContain(`"AWS":"${BACKSTAGE}"`);
    expect(JSON.stringify(output.roles[0].trustPolicy)).toContain('"aws:RequestTag/backstage-team":"team-shop"');
  });

  it('takes the principal and the role template from the provider’s operations config, flags winning', async () => {
    const configured = file(
      'operations.yaml',
      `${APP_CONFIG}        operations:\n          principal: arn:aws:iam::999999999999:role/platform/backstage\n          roleArn: arn:aws:iam::{accountId}:role/ops/{team}-operate\n`,
    );
    const fromConfig = await cli('iam-policy', ['--team', 'team-shop', '--profile', 'operate', '--account', SHOP, '--role-trust'], configured);
    expect(fromConfig.code).toBe(0);
    const [role] = JSON.parse(fromConfig.stdout).roles;
    expect(role.arn).toBe(`arn:aws:iam::${SHOP}:role/ops/team-shop-operate`);
    expect(role.trustPolicy.Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::999999999999:role/platform/backstage' });

    const flagged = await cli('iam-policy', ['--team', 'team-shop', '--profile', 'operate', '--account', SHOP, '--role-trust', '--backstage-principal', BACKSTAGE], configured);
    expect(JSON.parse(flagged.stdout).roles[0].trustPolicy.Statement[0].Principal).toEqual({ AWS: BACKSTAGE });
  });

  it.each([
    [['--role-trust'], /--role-trust needs the principal Backstage runs as: give --backstage-principal <arn>.* or set catalog\.providers\.awsEcs\.production\.operations\.principal/],
    [['--role-trust', '--backstage-principal', 'arn:aws:sts::999999999999:assumed-role/backstage/i-1'], /--backstage-principal .* is a session of a role; trust the role itself, such as arn:aws:iam::999999999999:role\/backstage/],
    [['--role-trust', '--backstage-principal', BACKSTAGE, '--role-arn', 'arn:aws:iam::{accountId}:role/ecs-operate'], /--role-arn .* names no \{team\}/],
    [['--role-trust', '--backstage-principal', BACKSTAGE, '--role-arn', `arn:aws:iam::${SHOP}:role/ecs-operate-{team}`], new RegExp(`names a role in account ${SHOP}, but group:default/team-shop has services in account ${SEARCH}`)],
    [['--backstage-principal', BACKSTAGE], /--backstage-principal and --role-arn only go with --role-trust/],
  ])('refuses the operate role with %j, naming the flag', async (args, message) => {
    const result = await cli('iam-policy', ['--team', 'team-shop', '--profile', 'operate', ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('refuses --role-trust with another profile than operate', async () => {
    const result = await cli('iam-policy', ['--team', 'team-shop', '--profile', 'read', '--role-trust', '--backstage-principal', BACKSTAGE]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--role-trust is for the operate role.*use --profile operate, not 'read'/);
  });

  it('iam-drift finds no drift in the policies it generated, and names what changed when ownership moved', async () => {
    const generated = await cli('iam-policy', ['--team', 'team-shop', '--profile', 'operate']);
    const policyFile = file('team-shop.json', generated.stdout);
    const clean = await cli('iam-drift', ['--team', 'team-shop', '--profile', 'operate', '--policy', policyFile]);
    expect(clean.stderr).toBe('');
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ uncovered: [], excess: [], unknown: [], notVerified: [] });

    // The claim gives team-shop the worker, which its policy does not cover; team-search's policy
    // from before still covers the crawler that team-shop owns.
    const withClaims = await cli('iam-drift', ['--team', 'team-shop', '--profile', 'operate', '--policy', policyFile, '--entities', file('claims.yaml', ENTITIES_YAML)]);
    expect(withClaims.code).toBe(1);
    expect(JSON.parse(withClaims.stdout).uncovered).toEqual([
      { arn: WORKER_ARN, accountId: SHOP, missingActions: ['ecs:DescribeServices', 'ecs:ListTagsForResource', 'ecs:ListServiceDeployments', 'ecs:UpdateService'] },
    ]);

    const stale = file(
      'team-search.json',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['ecs:DescribeServices', 'ecs:ListTagsForResource', 'ecs:ListServiceDeployments'], Resource: `arn:aws:ecs:eu-west-1:${SEARCH}:service/search/*` }],
      }),
    );
    const drift = await cli('iam-drift', ['--team', 'team-search', '--profile', 'read', '--policy', stale]);
    expect(drift.code).toBe(1);
    const found = JSON.parse(drift.stdout);
    expect(found.excess).toEqual([{ arn: arn(SEARCH, 'eu-west-1', 'search/crawler'), owner: 'group:default/team-shop', actions: ['ecs:DescribeServices', 'ecs:ListTagsForResource', 'ecs:ListServiceDeployments'] }]);
    expect(found.uncovered).toEqual([expect.objectContaining({ arn: arn(SHOP, 'eu-west-1', 'shop/search-ui') })]);
  });

  it('iam-drift refuses a policy file it cannot read, naming the file, before scanning', async () => {
    const missing = await cli('iam-drift', ['--team', 'team-shop', '--profile', 'read', '--policy', path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--policy .*nope\.json: cannot read the file \(ENOENT\)/);
    const broken = await cli('iam-drift', ['--team', 'team-shop', '--profile', 'read', '--policy', file('broken.json', '{"Version":"2012-10-17","Statement":[{"Effect":"Maybe"}]}')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json, Statement\[0\]: Effect must be Allow or Deny/);
  });
});
