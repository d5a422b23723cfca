import path from 'node:path';
import { buildTeamPolicies, PolicyError } from '../../src/access/teamPolicies';
import { MANAGED_POLICY_LIMIT, policySize } from '../../src/access/policyDocument';
import { ACCESS_PROFILES } from '../../src/access/profiles';
import { expectGolden } from '../support/golden';
import { DATA, FLEET, LEGACY, PASS_ROLES, SHOP, TEAM_A, TEAM_B } from './fixture';

const golden = (name: string) => path.join(__dirname, 'golden', name);

describe('buildTeamPolicies', () => {
  it.each(ACCESS_PROFILES)('writes the %s policies of a team spread over three accounts (golden)', profile => {
    const policies = buildTeamPolicies({ services: FLEET, team: TEAM_A, profile, passRoles: PASS_ROLES });
    expect(policies.policies.map(p => p.accountId)).toEqual([SHOP, DATA, LEGACY]);
    expectGolden(golden(`team-a.${profile}.json`), `${JSON.stringify(policies, null, 2)}\n`);
  });

  it('is the same byte for byte whatever order the fleet comes in', () => {
    const shuffled = [...FLEET].reverse();
    for (const profile of ACCESS_PROFILES) {
      expect(JSON.stringify(buildTeamPolicies({ services: shuffled, team: TEAM_A, profile, passRoles: PASS_ROLES }))).toBe(
        JSON.stringify(buildTeamPolicies({ services: FLEET, team: TEAM_A, profile, passRoles: PASS_ROLES })),
      );
    }
  });

  it('limits the policies to one account when asked', () => {
    const policies = buildTeamPolicies({ services: FLEET, team: TEAM_A, profile: 'read', accountId: DATA });
    expect(policies.policies).toHaveLength(1);
    expect(JSON.stringify(policies)).not.toContain(SHOP);
  });

  it('lets operate restart and scale any own service, and deploy only revisions of the own families', () => {
    const base = 'arn:aws:ecs:eu-west-1:555555555555';
    const service = (name: string, family?: string) => ({
      arn: `${base}:service/apps/${name}`,
      clusterArn: `${base}:cluster/apps`,
      accountId: '555555555555',
      region: 'eu-west-1',
      owner: TEAM_A,
      ...(family ? { taskDefinitionFamily: family } : {}),
    });
    const statementsOf = (services: ReturnType<typeof service>[]) =>
      buildTeamPolicies({ services, team: TEAM_A, profile: 'operate' }).policies[0].document.Statement.filter(s => s.Action?.includes('ecs:UpdateService'));

    expect(statementsOf([service('web', 'web'), service('jobs')])).toEqual([
      { Sid: 'EcsTeamServiceChanges', Effect: 'Allow', Action: ['ecs:UpdateService'], Resource: [`${base}:service/apps/jobs`, `${base}:service/apps/web`], Condition: { Null: { 'ecs:task-definition': 'true' } } },
      {
        Sid: 'EcsTeamServiceDeploys',
        Effect: 'Allow',
        Action: ['ecs:UpdateService'],
        Resource: [`${base}:service/apps/jobs`, `${base}:service/apps/web`],
        Condition: { ArnLike: { 'ecs:task-definition': [`${base}:task-definition/web:*`] } },
      },
    ]);
    // No family to deploy: UpdateService only without a task definition, never with any.
    expect(statementsOf([service('jobs')]).map(s => s.Sid)).toEqual(['EcsTeamServiceChanges']);
  });

  it('gives a team that owns nothing no policy rather than an empty one', () => {
    expect(buildTeamPolicies({ services: FLEET, team: 'group:default/team-z', profile: 'operate' }).policies).toEqual([]);
  });

  it('refuses deploy without a role to pass, naming the config key and the account', () => {
    const run = () => buildTeamPolicies({ services: FLEET, team: TEAM_B, profile: 'deploy', passRoles: [`arn:aws:iam::${SHOP}:role/only-shop`] });
    expect(run).toThrow(PolicyError);
    // SHOP has the role; DATA, team B's other account, has none.
    expect(run).toThrow(/access\.passRoles/);
    expect(run).toThrow(new RegExp(`in account ${DATA}`));
  });

  it('passes only the roles of the policy’s own account, with the team filled in', () => {
    const policies = buildTeamPolicies({ services: FLEET, team: TEAM_A, profile: 'deploy', passRoles: PASS_ROLES });
    const roles = (accountId: string) =>
      policies.policies.find(p => p.accountId === accountId)!.document.Statement.find(s => s.Sid === 'PassTeamTaskRoles')!.Resource;
    expect(roles(SHOP)).toEqual([`arn:aws:iam::${SHOP}:role/ecs-task-team-a`, `arn:aws:iam::${SHOP}:role/shared-execution-role`]);
    expect(roles(DATA)).toEqual([`arn:aws:iam::${DATA}:role/ecs-task-team-a`]);
  });

  it('grants DescribeServiceDeployments on each service together with its deployments, since ECS authorizes it against both', () => {
    const [data] = buildTeamPolicies({ services: FLEET, team: TEAM_A, profile: 'read', accountId: DATA }).policies;
    expect(data.document.Statement.find(s => s.Sid === 'EcsTeamServiceDeployments')).toEqual({
      Sid: 'EcsTeamServiceDeployments',
      Effect: 'Allow',
      Action: ['ecs:DescribeServiceDeployments'],
      Resource: [`arn:aws:ecs:eu-central-1:${DATA}:service/etl/loader`, `arn:aws:ecs:eu-central-1:${DATA}:service-deployment/etl/loader/*`],
    });
  });

  it('lets deploy register revisions of the team’s own task-definition families only, in their own regions', () => {
    const policies = buildTeamPolicies({ services: FLEET, team: TEAM_A, profile: 'deploy', passRoles: PASS_ROLES });
    const families = (accountId: string) =>
      policies.policies.find(p => p.accountId === accountId)!.document.Statement.find(s => s.Action?.includes('ecs:RegisterTaskDefinition'))!.Resource;
    // Checkout names no task definition of its own: nothing to register for it.
    expect(families(SHOP)).toEqual([`arn:aws:ecs:eu-west-1:${SHOP}:task-definition/cart:*`, `arn:aws:ecs:us-east-1:${SHOP}:task-definition/cart:*`]);
    expect(families(DATA)).toEqual([`arn:aws:ecs:eu-central-1:${DATA}:task-definition/etl-jobs:*`]);
    expect(families(LEGACY)).toEqual([`arn:aws:ecs:eu-west-1:${LEGACY}:task-definition/reports:*`]);
    for (const p of policies.policies) {
      const star = p.document.Statement.find(s => s.Resource === '*' || s.Resource?.includes('*'));
      expect(star?.Action).not.toContain('ecs:RegisterTaskDefinition');
    }
  });

  it('refuses deploy in an account where none of the team’s services names a task-definition family, saying why', () => {
    const services = FLEET.map(({ taskDefinitionFamily, ...service }) => (service.accountId === DATA ? service : { ...service, taskDefinitionFamily }));
    const run = () => buildTeamPolicies({ services, team: TEAM_A, profile: 'deploy', passRoles: PASS_ROLES });
    expect(run).toThrow(PolicyError);
    expect(run).toThrow(new RegExp(`task-definition family of a service group:default/team-a owns in account ${DATA}`));
    expect(run).toThrow(/get it at the next scan/);
    // Read and operate register nothing, so they need no family.
    expect(buildTeamPolicies({ services, team: TEAM_A, profile: 'operate' }).policies.map(p => p.accountId)).toEqual([SHOP, DATA, LEGACY]);
  });

  it('keeps every document within the managed-policy limit', () => {
    for (const profile of ACCESS_PROFILES) {
      for (const p of buildTeamPolicies({ services: FLEET, team: TEAM_A, profile, passRoles: PASS_ROLES }).policies) {
        expect(policySize(p.document)).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
      }
    }
  });
});
