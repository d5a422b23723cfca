import { checkAccess, accessDriftCount } from '../../src/access/accessDrift';
import type { PolicyDocument } from '../../src/access/policyDocument';
import { buildTeamPolicies } from '../../src/access/teamPolicies';
import { DATA, FLEET, LEGACY, NOBODY, PASS_ROLES, SHOP, TEAM_A, TEAM_B } from './fixture';

const doc = (...Statement: PolicyDocument['Statement']): PolicyDocument => ({ Version: '2012-10-17', Statement });
const arn = (account: string, region: string, path: string) => `arn:aws:ecs:${region}:${account}:service/${path}`;
const generated = (team = TEAM_A) =>
  buildTeamPolicies({ services: FLEET, team, profile: 'operate' }).policies.map(p => ({ source: `${p.name}.json`, document: p.document }));

describe('checkAccess', () => {
  it('finds no drift between the generated policies and the fleet they came from', () => {
    const drift = checkAccess({ documents: generated(), services: FLEET, team: TEAM_A, profile: 'operate' });
    expect(accessDriftCount(drift)).toBe(0);
  });

  it('names a service the team owns that its policy does not cover, with the missing actions', () => {
    const documents = generated().filter(d => !d.source.includes(DATA));
    const drift = checkAccess({ documents, services: FLEET, team: TEAM_A, profile: 'operate' });
    expect(drift.uncovered).toEqual([
      {
        arn: arn(DATA, 'eu-central-1', 'etl/loader'),
        accountId: DATA,
        missingActions: ['ecs:DescribeServices', 'ecs:ListTagsForResource', 'ecs:ListServiceDeployments', 'ecs:UpdateService'],
      },
    ]);
    expect(drift.excess).toEqual([]);
  });

  it('judges a read-only policy against the operate profile as missing UpdateService only', () => {
    const read = buildTeamPolicies({ services: FLEET, team: TEAM_A, profile: 'read' }).policies.map(p => ({ source: p.name, document: p.document }));
    const drift = checkAccess({ documents: read, services: FLEET, team: TEAM_A, profile: 'operate' });
    expect(drift.uncovered.map(u => u.missingActions)).toEqual(FLEET.filter(s => s.owner === TEAM_A).map(() => ['ecs:UpdateService']));
  });

  it('names services the policy covers that the team no longer owns, with their owner', () => {
    // Team B's old policy still lists the cart service, which team A owns now, and a whole cluster by wildcard.
    const documents = [
      {
        source: 'team-b.json',
        document: doc({
          Effect: 'Allow',
          Action: ['ecs:DescribeServices', 'ecs:UpdateService'],
          Resource: [arn(SHOP, 'eu-west-1', 'shop/search'), arn(SHOP, 'eu-west-1', 'shop/cart'), arn(DATA, 'eu-central-1', 'etl/*')],
        }),
      },
    ];
    const drift = checkAccess({ documents, services: FLEET, team: TEAM_B, profile: 'read' });
    expect(drift.excess).toEqual([
      { arn: arn(DATA, 'eu-central-1', 'etl/loader'), owner: TEAM_A, actions: ['ecs:DescribeServices', 'ecs:UpdateService'] },
      { arn: arn(SHOP, 'eu-west-1', 'shop/cart'), owner: TEAM_A, actions: ['ecs:DescribeServices', 'ecs:UpdateService'] },
    ]);
    // Its own services lack the read actions the old policy never had; the legacy one lacks all.
    expect(drift.uncovered).toEqual([
      { arn: arn(DATA, 'eu-central-1', 'etl/indexer'), accountId: DATA, missingActions: ['ecs:ListTagsForResource', 'ecs:ListServiceDeployments'] },
      { arn: arn(SHOP, 'eu-west-1', 'shop/search'), accountId: SHOP, missingActions: ['ecs:ListTagsForResource', 'ecs:ListServiceDeployments'] },
      { arn: arn(LEGACY, 'eu-west-1', 'monolith'), accountId: LEGACY, missingActions: ['ecs:DescribeServices', 'ecs:ListTagsForResource', 'ecs:ListServiceDeployments'] },
    ]);
  });

  it('finds no drift in generated deploy policies, a family shared with another team’s service included', () => {
    const documents = buildTeamPolicies({ services: FLEET, team: TEAM_A, profile: 'deploy', passRoles: PASS_ROLES }).policies.map(p => ({ source: p.name, document: p.document }));
    expect(accessDriftCount(checkAccess({ documents, services: FLEET, team: TEAM_A, profile: 'deploy' }))).toBe(0);
  });

  it('names every other team’s service whose task definitions a policy lets the team register, as RegisterTaskDefinition on * did', () => {
    const documents = [
      ...generated(),
      { source: 'old-deploy.json', document: doc({ Effect: 'Allow', Action: ['ecs:RegisterTaskDefinition'], Resource: ['*'] }) },
    ];
    const drift = checkAccess({ documents, services: FLEET, team: TEAM_A, profile: 'deploy' });
    // The indexer runs the family of team A's own loader: registering it is team A's right.
    expect(drift.excess).toEqual([
      { arn: arn(SHOP, 'eu-west-1', 'shop/search'), owner: TEAM_B, actions: ['ecs:RegisterTaskDefinition'] },
      { arn: arn(LEGACY, 'eu-west-1', 'monolith'), owner: TEAM_B, actions: ['ecs:RegisterTaskDefinition'] },
      { arn: arn(SHOP, 'us-east-1', 'shop-us/mailer'), owner: NOBODY, actions: ['ecs:RegisterTaskDefinition'] },
    ]);
    expect(drift.uncovered).toEqual([]);
  });

  it('names an own service whose family the policy lets the team register one revision of only, not the next', () => {
    const documents = [
      ...generated(),
      {
        source: 'pinned.json',
        document: doc({ Effect: 'Allow', Action: 'ecs:RegisterTaskDefinition', Resource: [`arn:aws:ecs:eu-west-1:${SHOP}:task-definition/cart:7`, `arn:aws:ecs:*:*:task-definition/etl-*`, `arn:aws:ecs:eu-west-1:${LEGACY}:task-definition/reports:*`] }),
      },
    ];
    const drift = checkAccess({ documents, services: FLEET, team: TEAM_A, profile: 'deploy' });
    expect(drift.uncovered).toEqual([
      { arn: arn(SHOP, 'eu-west-1', 'shop/cart'), accountId: SHOP, missingActions: ['ecs:RegisterTaskDefinition'] },
      { arn: arn(SHOP, 'us-east-1', 'shop-us/cart'), accountId: SHOP, missingActions: ['ecs:RegisterTaskDefinition'] },
    ]);
    // Operate registers nothing: the same documents leave nothing uncovered there.
    expect(checkAccess({ documents, services: FLEET, team: TEAM_A, profile: 'operate' }).uncovered).toEqual([]);
  });

  it('treats a policy granting ECS on * as covering everyone’s services', () => {
    const documents = [{ source: 'admin.json', document: doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }) }];
    const drift = checkAccess({ documents, services: FLEET, team: TEAM_B, profile: 'operate' });
    expect(drift.uncovered).toEqual([]);
    expect(drift.excess.map(e => e.owner).sort()).toEqual(FLEET.filter(s => s.owner !== TEAM_B).map(s => s.owner).sort());
  });

  it('lets an explicit Deny win and reads NotAction', () => {
    const documents = [
      {
        source: 'p.json',
        document: doc(
          { Effect: 'Allow', NotAction: ['iam:*'], Resource: `arn:aws:ecs:*:${SHOP}:service/shop/*` },
          { Effect: 'Deny', Action: 'ecs:UpdateService', Resource: arn(SHOP, 'eu-west-1', 'shop/checkout') },
        ),
      },
    ];
    const drift = checkAccess({ documents, services: FLEET, team: TEAM_A, profile: 'operate', accountId: SHOP });
    expect(drift.uncovered).toEqual([
      { arn: arn(SHOP, 'eu-west-1', 'shop/checkout'), accountId: SHOP, missingActions: ['ecs:UpdateService'] },
      { arn: arn(SHOP, 'us-east-1', 'shop-us/cart'), accountId: SHOP, missingActions: ['ecs:DescribeServices', 'ecs:ListTagsForResource', 'ecs:ListServiceDeployments', 'ecs:UpdateService'] },
    ]);
    expect(drift.excess.map(e => e.arn)).toEqual([arn(SHOP, 'eu-west-1', 'shop/search')]);
  });

  it('names service ARNs that are not in the fleet, unless their scope was not read', () => {
    const gone = arn(SHOP, 'eu-west-1', 'shop/legacy-cart');
    const unread = arn(DATA, 'eu-central-1', 'etl/ghost');
    const documents = [...generated(), { source: 'old.json', document: doc({ Effect: 'Allow', Action: 'ecs:UpdateService', Resource: [gone, unread, gone] }) }];
    const readShards = new Set([`${SHOP}/eu-west-1`, `${SHOP}/us-east-1`, `${LEGACY}/eu-west-1`]);
    const drift = checkAccess({ documents, services: FLEET, team: TEAM_A, profile: 'operate', readShards });
    expect(drift.unknown).toEqual([{ resource: gone, source: 'old.json' }]);
    expect(drift.notVerified).toEqual([{ resource: unread, source: 'old.json', reason: `account ${DATA}, region eu-central-1 was not read completely` }]);
    // The unread shard's own services are not judged either way.
    expect(drift.uncovered).toEqual([]);
  });
});
