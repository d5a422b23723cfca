import type { OwnedService } from '../../src/access/ownedServices';

export const SHOP = '111111111111';
export const DATA = '222222222222';
export const LEGACY = '333333333333';

/** The task-definition family is the service's name unless `family` says otherwise; `null` for none. */
function service(
  accountId: string,
  region: string,
  cluster: string,
  name: string,
  owner: string,
  { oldFormat = false, family = name }: { oldFormat?: boolean; family?: string | null } = {},
): OwnedService {
  const base = `arn:aws:ecs:${region}:${accountId}`;
  return {
    arn: oldFormat ? `${base}:service/${name}` : `${base}:service/${cluster}/${name}`,
    clusterArn: `${base}:cluster/${cluster}`,
    accountId,
    region,
    owner,
    ...(family === null ? {} : { taskDefinitionFamily: family }),
  };
}

export const TEAM_A = 'group:default/team-a';
export const TEAM_B = 'group:default/team-b';
export const NOBODY = 'group:default/unknown';

/**
 * Team A runs services in three accounts and three regions, shares a cluster
 * with team B, and has one service with the old ARN format; nobody owns one.
 * Team A's checkout names no task definition of its own (its task sets do),
 * and team B's indexer runs the task-definition family of team A's loader.
 */
export const FLEET: OwnedService[] = [
  service(SHOP, 'eu-west-1', 'shop', 'cart', TEAM_A),
  service(SHOP, 'eu-west-1', 'shop', 'checkout', TEAM_A, { family: null }),
  service(SHOP, 'eu-west-1', 'shop', 'search', TEAM_B),
  service(SHOP, 'us-east-1', 'shop-us', 'cart', TEAM_A),
  service(SHOP, 'us-east-1', 'shop-us', 'mailer', NOBODY),
  service(DATA, 'eu-central-1', 'etl', 'loader', TEAM_A, { family: 'etl-jobs' }),
  service(DATA, 'eu-central-1', 'etl', 'indexer', TEAM_B, { family: 'etl-jobs' }),
  service(LEGACY, 'eu-west-1', 'default', 'monolith', TEAM_B, { oldFormat: true }),
  service(LEGACY, 'eu-west-1', 'default', 'reports', TEAM_A, { oldFormat: true }),
];

export const PASS_ROLES = ['arn:aws:iam::{accountId}:role/ecs-task-{team}', `arn:aws:iam::${SHOP}:role/shared-execution-role`];
