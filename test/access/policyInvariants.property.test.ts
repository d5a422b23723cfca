import fc from 'fast-check';
import { check, RUNS } from '../properties/support';
import { checkAccess } from '../../src/access/accessDrift';
import type { OwnedService } from '../../src/access/ownedServices';
import { policySize, asList } from '../../src/access/policyDocument';
import { compilePolicies } from '../../src/access/policyMatch';
import { ACCESS_PROFILES, actionsOf, PROFILE_ACTIONS } from '../../src/access/profiles';
import { readDocument } from '../../src/access/readPolicies';
import { buildTeamPolicies, deploymentsOf, PolicyError, taskDefinitionsOf } from '../../src/access/teamPolicies';

const TEAMS = ['group:default/team-a', 'group:default/team-b', 'group:ops/team-c', 'group:default/unknown'];
const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-2'];
const PASS_ROLES = ['arn:aws:iam::{accountId}:role/ecs-task-{team}', 'arn:aws:iam::222222222222:role/shared'];

const serviceArb = fc
  .record({
    account: fc.constantFrom(...ACCOUNTS),
    region: fc.constantFrom(...REGIONS),
    cluster: fc.stringMatching(/^[a-zA-Z0-9_-]{1,24}$/),
    name: fc.stringMatching(/^[a-zA-Z0-9_-]{1,60}$/),
    owner: fc.constantFrom(...TEAMS),
    oldFormat: fc.boolean(),
    // Few names, so that teams share families; sometimes none, as under an external deployment controller.
    family: fc.option(fc.oneof(fc.constantFrom('api', 'worker', 'etl-jobs'), fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/)), { nil: undefined, freq: 6 }),
  })
  .map(({ account, region, cluster, name, owner, oldFormat, family }): OwnedService => {
    const base = `arn:aws:ecs:${region}:${account}`;
    return {
      arn: oldFormat ? `${base}:service/${name}` : `${base}:service/${cluster}/${name}`,
      clusterArn: `${base}:cluster/${cluster}`,
      accountId: account,
      region,
      owner,
      ...(family === undefined ? {} : { taskDefinitionFamily: family }),
    };
  });

const fleetArb = fc.uniqueArray(serviceArb, { selector: s => s.arn, maxLength: 120 });

const ACTION_GRAMMAR = /^(ecs|iam):[A-Za-z]+$/;
const ARN_OR_STAR = /^(\*|arn:aws:(ecs|iam):[a-z0-9-]*:\d{12}:[\w+=,.@\-/*]+(:\*)?)$/;

describe('every generated policy, for any fleet', () => {
  it('is valid IAM, within the size limit, grants only its profile’s actions, `*` only where ECS takes no resource, and only the team’s own services', async () => {
    await check(
      fc.asyncProperty(fleetArb, fc.constantFrom(...TEAMS), fc.constantFrom(...ACCESS_PROFILES), fc.integer({ min: 1200, max: 6144 }), async (fleet, team, profile, sizeLimit) => {
        let built;
        try {
          built = buildTeamPolicies({ services: fleet, team, profile, passRoles: PASS_ROLES, sizeLimit });
        } catch (error) {
          expect(error).toBeInstanceOf(PolicyError);
          const familyless = /in account (\d{12}), and none names one/.exec((error as Error).message)?.[1];
          if (familyless !== undefined) {
            // Deploy in an account where the team has nothing to register is refused, never granted on `*`.
            expect(profile).toBe('deploy');
            const there = fleet.filter(s => s.owner === team && s.accountId === familyless);
            expect(there.length).toBeGreaterThan(0);
            expect(there.every(s => s.taskDefinitionFamily === undefined)).toBe(true);
            return;
          }
          // A limit below one service's own document is refused, never met by dropping the service.
          const arn = /the policy for (\S+) alone is over/.exec((error as Error).message)?.[1];
          const alone = fleet.find(s => s.arn === arn);
          expect(alone?.owner).toBe(team);
          // Alone, a service without a family is refused under deploy: measure it with one, then without its statement.
          const probe = { ...alone!, taskDefinitionFamily: alone!.taskDefinitionFamily ?? 'x' };
          const [own] = buildTeamPolicies({ services: [probe], team, profile, passRoles: PASS_ROLES }).policies;
          const statements = own.document.Statement.filter(
            s => alone!.taskDefinitionFamily !== undefined || (s.Sid !== 'EcsTeamTaskDefinitions' && s.Sid !== 'EcsTeamServiceDeploys'),
          );
          expect(policySize({ ...own.document, Statement: statements })).toBeGreaterThan(sizeLimit);
          return;
        }
        const { policies } = built;
        const granted = new Map(actionsOf(profile).map(a => [a.action, a.scope]));
        const owned = fleet.filter(s => s.owner === team);
        expect(new Set(policies.map(p => p.accountId))).toEqual(new Set(owned.map(s => s.accountId)));

        const coveredServices: string[] = [];
        for (const policy of policies) {
          // Round-trips through the strict reader: the IAM grammar this package relies on.
          const document = readDocument(JSON.parse(JSON.stringify(policy.document)), policy.name);
          expect(policySize(document)).toBeLessThanOrEqual(sizeLimit);
          expect(policy.name).toMatch(/^[\w+=,.@-]{1,128}$/);
          const mine = owned.filter(s => s.accountId === policy.accountId);
          const allowed = {
            service: new Set(mine.map(s => s.arn)),
            // ECS authorizes a deployment against its service too: both are granted.
            serviceDeployment: new Set([...mine.map(s => s.arn), ...mine.map(deploymentsOf)]),
            cluster: new Set(mine.map(s => s.clusterArn)),
            taskDefinition: new Set(mine.flatMap(s => taskDefinitionsOf(s) ?? [])),
          };
          for (const statement of document.Statement) {
            expect(statement.Effect).toBe('Allow');
            const actions = asList(statement.Action);
            const resources = asList(statement.Resource);
            for (const action of actions) {
              expect(action).toMatch(ACTION_GRAMMAR);
              expect(granted.has(action)).toBe(true);
            }
            for (const resource of resources) expect(resource).toMatch(ARN_OR_STAR);
            const scopes = new Set(actions.map(a => granted.get(a)));
            expect(scopes.size).toBe(1);
            const [scope] = scopes;
            if (resources.includes('*')) {
              expect(['unscoped', 'unscopedInClusters']).toContain(scope);
              expect(resources).toEqual(['*']);
            }
            if (scope === 'unscopedInClusters') {
              for (const cluster of asList(statement.Condition!.ArnEquals['ecs:cluster'])) expect(allowed.cluster.has(cluster)).toBe(true);
            }
            if (scope === 'service' || scope === 'serviceDeployment' || scope === 'cluster' || scope === 'taskDefinition') {
              for (const resource of resources) expect(allowed[scope].has(resource)).toBe(true);
            }
            if (scope === 'service' && statement.Condition === undefined) coveredServices.push(...resources);
            if (statement.Condition?.Null) {
              // Restarts and scaling: granted only while the request names no task definition.
              expect(statement.Condition).toEqual({ Null: { 'ecs:task-definition': 'true' } });
            }
            if (statement.Condition?.ArnLike) {
              // Deploys: only to revisions of the families the team's services in this account run.
              const families = asList(statement.Condition.ArnLike['ecs:task-definition']);
              expect(families.length).toBeGreaterThan(0);
              for (const family of families) expect(allowed.taskDefinition.has(family)).toBe(true);
            }
            if (scope === 'serviceDeployment') {
              const services = resources.filter(r => r.includes(':service/'));
              expect(new Set(resources.filter(r => !r.includes(':service/')))).toEqual(new Set(services.map(arn => deploymentsOf(mine.find(s => s.arn === arn)!))));
            }
            if (scope === 'passRole') {
              for (const role of resources) expect(role.split(':')[4]).toBe(policy.accountId);
              expect(statement.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
            }
          }
        }
        // Split or not, each of the team's services is in exactly one document.
        expect(coveredServices.sort()).toEqual(owned.map(s => s.arn).sort());

        // Evaluated as IAM would: the profile on every own service, no service action on anyone else's;
        // a family registered exactly when one of the team's services runs it.
        const allows = compilePolicies(policies.map(p => p.document));
        const serviceActions = [...new Set(PROFILE_ACTIONS.filter(a => a.scope === 'service').map(a => a.action))];
        const ownRevisions = new Set(owned.flatMap(s => taskDefinitionsOf(s) ?? []));
        for (const s of fleet) {
          for (const action of serviceActions) {
            expect(allows(action, s.arn)).toBe(s.owner === team && granted.has(action));
          }
          const revisions = taskDefinitionsOf(s);
          if (revisions !== undefined) {
            expect(allows('ecs:RegisterTaskDefinition', revisions)).toBe(granted.has('ecs:RegisterTaskDefinition') && ownRevisions.has(revisions));
          }
        }
        const drift = checkAccess({ documents: policies.map(p => ({ source: p.name, document: p.document })), services: fleet, team, profile });
        expect(drift).toEqual({ team, profile, uncovered: [], excess: [], unknown: [], notVerified: [] });
      }),
      { numRuns: Math.max(1, Math.round(RUNS / 2)) },
    );
  });
});
