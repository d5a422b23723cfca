/**
 * Deterministic synthetic fleets for tests and benchmarks: the same options
 * always give the same fleet, and 100,000+ services take well under a second.
 *
 * `messy: true` adds what real fleets have and scanners trip over: owner tags
 * spelt owner/Owner/OWNER/team/Team, untagged services, DRAINING and INACTIVE
 * services, short (pre-2021) service ARNs, capacity-provider services, very long
 * names, account ids with leading zeros, a suspended account. Service names
 * repeat across clusters, regions and accounts in every mode.
 */
import type { AccountSpec, ClusterSpec, Fleet, RegionSpec, ServiceSpec, Tags } from './fleet';
import { mulberry32, pick, randInt, type Random } from './prng';

export interface GenerateFleetOptions {
  /** PRNG seed; default 1. */
  seed?: number;
  accounts: number;
  /** How many regions (taken from a fixed list, eu-west-1 first) or their names. */
  regions: number | string[];
  clustersPerRegion: number;
  servicesPerCluster: number;
  messy?: boolean;
  /** Role created in every account, trusted by the principal's account. Default backstage-ecs-read. */
  roleName?: string;
  /** ExternalId required by that role in every account; default none. */
  externalId?: string;
  /** The caller identity; lives in the first account, which is also the organization's management account. */
  principal?: { accessKeyId: string; secretAccessKey: string; arn?: string };
  /** Emit `organization` (default true). */
  organization?: boolean;
}

export const REGION_POOL: readonly string[] = [
  'eu-west-1', 'us-east-1', 'us-west-2', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1', 'eu-north-1',
  'us-east-2', 'ca-central-1', 'sa-east-1', 'ap-south-1', 'eu-west-2', 'eu-west-3', 'ap-southeast-1',
  'ap-northeast-2', 'us-west-1', 'eu-south-1', 'af-south-1', 'me-south-1', 'ap-east-1',
];

const TEAMS = [
  'payments', 'search', 'identity', 'platform', 'checkout', 'orders', 'ledger', 'notifications',
  'data', 'ml', 'growth', 'mobile', 'web', 'infra', 'security', 'billing',
];
const ENVS = ['prod', 'staging', 'dev', 'sandbox'];
const NOUNS = [
  'api', 'worker', 'gateway', 'indexer', 'scheduler', 'renderer', 'auth', 'ledger', 'cart', 'profile',
  'catalog', 'pricing', 'inventory', 'shipping', 'mailer', 'sms', 'push', 'reports', 'exporter', 'importer',
  'resizer', 'crawler', 'ranker', 'feed', 'session', 'token', 'audit', 'webhook', 'proxy', 'cache',
];
const ROLES = ['svc', 'consumer', 'producer', 'cron', 'web', 'grpc', 'admin', 'internal', 'public', 'batch'];
const OWNER_KEYS = ['owner', 'Owner', 'OWNER', 'team', 'Team'];
const COMPONENT_KEYS = ['component', 'Component', 'app', 'backstage.io/component'];
const LONG_FILLER = ['legacy', 'migration', 'compat', 'shadow', 'blue', 'green', 'canary', 'temporary', 'do_not_delete'];

const BASE_CREATED = Date.parse('2021-01-01T00:00:00Z');
const FOUR_YEARS_MS = 4 * 365 * 24 * 3600 * 1000;

export const DEFAULT_PRINCIPAL: Readonly<{ accessKeyId: string; secretAccessKey: string; arn?: string }> = {
  accessKeyId: 'AKIAEMULATORMAIN0001',
  secretAccessKey: 'emulator-secret',
};

function accountId(i: number, messy: boolean): string {
  // Ids below 100000000000 have leading zeros, which YAML and JSON number
  // parsing silently destroy: exactly the ids that break naive code.
  if (messy && i % 5 === 3) return String(i * 7 + 42).padStart(12, '0');
  return String(100000000000 + i);
}

/** Names used by service index j in every cluster, so names repeat fleet-wide. */
function serviceNames(count: number, messy: boolean, rand: Random): string[] {
  const names: string[] = [];
  const per = NOUNS.length * ROLES.length;
  for (let j = 0; j < count; j++) {
    let name = `${NOUNS[j % NOUNS.length]}-${ROLES[Math.floor(j / NOUNS.length) % ROLES.length]}`;
    if (j >= per) name += `-${Math.floor(j / per)}`;
    if (messy && j % 97 === 13) {
      // Very long names (ECS allows 255), still unique because the base is.
      const target = 80 + randInt(rand, 176);
      while (name.length < target) name += `-${pick(rand, LONG_FILLER)}`;
      name = name.slice(0, target).replace(/-+$/, '');
    }
    names.push(name);
  }
  return names;
}

function clusterName(k: number, accountIndex: number): string {
  const base = `${TEAMS[(k + accountIndex) % TEAMS.length]}-${ENVS[k % ENVS.length]}`;
  return k >= TEAMS.length ? `${base}-${k}` : base;
}

function serviceTags(rand: Random, messy: boolean, team: string, name: string, env: string): Tags | undefined {
  if (!messy) return { owner: `team-${team}`, component: name };
  const r = rand();
  if (r < 0.1) return undefined; // untagged
  if (r < 0.15) return { env }; // tagged, but not with an owner
  const owningTeam = rand() < 0.2 ? pick(rand, TEAMS) : team;
  const tags: Tags = { [pick(rand, OWNER_KEYS)]: `team-${owningTeam}` };
  if (rand() < 0.7) tags[pick(rand, COMPONENT_KEYS)] = name;
  if (rand() < 0.5) tags.env = env;
  return tags;
}

function service(rand: Random, messy: boolean, name: string, team: string, env: string, shortArnAllowed: boolean, j: number): ServiceSpec {
  const spec: ServiceSpec = { name };
  if (messy) {
    const r = rand();
    if (r < 0.03) spec.status = 'DRAINING';
    else if (r < 0.08) spec.status = 'INACTIVE';
    // Short ARNs only in a region's first cluster, where names are unique, so
    // `service/NAME` cannot collide across clusters.
    if (shortArnAllowed && j % 11 === 5) spec.arnFormat = 'short';
  }
  if (spec.status !== 'INACTIVE') {
    const desired = 1 + randInt(rand, 6);
    spec.desiredCount = desired;
    if (messy && rand() < 0.1) spec.runningCount = Math.max(0, desired - 1 - randInt(rand, 2));
  }
  if (messy && rand() < 0.15) spec.capacityProviders = rand() < 0.5 ? ['FARGATE_SPOT'] : ['FARGATE', 'FARGATE_SPOT'];
  else if (messy && rand() < 0.2) spec.launchType = rand() < 0.9 ? 'EC2' : 'EXTERNAL';
  spec.taskDefinition = `${name}:${1 + randInt(rand, 60)}`;
  spec.createdAt = new Date(BASE_CREATED + Math.floor(rand() * FOUR_YEARS_MS)).toISOString();
  const tags = serviceTags(rand, messy, team, name, env);
  if (tags) spec.tags = tags;
  return spec;
}

export function generateFleet(opts: GenerateFleetOptions): Fleet {
  const messy = opts.messy ?? false;
  const rand = mulberry32(opts.seed ?? 1);
  const regions = typeof opts.regions === 'number' ? REGION_POOL.slice(0, opts.regions) : [...opts.regions];
  if (typeof opts.regions === 'number' && opts.regions > REGION_POOL.length) {
    throw new Error(`generateFleet: at most ${REGION_POOL.length} regions, or pass region names`);
  }
  for (const [k, v] of Object.entries({ accounts: opts.accounts, clustersPerRegion: opts.clustersPerRegion, servicesPerCluster: opts.servicesPerCluster })) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`generateFleet: ${k} must be a non-negative integer`);
  }
  if (opts.accounts < 1) throw new Error('generateFleet: need at least one account (it holds the principal)');

  const roleName = opts.roleName ?? 'backstage-ecs-read';
  const names = serviceNames(opts.servicesPerCluster, messy, rand);
  const mainAccount = accountId(0, messy);
  const accounts: AccountSpec[] = [];

  for (let a = 0; a < opts.accounts; a++) {
    const id = accountId(a, messy);
    const team = TEAMS[a % TEAMS.length] as string;
    const account: AccountSpec = {
      id,
      name: a === 0 ? 'management' : `${team}-${ENVS[a % ENVS.length]}-${a}`,
      email: `aws+${id}@example.com`,
      roles: [{ name: roleName, trustedAccounts: [mainAccount], ...(opts.externalId !== undefined ? { externalId: opts.externalId } : {}) }],
      regions: {},
    };
    if (messy && a % 17 === 16) account.status = 'SUSPENDED';
    const regionMap: Record<string, RegionSpec> = {};
    for (const region of regions) {
      const clusters: ClusterSpec[] = [];
      for (let k = 0; k < opts.clustersPerRegion; k++) {
        const cname = clusterName(k, a);
        const cteam = cname.split('-')[0] as string;
        const env = ENVS[k % ENVS.length] as string;
        const services: ServiceSpec[] = new Array(names.length);
        for (let j = 0; j < names.length; j++) {
          services[j] = service(rand, messy, names[j] as string, cteam, env, k === 0, j);
        }
        const cluster: ClusterSpec = { name: cname, services };
        if (!messy || rand() < 0.7) cluster.tags = { env, owner: `team-${cteam}` };
        clusters.push(cluster);
      }
      regionMap[region] = { clusters };
    }
    account.regions = regionMap;
    accounts.push(account);
  }

  const principal = opts.principal ?? DEFAULT_PRINCIPAL;
  const fleet: Fleet = {
    principals: [
      {
        accessKeyId: principal.accessKeyId,
        secretAccessKey: principal.secretAccessKey,
        accountId: mainAccount,
        arn: principal.arn ?? `arn:aws:iam::${mainAccount}:user/backstage`,
      },
    ],
    accounts,
  };
  if (opts.organization ?? true) fleet.organization = { managementAccountId: mainAccount };
  return fleet;
}
