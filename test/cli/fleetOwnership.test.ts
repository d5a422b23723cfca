import type { OwnedService } from '../../src/access/ownedServices';
import { explainNoServices, type FleetOwnership } from '../../src/cli/fleetOwnership';

const service = (accountId: string, name: string, owner: string): OwnedService => ({
  arn: `arn:aws:ecs:eu-west-1:${accountId}:service/c/${name}`,
  clusterArn: `arn:aws:ecs:eu-west-1:${accountId}:cluster/c`,
  accountId,
  region: 'eu-west-1',
  owner,
});
const services = [service('111111111111', 'a', 'group:default/team-a'), service('222222222222', 'b', 'group:default/team-b')];
const warnings = (team: string, accountId?: string) => {
  const lines: string[] = [];
  explainNoServices({ team, accountId, services } as FleetOwnership, line => lines.push(line));
  return lines;
};

describe('explainNoServices', () => {
  it('says nothing when the team owns a service in the scope asked about', () => {
    expect(warnings('group:default/team-a')).toEqual([]);
    expect(warnings('group:default/team-a', '111111111111')).toEqual([]);
  });

  it('names the owners found in that scope only, so the team itself is not listed for another account', () => {
    expect(warnings('group:default/team-a', '222222222222')).toEqual([
      'warning: group:default/team-a owns no live ECS service in the scanned scope of account 222222222222; owners found: group:default/team-b',
    ]);
    expect(warnings('group:default/team-c')).toEqual([
      'warning: group:default/team-c owns no live ECS service in the scanned scope; owners found: group:default/team-a, group:default/team-b',
    ]);
    expect(warnings('group:default/team-c', '333333333333')).toEqual([
      'warning: group:default/team-c owns no live ECS service in the scanned scope of account 333333333333; owners found: none',
    ]);
  });
});
