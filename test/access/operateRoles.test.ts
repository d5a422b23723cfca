import { DEFAULT_OPERATE_ROLE_ARN } from '../../src/access/operateRole';
import { operateRolesFor } from '../../src/access/operateRoles';
import { operateRoleTrust } from '../../src/access/operateRoleTrust';
import { buildTeamPolicies, PolicyError } from '../../src/access/teamPolicies';
import { DATA, FLEET, LEGACY, SHOP, TEAM_A } from './fixture';

const BACKSTAGE = 'arn:aws:iam::999999999999:role/backstage';

describe('the operate roles of a team', () => {
  const policies = buildTeamPolicies({ services: FLEET, team: TEAM_A, profile: 'operate', sizeLimit: 1500 }).policies;

  it('gives each account one role, trusting Backstage, with every part of that account’s policies to attach', () => {
    const roles = operateRolesFor(TEAM_A, policies, { principal: BACKSTAGE, roleArn: DEFAULT_OPERATE_ROLE_ARN });
    expect(roles.map(r => r.accountId)).toEqual([SHOP, DATA, LEGACY]);
    expect(roles.map(r => r.arn)).toEqual([SHOP, DATA, LEGACY].map(a => `arn:aws:iam::${a}:role/ecs-operate-team-a`));
    for (const role of roles) {
      expect(role.trustPolicy).toEqual(operateRoleTrust(TEAM_A, BACKSTAGE));
      expect(role.attach).toEqual(policies.filter(p => p.accountId === role.accountId).map(p => p.name));
    }
    // The small limit splits the shop account's document: the role gets every part.
    expect(roles[0].attach.length).toBeGreaterThan(1);
  });

  it('refuses a template fixed to one account when the team has services in another', () => {
    const run = () => operateRolesFor(TEAM_A, policies, { principal: BACKSTAGE, roleArn: `arn:aws:iam::${SHOP}:role/ecs-operate-{team}` });
    expect(run).toThrow(PolicyError);
    expect(run).toThrow(`names a role in account ${SHOP}, but ${TEAM_A} has services in account ${DATA}`);
  });

  it('gives a team without policies no role', () => {
    expect(operateRolesFor(TEAM_A, [], { principal: BACKSTAGE, roleArn: DEFAULT_OPERATE_ROLE_ARN })).toEqual([]);
  });
});
