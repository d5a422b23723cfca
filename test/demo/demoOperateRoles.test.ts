import path from 'node:path';
import { loadFleetFile } from '../../dev/emulator/fleet';
import { demoOperateRoles, type DemoOperateRole } from '../../dev/demo/demoOperateRoles';
import { loadAppConfig } from '../../src/config/loadAppConfig';
import { CLI, ROOT, runCli } from '../support/builtCli';
import { useEmulator } from '../support/scanFixture';

const EXAMPLES = path.join(ROOT, 'examples');
const CONFIG = path.join(EXAMPLES, 'app-config.yaml');
const ENTITIES = path.join(EXAMPLES, 'catalog-info.yaml');

interface PrintedRoles {
  policies: Array<{ accountId: string; name: string; document: unknown }>;
  roles: Array<{ accountId: string; arn: string; trustPolicy: unknown; attach: string[] }>;
}

describe("the demo's operate roles", () => {
  const emulator = useEmulator(loadFleetFile(path.join(EXAMPLES, 'fleet.yaml')));
  let roles: DemoOperateRole[];

  beforeAll(async () => {
    roles = await demoOperateRoles(await loadAppConfig(CONFIG), ENTITIES);
  });

  /** What an administrator would be told to create for `team`, read from the published command. */
  async function printed(team: string): Promise<PrintedRoles> {
    const principal = emulator().principal();
    const result = await runCli(
      ['iam-policy', '--config', CONFIG, '--entities', ENTITIES, '--team', team, '--profile', 'operate', '--role-trust'],
      { AWS_ENDPOINT_URL: emulator().url, AWS_ACCESS_KEY_ID: principal.accessKeyId, AWS_SECRET_ACCESS_KEY: principal.secretAccessKey, AWS_REGION: 'us-east-1' },
      CLI,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as PrintedRoles;
  }

  it.each(['group:default/team-payments', 'group:default/team-search'])('are for %s what iam-policy --role-trust prints', async team => {
    const expected = await printed(team);
    expect(expected.roles.length).toBeGreaterThan(0);
    const ours = roles.filter(r => r.team === team);
    expect(ours.map(r => [r.accountId, `arn:aws:iam::${r.accountId}:role/${r.role.name}`])).toEqual(expected.roles.map(r => [r.accountId, r.arn]));
    for (const role of expected.roles) {
      const put = ours.find(r => r.accountId === role.accountId)!;
      expect(put.role.trustPolicy).toEqual(role.trustPolicy);
      expect(put.role.policies).toEqual(expected.policies.filter(p => role.attach.includes(p.name)).map(p => p.document));
    }
  });

  it('cover every team that owns a live service of the demo, and each role is one the emulator accepts', () => {
    const teams = new Set(roles.map(r => r.team));
    for (const team of ['team-payments', 'team-search', 'team-identity', 'team-platform']) expect(teams).toContain(`group:default/${team}`);
    // team-payments owns services in the payments account only.
    expect(roles.filter(r => r.team === 'group:default/team-payments').map(r => r.accountId)).toEqual(['012345678901']);
    for (const { accountId, role } of roles) expect(() => emulator().putRole(accountId, role)).not.toThrow();
  });
});
