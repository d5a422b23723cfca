import type { OwnedService } from '../../src/access/ownedServices';
import { MANAGED_POLICY_LIMIT, policySize, asList } from '../../src/access/policyDocument';
import { buildTeamPolicies } from '../../src/access/teamPolicies';

const ACCOUNT = '444444444444';
const TEAM = 'group:default/big-team';

/** 600 services over 6 clusters in 2 regions: far more than one managed policy holds. */
const fleet: OwnedService[] = Array.from({ length: 600 }, (_, i) => {
  const region = i % 2 === 0 ? 'eu-west-1' : 'us-west-2';
  const cluster = `cluster-${i % 6}`;
  const base = `arn:aws:ecs:${region}:${ACCOUNT}`;
  const name = `service-${String(i).padStart(4, '0')}`;
  return { arn: `${base}:service/${cluster}/${name}`, clusterArn: `${base}:cluster/${cluster}`, accountId: ACCOUNT, region, owner: TEAM, taskDefinitionFamily: name };
});

const servicesOf = (document: ReturnType<typeof buildTeamPolicies>['policies'][number]['document']) =>
  asList(document.Statement.find(s => s.Sid === 'EcsTeamServices')!.Resource);

describe('a team too big for one managed policy', () => {
  const { policies } = buildTeamPolicies({ services: fleet, team: TEAM, profile: 'operate' });

  it('gets several documents for the account, each within 6,144 characters and named as parts', () => {
    expect(policies.length).toBeGreaterThan(5);
    policies.forEach((p, i) => {
      expect(p.accountId).toBe(ACCOUNT);
      expect(policySize(p.document)).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
      expect(p.name).toBe(`ecs-operate-big-team-${ACCOUNT}-${i + 1}of${policies.length}`);
    });
  });

  it('puts every service in exactly one part, with the clusters that part needs and no other', () => {
    const seen = policies.flatMap(p => servicesOf(p.document));
    expect(seen).toHaveLength(fleet.length);
    expect(new Set(seen)).toEqual(new Set(fleet.map(s => s.arn)));
    for (const p of policies) {
      const clustersNeeded = new Set(fleet.filter(s => servicesOf(p.document).includes(s.arn)).map(s => s.clusterArn));
      expect(new Set(asList(p.document.Statement.find(s => s.Sid === 'EcsTeamClusters')!.Resource))).toEqual(clustersNeeded);
      // Every part stands alone: a role with any subset of the parts can list and act on what they name.
      expect(p.document.Statement.map(s => s.Sid)).toEqual([
        'EcsActionsWithoutResource',
        'EcsListInTeamClusters',
        'EcsTeamClusters',
        'EcsTeamServices',
        'EcsTeamServiceChanges',
        'EcsTeamServiceDeploys',
        'EcsTeamServiceDeployments',
      ]);
      // Changes and deploys name the same services as the reads, and deploys only their own families.
      const sameServices = (sid: string) => asList(p.document.Statement.find(s => s.Sid === sid)!.Resource);
      expect(sameServices('EcsTeamServiceChanges')).toEqual(servicesOf(p.document));
      expect(sameServices('EcsTeamServiceDeploys')).toEqual(servicesOf(p.document));
      expect(asList(p.document.Statement.find(s => s.Sid === 'EcsTeamServiceDeploys')!.Condition!.ArnLike['ecs:task-definition'])).toEqual(
        servicesOf(p.document).map(arn => `${arn.slice(0, arn.indexOf(':service/'))}:task-definition/${arn.slice(arn.lastIndexOf('/') + 1)}:*`).sort(),
      );
    }
  });

  it('lets each deploy part register the task-definition families of its own services, and no other', () => {
    const deploy = buildTeamPolicies({ services: fleet, team: TEAM, profile: 'deploy', passRoles: ['arn:aws:iam::{accountId}:role/ecs-task-{team}'] }).policies;
    expect(deploy.length).toBeGreaterThan(policies.length);
    for (const p of deploy) {
      const families = asList(p.document.Statement.find(s => s.Sid === 'EcsTeamTaskDefinitions')!.Resource);
      const expected = servicesOf(p.document).map(arn => `${arn.slice(0, arn.indexOf(':service/'))}:task-definition/${arn.slice(arn.lastIndexOf('/') + 1)}:*`);
      expect(new Set(families)).toEqual(new Set(expected));
    }
  });

  it('fills each part before starting the next', () => {
    // What one more service adds to a part: its ARN in four statements, its deployments and its family.
    const one = buildTeamPolicies({ services: fleet.slice(0, 1), team: TEAM, profile: 'operate' }).policies[0].document;
    const two = buildTeamPolicies({ services: [fleet[0], fleet[6]], team: TEAM, profile: 'operate' }).policies[0].document;
    const perService = policySize(two) - policySize(one);
    expect(perService).toBeLessThan(500);
    for (const p of policies.slice(0, -1)) {
      // One more service of the next part would not have fitted: the packing wastes no document.
      expect(policySize(p.document)).toBeGreaterThan(MANAGED_POLICY_LIMIT - perService);
    }
  });
});

describe('a service whose own document cannot fit', () => {
  it('is refused with an error naming the service, the account and the key to shorten, instead of being left out', () => {
    const longRoles = Array.from({ length: 100 }, (_, i) => `arn:aws:iam::{accountId}:role/a-long-task-role-name-for-{team}-number-${i}`);
    expect(() => buildTeamPolicies({ services: fleet.slice(0, 3), team: TEAM, profile: 'deploy', passRoles: longRoles })).toThrow(
      `the policy for ${fleet[0].arn} alone is over ${MANAGED_POLICY_LIMIT} characters in account ${ACCOUNT}; shorten access.passRoles`,
    );
  });
});
