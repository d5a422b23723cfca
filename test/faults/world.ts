import type { Entity } from '@backstage/catalog-model';
import type { EntityProvider } from '@backstage/plugin-catalog-node';
import type { Emulator, Fleet, ServiceSpec } from '../../dev/emulator';

/**
 * The fleet of the fault matrix and the truth about it: three accounts in two
 * regions (six shards), a handful of services in each, and the hand-written
 * components that claim them. Every change a test makes to the fleet goes
 * through a World, so the test always knows which services are live, and a
 * restarted emulator can be given the fleet exactly as it is now.
 */

export const A = '111111111111';
export const B = '222222222222';
export const C = '333333333333';
export const EU = 'eu-west-1';
export const US = 'us-east-1';
export const ACCOUNTS = [A, B, C];
export const REGIONS = [EU, US];
export const CLUSTER = 'apps';
/** A cluster big enough for two ListServices pages (the scan asks for 100 per page). */
export const BULK = 'bulk';
export const BULK_SERVICES = 130;

/** `account/region`, the shard key the scan and the report use. */
export const scopeOf = (accountId: string, region: string): string => `${accountId}/${region}`;
export const SCOPES = ACCOUNTS.flatMap(accountId => REGIONS.map(region => scopeOf(accountId, region)));

export const arnOf = (accountId: string, region: string, cluster: string, name: string): string =>
  `arn:aws:ecs:${region}:${accountId}:service/${cluster}/${name}`;

/** The scope an ECS service ARN points into. */
export function scopeOfArn(arn: string): string {
  const [, , , region, accountId] = arn.split(':');
  return scopeOf(accountId, region);
}

export const splitScope = (scope: string): { accountId: string; region: string } => {
  const [accountId, region] = scope.split('/');
  return { accountId, region };
};

/**
 * Long-lived keys, one per account. The main identity (the first) assumes the
 * `reader` role in every account; the others are for the rows that sign with
 * static keys per account (see the restart rows of the matrix).
 */
export const PRINCIPALS = [
  { accessKeyId: 'AKIAFAULTMATRIXA0001', secretAccessKey: 'fault-matrix-secret-a', accountId: A },
  { accessKeyId: 'AKIAFAULTMATRIXB0001', secretAccessKey: 'fault-matrix-secret-b', accountId: B },
  { accessKeyId: 'AKIAFAULTMATRIXC0001', secretAccessKey: 'fault-matrix-secret-c', accountId: C },
];

/** The shard that holds the one service the tag selector claim matches. */
export const LEDGER_SCOPE = scopeOf(B, US);
export const LEDGER_SELECTOR = 'app=ledger';

function shardServices(scope: string): ServiceSpec[] {
  return [
    { name: 'api' },
    { name: 'worker' },
    // Unclaimed: the fault rows delete it while the fault lasts.
    { name: 'spare' },
    { name: 'batch', launchType: 'EC2' },
    ...(scope === LEDGER_SCOPE ? [{ name: 'ledger', tags: { app: 'ledger' } }] : []),
  ];
}

interface Placed {
  accountId: string;
  region: string;
  cluster: string;
  spec: ServiceSpec;
}

export class World {
  /** scope → cluster names. */
  private readonly clusters = new Map<string, string[]>();
  /** ARN → where it runs and its spec (status INACTIVE once deleted). */
  private readonly services = new Map<string, Placed>();

  /**
   * @param emulator the emulator the fleet runs on (it may be replaced when it restarts)
   * @param options.bulk adds a cluster of 130 services to account C in eu-west-1
   */
  constructor(
    private readonly emulator: () => Emulator,
    options: { bulk?: boolean } = {},
  ) {
    for (const scope of SCOPES) {
      const { accountId, region } = splitScope(scope);
      this.clusters.set(scope, [CLUSTER]);
      for (const spec of shardServices(scope)) this.place(accountId, region, CLUSTER, spec);
    }
    if (options.bulk) {
      this.clusters.get(scopeOf(C, EU))!.push(BULK);
      for (let i = 0; i < BULK_SERVICES; i++) this.place(C, EU, BULK, { name: bulkName(i) });
    }
  }

  /** The fleet as it is now, for `startEmulator` and `replaceFleet`. */
  fleet(): Fleet {
    return {
      principals: PRINCIPALS,
      accounts: ACCOUNTS.map(id => ({
        id,
        roles: [{ name: 'reader' }],
        regions: Object.fromEntries(
          REGIONS.map(region => [
            region,
            {
              clusters: this.clusters.get(scopeOf(id, region))!.map(name => ({
                name,
                services: [...this.services.values()].filter(s => s.accountId === id && s.region === region && s.cluster === name).map(s => s.spec),
              })),
            },
          ]),
        ),
      })),
    };
  }

  /** ARNs of every ACTIVE service, sorted; optionally only in the given scopes. */
  live(scopes: readonly string[] = SCOPES): string[] {
    return [...this.services]
      .filter(([, s]) => (s.spec.status ?? 'ACTIVE') !== 'INACTIVE' && scopes.includes(scopeOf(s.accountId, s.region)))
      .map(([arn]) => arn)
      .sort();
  }

  /** DeleteService: INACTIVE, no longer listed, still described. */
  delete(arn: string): void {
    const placed = this.services.get(arn);
    if (!placed) throw new Error(`no service ${arn} in the world`);
    this.emulator().deleteService(arn);
    placed.spec = { ...placed.spec, status: 'INACTIVE' };
  }

  /** Gone without a trace: DescribeServices says MISSING. */
  purge(arn: string): void {
    if (!this.services.delete(arn)) throw new Error(`no service ${arn} in the world`);
    this.emulator().purgeService(arn);
  }

  add(accountId: string, region: string, cluster: string, spec: ServiceSpec): string {
    const arn = this.emulator().addService(accountId, region, cluster, spec);
    this.services.set(arn, { accountId, region, cluster, spec });
    return arn;
  }

  private place(accountId: string, region: string, cluster: string, spec: ServiceSpec): void {
    this.services.set(arnOf(accountId, region, cluster, spec.name), { accountId, region, cluster, spec });
  }
}

export const bulkName = (i: number): string => `svc-${String(i).padStart(3, '0')}`;

// ---- the hand-written side of the catalog -------------------------------------

const LETTER: Record<string, string> = { [A]: 'a', [B]: 'b', [C]: 'c' };
const REGION_SHORT: Record<string, string> = { [EU]: 'eu', [US]: 'us' };

export interface ArnClaim {
  entityRef: string;
  arn: string;
}

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: {
        'backstage.io/managed-by-location': 'url:https://example.com/catalog-info.yaml',
        'backstage.io/managed-by-origin-location': 'url:https://example.com/catalog-info.yaml',
        ...annotations,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}

/** One component per shard claiming its `api` by ARN, and one claiming two services in two shards. */
export const ARN_CLAIMS: ArnClaim[] = [
  ...SCOPES.map(scope => {
    const { accountId, region } = splitScope(scope);
    return { entityRef: `component:default/api-${LETTER[accountId]}-${REGION_SHORT[region]}`, arn: arnOf(accountId, region, CLUSTER, 'api') };
  }),
  { entityRef: 'component:default/platform', arn: arnOf(A, EU, CLUSTER, 'worker') },
  { entityRef: 'component:default/platform', arn: arnOf(B, US, CLUSTER, 'worker') },
];
export const SELECTOR_CLAIMANT = 'component:default/ledger';

const claimAnnotation = (arns: string[]) => ({ 'aws.amazon.com/amazon-ecs-service-arn': arns.join(', ') });

export const HAND_WRITTEN: Entity[] = [
  ...SCOPES.map(scope => {
    const { accountId, region } = splitScope(scope);
    return component(`api-${LETTER[accountId]}-${REGION_SHORT[region]}`, claimAnnotation([arnOf(accountId, region, CLUSTER, 'api')]));
  }),
  component('platform', claimAnnotation([arnOf(A, EU, CLUSTER, 'worker'), arnOf(B, US, CLUSTER, 'worker')])),
  component('ledger', { 'aws.amazon.com/amazon-ecs-service-tags': LEDGER_SELECTOR }),
];

/** The entities people wrote, as if read from catalog-info.yaml files. */
export class HandWrittenProvider implements EntityProvider {
  getProviderName(): string {
    return 'hand-written';
  }
  async connect(connection: Parameters<EntityProvider['connect']>[0]): Promise<void> {
    await connection.applyMutation({ type: 'full', entities: HAND_WRITTEN.map(entity => ({ entity, locationKey: 'hand-written' })) });
  }
}
