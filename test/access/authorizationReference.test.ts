import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { OwnedService } from '../../src/access/ownedServices';
import { passRolesFor } from '../../src/access/passRoles';
import { asList, type PolicyDocument } from '../../src/access/policyDocument';
import { ACCESS_PROFILES, PROFILE_ACTIONS, type ResourceScope } from '../../src/access/profiles';
import { buildTeamPolicies, type TeamPolicies } from '../../src/access/teamPolicies';
import { actionReference, authorizationProblems, type TeamScope } from './authorizationReference';
import { DATA, FLEET, NOBODY, PASS_ROLES, SHOP, TEAM_A, TEAM_B } from './fixture';

function scopeOf(services: readonly OwnedService[], team: string, accountId: string, passRoles: readonly string[]): TeamScope {
  return { services: services.filter(s => s.owner === team && s.accountId === accountId), roles: passRolesFor(passRoles, team, accountId) };
}

function readGolden(dir: string): Array<[string, TeamPolicies]> {
  return readdirSync(path.join(__dirname, '..', dir))
    .filter(f => f.endsWith('.json'))
    .sort()
    .map(f => [`test/${dir}/${f}`, JSON.parse(readFileSync(path.join(__dirname, '..', dir, f), 'utf8')) as TeamPolicies]);
}

/** The services tagged for team-shop in the emulator fleet of test/cli/iamPolicyCli.test.ts. */
const CLI_FLEET: OwnedService[] = [
  ['111111111111', 'eu-west-1', 'shop', 'cart'],
  ['111111111111', 'us-east-1', 'shop-us', 'cart'],
  ['222222222222', 'eu-west-1', 'search', 'crawler'],
].map(([accountId, region, cluster, name]) => ({
  arn: `arn:aws:ecs:${region}:${accountId}:service/${cluster}/${name}`,
  clusterArn: `arn:aws:ecs:${region}:${accountId}:cluster/${cluster}`,
  accountId,
  region,
  owner: 'group:default/team-shop',
  taskDefinitionFamily: name,
}));
const CLI_PASS_ROLES = ['arn:aws:iam::{accountId}:role/ecs-task-{team}'];

/** What was checked, the policies, and the fleet and role templates they were made from. */
type Checked = [string, TeamPolicies, readonly OwnedService[], readonly string[]];

/** Every golden file, and every team and profile of the fixture fleet. */
const CHECKED: Checked[] = [
  ...readGolden('access/golden').map(([name, policies]): Checked => [name, policies, FLEET, PASS_ROLES]),
  ...readGolden('cli/golden').map(([name, policies]): Checked => [name, policies, CLI_FLEET, CLI_PASS_ROLES]),
  ...[TEAM_A, TEAM_B, NOBODY].flatMap(team =>
    ACCESS_PROFILES.map((profile): Checked => [`the ${profile} policies of ${team}`, buildTeamPolicies({ services: FLEET, team, profile, passRoles: PASS_ROLES }), FLEET, PASS_ROLES]),
  ),
];

/** The resource types each scope grants on; the reference decides which ones an action requires and takes. */
const SCOPE_TYPES: Record<ResourceScope, string[]> = {
  unscoped: [],
  unscopedInClusters: [],
  cluster: ['cluster'],
  service: ['service'],
  serviceDeployment: ['service', 'service-deployment'],
  taskDefinition: ['task-definition'],
  passRole: ['role'],
};

describe('the access profiles, checked against the Service Authorization Reference', () => {
  it.each(PROFILE_ACTIONS.map(a => [a.action, a.scope] as const))('%s is granted on the resource types the reference requires (%s)', async (action, scope) => {
    const reference = await actionReference(action);
    expect(reference).toBeDefined();
    const required = reference!.types.filter(t => t.required).map(t => t.name);
    const accepted = reference!.types.map(t => t.name);
    for (const type of required) expect(SCOPE_TYPES[scope]).toContain(type);
    for (const type of SCOPE_TYPES[scope]) expect(accepted).toContain(type);
    // `*` for exactly the actions that take no resource type.
    expect(scope === 'unscoped' || scope === 'unscopedInClusters').toBe(accepted.length === 0);
  });

  it.each(CHECKED)('%s: every document agrees with the reference and names only the team’s resources', async (_, policies, fleet, passRoles) => {
    expect(policies.policies.length).toBeGreaterThan(0);
    for (const policy of policies.policies) {
      const problems = await authorizationProblems(policy.document, scopeOf(fleet, policies.team, policy.accountId, passRoles));
      expect({ policy: policy.name, problems }).toEqual({ policy: policy.name, problems: [] });
    }
  });

  it('checks every action a profile grants, and golden files of every profile', () => {
    const actions = CHECKED.flatMap(([, policies]) => policies.policies.flatMap(p => p.document.Statement.flatMap(s => asList(s.Action))));
    expect([...new Set(actions)].sort()).toEqual([...new Set(PROFILE_ACTIONS.map(a => a.action))].sort());
    expect(new Set(CHECKED.filter(([name]) => name.includes('golden/')).map(([, policies]) => policies.profile))).toEqual(new Set(ACCESS_PROFILES));
  });
});

describe('a broken document fails the reference check', () => {
  const team = scopeOf(FLEET, TEAM_A, SHOP, PASS_ROLES);
  // Through JSON, as IAM gets it: the generator may share one list between a Resource and a Condition.
  const deploy = (): PolicyDocument =>
    JSON.parse(JSON.stringify(buildTeamPolicies({ services: FLEET, team: TEAM_A, profile: 'deploy', passRoles: PASS_ROLES, accountId: SHOP }).policies[0].document));
  const statement = (document: PolicyDocument, sid: string) => document.Statement.find(s => s.Sid === sid)!;
  const ecs = (region: string, resource: string, account = SHOP) => `arn:aws:ecs:${region}:${account}:${resource}`;

  it('starts from a document that passes', async () => {
    expect(await authorizationProblems(deploy(), team)).toEqual([]);
  });

  it.each<[string, (document: PolicyDocument) => void, string[]]>([
    [
      'another team’s service',
      d => (statement(d, 'EcsTeamServices').Resource as string[]).push(ecs('eu-west-1', 'service/shop/search')),
      ['DescribeServices', 'ListTagsForResource', 'ListServiceDeployments'].map(
        a => `EcsTeamServices: ecs:${a} is granted on ${ecs('eu-west-1', 'service/shop/search')}, a service that is not the team's`,
      ),
    ],
    [
      'another team’s task-definition family',
      d => (statement(d, 'EcsTeamTaskDefinitions').Resource as string[]).push(ecs('eu-west-1', 'task-definition/search:*')),
      [`EcsTeamTaskDefinitions: ecs:RegisterTaskDefinition is granted on ${ecs('eu-west-1', 'task-definition/search:*')}, a task-definition that is not the team's`],
    ],
    [
      'another account’s deployments',
      d => (statement(d, 'EcsTeamServiceDeployments').Resource as string[]).push(ecs('eu-central-1', 'service-deployment/etl/loader/*', DATA)),
      [`EcsTeamServiceDeployments: ecs:DescribeServiceDeployments is granted on ${ecs('eu-central-1', 'service-deployment/etl/loader/*', DATA)}, a service-deployment that is not the team's`],
    ],
    [
      'a cluster the team runs nothing in, as the condition of ListServices',
      d => statement(d, 'EcsListInTeamClusters').Condition!.ArnEquals['ecs:cluster'] = [ecs('us-east-1', 'cluster/shop-us'), ecs('eu-west-1', 'cluster/payments')],
      [`EcsListInTeamClusters: condition ecs:cluster names ${ecs('eu-west-1', 'cluster/payments')}, which is not the team's`],
    ],
    [
      'another team’s role to pass',
      d => (statement(d, 'PassTeamTaskRoles').Resource as string[]).push(`arn:aws:iam::${SHOP}:role/ecs-task-team-b`),
      [`PassTeamTaskRoles: iam:PassRole is granted on arn:aws:iam::${SHOP}:role/ecs-task-team-b, a role that is not the team's`],
    ],
    [
      'a misspelt action',
      d => (statement(d, 'EcsTeamServices').Action as string[]).splice(0, 1, 'ecs:DescribeService'),
      ['EcsTeamServices: ecs:DescribeService is not an action in the Service Authorization Reference'],
    ],
    [
      'RegisterTaskDefinition on "*", as the deploy profile once granted it',
      d => (statement(d, 'EcsActionsWithoutResource').Action as string[]).push('ecs:RegisterTaskDefinition'),
      ['EcsActionsWithoutResource: ecs:RegisterTaskDefinition takes task-definition resources and is granted on "*"'],
    ],
    [
      'DescribeServiceDeployments on the deployments alone, as every profile once granted it',
      d => {
        const s = statement(d, 'EcsTeamServiceDeployments');
        s.Resource = asList(s.Resource).filter(r => r.includes(':service-deployment/'));
      },
      ['EcsTeamServiceDeployments: ecs:DescribeServiceDeployments requires a service resource, and the statement names none'],
    ],
    [
      'a resource for an action that takes none',
      d => (statement(d, 'EcsActionsWithoutResource').Resource = [ecs('eu-west-1', 'cluster/shop')]),
      [`EcsActionsWithoutResource: ecs:ListClusters takes no resource type, so its only resource is "*", not ["${ecs('eu-west-1', 'cluster/shop')}"]`],
    ],
    [
      'a resource of a type the action does not take',
      d => (statement(d, 'EcsTeamClusters').Resource as string[]).push(ecs('eu-west-1', 'service/shop/cart')),
      [`EcsTeamClusters: ecs:DescribeClusters takes cluster resources, and ${ecs('eu-west-1', 'service/shop/cart')} has the ARN format of none of them`],
    ],
    [
      'a condition key the action does not have',
      d => (statement(d, 'EcsListInTeamClusters').Condition!.StringEquals = { 'ecs:task-definition': 'cart' }),
      ['EcsListInTeamClusters: ecs:ListServices has no condition key ecs:task-definition, nor is it a global one', "EcsListInTeamClusters: condition ecs:task-definition names cart, which is not the team's"],
    ],
    [
      'a deploy to another team’s task-definition family',
      d => (statement(d, 'EcsTeamServiceDeploys').Condition!.ArnLike['ecs:task-definition'] as string[]).push(ecs('eu-west-1', 'task-definition/search:*')),
      [`EcsTeamServiceDeploys: condition ecs:task-definition names ${ecs('eu-west-1', 'task-definition/search:*')}, which is not the team's`],
    ],
    [
      'a deploy to any revision of any family',
      d => (statement(d, 'EcsTeamServiceDeploys').Condition!.ArnLike['ecs:task-definition'] = [ecs('eu-west-1', 'task-definition/*')]),
      [`EcsTeamServiceDeploys: condition ecs:task-definition names ${ecs('eu-west-1', 'task-definition/*')}, which is not the team's`],
    ],
  ])('%s', async (_, breakIt, expected) => {
    const document = deploy();
    breakIt(document);
    expect(await authorizationProblems(document, team)).toEqual(expected);
  });

  it('accepts a global condition key and the short ARN of a service created before 2021', async () => {
    const legacy = scopeOf(FLEET, TEAM_A, '333333333333', PASS_ROLES);
    const [document] = buildTeamPolicies({ services: FLEET, team: TEAM_A, profile: 'operate', accountId: '333333333333' }).policies.map(p => p.document);
    expect(asList(statement(document, 'EcsTeamServices').Resource)).toEqual(['arn:aws:ecs:eu-west-1:333333333333:service/reports']);
    statement(document, 'EcsTeamServices').Condition = { StringEquals: { 'aws:ResourceTag/owner': 'team-a', 'aws:PrincipalTag/team': 'team-a' } };
    expect(await authorizationProblems(document, legacy)).toEqual([]);
  });
});

describe('the reference stays out of the product', () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap(e => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
  const SRC = path.join(__dirname, '..', '..', 'src');
  const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map(m => m[1]);

  it('imports no @cloud-copilot package anywhere in src, the reference being a development dependency', () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter(f => importsOf(f).some(i => i.startsWith('@cloud-copilot/')))).toEqual([]);
  });

  it('keeps src/access pure: no Node I/O, no AWS SDK', () => {
    const files = sources(path.join(SRC, 'access'));
    expect(files.flatMap(importsOf)).toContain('./policyDocument');
    const offending = files.flatMap(f => importsOf(f).filter(i => i.startsWith('node:') || /^(fs|path|http|https|net|child_process)$/.test(i) || i.startsWith('@aws-sdk/')).map(i => `${path.basename(f)}: ${i}`));
    expect(offending).toEqual([]);
  });
});
