/**
 * The emulator's live view of the fleet, indexed for the requests it serves:
 * account -> region -> clusters sorted by ARN -> services sorted by ARN, plus
 * ARN lookups. No request scans the whole fleet; listing is a binary search
 * into a sorted array and a slice.
 *
 * Records are built once from the Fleet spec (defaults applied) and then only
 * changed through the mutation methods, which keep every index consistent.
 */
import {
  FLEET_DEFAULTS,
  clusterArnFor,
  serviceArnFor,
  validateClusterSpec,
  validateServiceSpec,
  type AccountStatus,
  type ClusterSpec,
  type Fleet,
  type LaunchType,
  type OrganizationSpec,
  type PrincipalSpec,
  type RoleSpec,
  type SchedulingStrategy,
  type ServiceSpec,
  type ServiceStatus,
  type Tags,
} from '../fleet';
import { deploymentIdFor, KEPT_ACTIVE_DEPLOYMENTS, type DeploymentRecord } from './deployments';
import { byArn, insertSorted, removeSorted } from './sorted';
import { parseTaskDefinitionRef, registerRevisions, type TaskDefinitionRegistry } from './taskDefinitions';

export type TagPairs = ReadonlyArray<readonly [string, string]>;

export interface ServiceRecord {
  readonly arn: string;
  readonly name: string;
  readonly cluster: ClusterRecord;
  status: ServiceStatus;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  readonly launchType?: LaunchType;
  readonly capacityProviders?: readonly string[];
  /** The PRIMARY deployment's task definition; UpdateService changes it. */
  taskDefinitionArn: string;
  /** Epoch seconds, as the JSON wire format carries timestamps. */
  readonly createdAt: number;
  /** PRIMARY first, then the replaced ones (ACTIVE), newest first. */
  deployments: DeploymentRecord[];
  /** How many deployments the service has had; numbers the next one's id. */
  deploymentCount: number;
  readonly schedulingStrategy: SchedulingStrategy;
  tags: TagPairs;
}

export interface ClusterRecord {
  readonly arn: string;
  readonly name: string;
  readonly region: RegionRecord;
  tags: TagPairs;
  /** ACTIVE and DRAINING services sorted by ARN: what ListServices pages over. */
  readonly listed: ServiceRecord[];
  /** Every service of the cluster, INACTIVE ones included, by name. */
  readonly byName: Map<string, ServiceRecord>;
}

export interface RegionRecord {
  readonly accountId: string;
  readonly region: string;
  /** Sorted by ARN. */
  readonly clusters: ClusterRecord[];
  readonly clustersByName: Map<string, ClusterRecord>;
  /** Every service of the region (all statuses) sorted by ARN: the Tagging API pages over it. */
  readonly services: ServiceRecord[];
  readonly taskDefinitions: TaskDefinitionRegistry;
}

/** What an UpdateService asks for, already validated against the fleet. */
export interface ServiceUpdate {
  desiredCount?: number;
  /** A registered revision's ARN. */
  taskDefinitionArn?: string;
  forceNewDeployment?: boolean;
}

export interface AccountRecord {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly status: AccountStatus;
  /** Epoch seconds. */
  readonly joinedAt: number;
  readonly roles: Map<string, RoleSpec>;
  readonly regions: Map<string, RegionRecord>;
}

function toPairs(tags: Tags | undefined | null): TagPairs {
  return tags ? Object.entries(tags) : [];
}

function epochSeconds(v: string | Date | undefined, def: string): number {
  const ms = v instanceof Date ? v.getTime() : Date.parse(v ?? def);
  return ms / 1000;
}

function taskDefinitionArn(td: string | undefined, serviceName: string, region: string, accountId: string): string {
  if (td?.startsWith('arn:')) return td;
  const familyRev = td === undefined ? `${serviceName}:1` : td.includes(':') ? td : `${td}:1`;
  return `arn:aws:ecs:${region}:${accountId}:task-definition/${familyRev}`;
}

export class FleetState {
  readonly accounts = new Map<string, AccountRecord>();
  /** Sorted by account id; Organizations ListAccounts pages over it. */
  readonly accountList: AccountRecord[] = [];
  readonly principals: readonly PrincipalSpec[];
  readonly organization?: OrganizationSpec;
  private readonly servicesByArn = new Map<string, ServiceRecord>();
  private readonly clustersByArn = new Map<string, ClusterRecord>();

  /** `fleet` must already be validated (parseFleet). */
  constructor(fleet: Fleet) {
    this.principals = fleet.principals ?? [];
    this.organization = fleet.organization;
    for (const acc of fleet.accounts) {
      const record: AccountRecord = {
        id: acc.id,
        name: acc.name ?? `account-${acc.id}`,
        email: acc.email ?? `aws+${acc.id}@example.com`,
        status: acc.status ?? FLEET_DEFAULTS.accountStatus,
        joinedAt: epochSeconds(acc.joinedAt, FLEET_DEFAULTS.joinedAt),
        roles: new Map((acc.roles ?? []).map((r) => [r.name, r])),
        regions: new Map(),
      };
      this.accounts.set(acc.id, record);
      this.accountList.push(record);
      for (const [region, spec] of Object.entries(acc.regions ?? {})) {
        const reg = this.ensureRegion(record, region);
        for (const td of spec?.taskDefinitions ?? []) {
          const ref = parseTaskDefinitionRef(td);
          if (ref?.revision !== undefined) registerRevisions(reg.taskDefinitions, ref.family, ref.revision, true);
        }
        for (const cl of spec?.clusters ?? []) {
          // Bulk load: append, sort once at the end (inserting sorted one by one
          // would be quadratic for big generated fleets).
          const cluster = this.newCluster(reg, cl);
          reg.clusters.push(cluster);
          for (const svc of cl.services ?? []) {
            const rec = this.newService(cluster, svc);
            reg.services.push(rec);
            if (rec.status !== 'INACTIVE') cluster.listed.push(rec);
          }
          cluster.listed.sort(byArn);
        }
        reg.clusters.sort(byArn);
        reg.services.sort(byArn);
      }
    }
    this.accountList.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  region(accountId: string, region: string): RegionRecord | undefined {
    return this.accounts.get(accountId)?.regions.get(region);
  }

  service(arn: string): ServiceRecord | undefined {
    return this.servicesByArn.get(arn);
  }

  cluster(arn: string): ClusterRecord | undefined {
    return this.clustersByArn.get(arn);
  }

  // ---- mutations (used by the Emulator API) --------------------------------

  addCluster(accountId: string, region: string, spec: ClusterSpec): ClusterRecord {
    validateClusterSpec(spec, region, accountId);
    const account = this.requireAccount(accountId);
    const reg = this.ensureRegion(account, region);
    if (reg.clustersByName.has(spec.name)) throw new Error(`cluster ${spec.name} already exists in ${accountId}/${region}`);
    const cluster = this.newCluster(reg, { ...spec, services: [] });
    insertSorted(reg.clusters, cluster);
    for (const svc of spec.services ?? []) this.addService(accountId, region, spec.name, svc);
    return cluster;
  }

  /** Removes the cluster and all its services completely (Describe reports them MISSING). */
  deleteCluster(accountId: string, region: string, clusterName: string): void {
    const reg = this.region(accountId, region);
    const cluster = reg?.clustersByName.get(clusterName);
    if (!reg || !cluster) throw new Error(`no cluster ${clusterName} in ${accountId}/${region}`);
    for (const svc of [...cluster.byName.values()]) this.purgeService(svc.arn);
    removeSorted(reg.clusters, cluster.arn);
    reg.clustersByName.delete(cluster.name);
    this.clustersByArn.delete(cluster.arn);
  }

  /**
   * Adds a service. Re-using the name of an INACTIVE service replaces it, as
   * re-creating a deleted service does in ECS; an ACTIVE/DRAINING one conflicts.
   */
  addService(accountId: string, region: string, clusterName: string, spec: ServiceSpec): ServiceRecord {
    validateServiceSpec(spec);
    const cluster = this.region(accountId, region)?.clustersByName.get(clusterName);
    if (!cluster) throw new Error(`no cluster ${clusterName} in ${accountId}/${region}`);
    const existing = cluster.byName.get(spec.name);
    if (existing) {
      if (existing.status !== 'INACTIVE') throw new Error(`service ${spec.name} already exists in cluster ${cluster.arn}`);
      this.purgeService(existing.arn);
    }
    const arn = serviceArnFor(region, accountId, clusterName, spec.name, spec.arnFormat);
    if (this.servicesByArn.has(arn)) throw new Error(`service ARN ${arn} is already used by another cluster's service`);
    const rec = this.newService(cluster, spec);
    insertSorted(cluster.region.services, rec);
    if (rec.status !== 'INACTIVE') insertSorted(cluster.listed, rec);
    return rec;
  }

  /** Like DeleteService: INACTIVE, still described, no longer listed. */
  deleteService(arn: string): void {
    const svc = this.requireService(arn);
    if (svc.status === 'INACTIVE') return;
    svc.status = 'INACTIVE';
    svc.desiredCount = 0;
    svc.runningCount = 0;
    svc.pendingCount = 0;
    removeSorted(svc.cluster.listed, arn);
  }

  /** Gone without a trace: DescribeServices reports it MISSING. */
  purgeService(arn: string): void {
    const svc = this.requireService(arn);
    removeSorted(svc.cluster.listed, arn);
    removeSorted(svc.cluster.region.services, arn);
    svc.cluster.byName.delete(svc.name);
    this.servicesByArn.delete(arn);
  }

  /**
   * UpdateService's effect: a new task definition or a forced deployment
   * makes a new PRIMARY deployment (the old one becomes ACTIVE, drained); a
   * count alone changes the PRIMARY deployment's count.
   * @param now epoch seconds
   */
  updateService(arn: string, update: ServiceUpdate, now: number): ServiceRecord {
    const svc = this.requireService(arn);
    if (svc.status === 'INACTIVE') throw new Error(`service ${arn} is INACTIVE`);
    const desiredCount = update.desiredCount ?? svc.desiredCount;
    const taskDefinitionArn = update.taskDefinitionArn ?? svc.taskDefinitionArn;
    const primary = svc.deployments[0];
    if (update.forceNewDeployment || taskDefinitionArn !== svc.taskDefinitionArn || !primary) {
      const replaced = svc.deployments.slice(0, KEPT_ACTIVE_DEPLOYMENTS).map(d => ({ ...d, status: 'ACTIVE' as const, desiredCount: 0, runningCount: 0, pendingCount: 0, updatedAt: now }));
      svc.deployments = [newDeployment(svc.arn, svc.deploymentCount, taskDefinitionArn, desiredCount, now), ...replaced];
      svc.deploymentCount++;
    } else {
      primary.desiredCount = desiredCount;
      primary.runningCount = desiredCount;
      primary.pendingCount = 0;
      primary.updatedAt = now;
    }
    svc.taskDefinitionArn = taskDefinitionArn;
    svc.desiredCount = desiredCount;
    svc.runningCount = desiredCount;
    svc.pendingCount = 0;
    return svc;
  }

  /** Adds or replaces a role of an account in the fleet. */
  putRole(accountId: string, role: RoleSpec): void {
    this.requireAccount(accountId).roles.set(role.name, role);
  }

  setServiceTags(arn: string, tags: Tags | null): void {
    this.requireService(arn).tags = toPairs(tags);
  }

  setClusterTags(arn: string, tags: Tags | null): void {
    const cluster = this.clustersByArn.get(arn);
    if (!cluster) throw new Error(`no cluster with ARN ${arn}`);
    cluster.tags = toPairs(tags);
  }

  // ---- internals -------------------------------------------------------------

  private requireAccount(id: string): AccountRecord {
    const acc = this.accounts.get(id);
    if (!acc) throw new Error(`account ${id} is not in the fleet`);
    return acc;
  }

  private requireService(arn: string): ServiceRecord {
    const svc = this.servicesByArn.get(arn);
    if (!svc) throw new Error(`no service with ARN ${arn}`);
    return svc;
  }

  private ensureRegion(account: AccountRecord, region: string): RegionRecord {
    let reg = account.regions.get(region);
    if (!reg) {
      reg = { accountId: account.id, region, clusters: [], clustersByName: new Map(), services: [], taskDefinitions: new Map() };
      account.regions.set(region, reg);
    }
    return reg;
  }

  private newCluster(reg: RegionRecord, spec: ClusterSpec): ClusterRecord {
    const cluster: ClusterRecord = {
      arn: clusterArnFor(reg.region, reg.accountId, spec.name),
      name: spec.name,
      region: reg,
      tags: toPairs(spec.tags),
      listed: [],
      byName: new Map(),
    };
    reg.clustersByName.set(spec.name, cluster);
    this.clustersByArn.set(cluster.arn, cluster);
    return cluster;
  }

  private newService(cluster: ClusterRecord, spec: ServiceSpec): ServiceRecord {
    const { region, accountId } = cluster.region;
    const status = spec.status ?? FLEET_DEFAULTS.serviceStatus;
    const inactive = status === 'INACTIVE';
    const desiredCount = spec.desiredCount ?? (inactive ? 0 : FLEET_DEFAULTS.desiredCount);
    const arn = serviceArnFor(region, accountId, cluster.name, spec.name, spec.arnFormat);
    const tdArn = taskDefinitionArn(spec.taskDefinition, spec.name, region, accountId);
    const createdAt = epochSeconds(spec.createdAt, FLEET_DEFAULTS.createdAt);
    const runningCount = spec.runningCount ?? desiredCount;
    const pendingCount = spec.pendingCount ?? FLEET_DEFAULTS.pendingCount;
    const td = parseTaskDefinitionRef(tdArn);
    // A task definition of another account or region is not this registry's to hold.
    if (td?.revision !== undefined && (td.region === undefined || (td.region === region && td.accountId === accountId))) {
      registerRevisions(cluster.region.taskDefinitions, td.family, td.revision);
    }
    const first = newDeployment(arn, 0, tdArn, desiredCount, createdAt);
    first.runningCount = runningCount;
    first.pendingCount = pendingCount;
    const rec: ServiceRecord = {
      arn,
      name: spec.name,
      cluster,
      status,
      desiredCount,
      runningCount,
      pendingCount,
      launchType: spec.capacityProviders ? undefined : (spec.launchType ?? FLEET_DEFAULTS.launchType),
      capacityProviders: spec.capacityProviders ? [...spec.capacityProviders] : undefined,
      taskDefinitionArn: tdArn,
      createdAt,
      deployments: [first],
      deploymentCount: 1,
      schedulingStrategy: spec.schedulingStrategy ?? FLEET_DEFAULTS.schedulingStrategy,
      tags: toPairs(spec.tags),
    };
    cluster.byName.set(rec.name, rec);
    this.servicesByArn.set(rec.arn, rec);
    return rec;
  }
}

function newDeployment(serviceArn: string, sequence: number, taskDefinitionArn: string, desiredCount: number, now: number): DeploymentRecord {
  return {
    id: deploymentIdFor(serviceArn, sequence),
    status: 'PRIMARY',
    taskDefinitionArn,
    desiredCount,
    runningCount: desiredCount,
    pendingCount: 0,
    createdAt: now,
    updatedAt: now,
    rolloutState: 'COMPLETED',
  };
}
