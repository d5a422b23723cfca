import type { OwnedService } from '../../src/access/ownedServices';

export const SHOP = '111111111111';
export const DATA = '222222222222';
export const LEGACY = '333333333333';

function service(accountId: string, region: string, cluster: string, name: string, owner: string, oldFormat = false): OwnedService {
  const base = `arn:aws:ecs:${region}:${accountId}`;
  return {
    arn: oldFormat ? `${base}:service/${name}` : `${base}:service/${cluster}/${name}`,
    clusterArn: `${base}:cluster/${cluster}`,
    accountId,
    region,
    owner,
  };
}

export const TEAM_A = 'group:default/team-a';
export const TEAM_B = 'group:default/team-b';
export const NOBODY = 'group:default/unknown';

/**
 * Team A runs services in two accounts and three regions, shares a cluster
 * with team B, and has one service with the old ARN format; nobody owns one.
 */
export const FLEET: OwnedService[] = [
  service(SHOP, 'eu-west-1', 'shop', 'cart', TEAM_A),
  service(SHOP, 'eu-west-1', 'shop', 'checkout', TEAM_A),
  service(SHOP, 'eu-west-1', 'shop', 'search', TEAM_B),
  service(SHOP, 'us-east-1', 'shop-us', 'cart', TEAM_A),
  service(SHOP, 'us-east-1', 'shop-us', 'mailer', NOBODY),
  service(DATA, 'eu-central-1', 'etl', 'loader', TEAM_A),
  service(DATA, 'eu-central-1', 'etl', 'indexer', TEAM_B),
  service(LEGACY, 'eu-west-1', 'default', 'monolith', TEAM_B, true),
  service(LEGACY, 'eu-west-1', 'default', 'reports', TEAM_A, true),
];

export const PASS_ROLES = ['arn:aws:iam::{accountId}:role/ecs-task-{team}', `arn:aws:iam::${SHOP}:role/shared-execution-role`];
