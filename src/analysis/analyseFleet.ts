import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { mapServices, type MappedServices } from '../mapping/mapServices';
import type { MappingOptions } from '../mapping/mappingOptions';
import { claimContexts } from '../reconcile/claimContext';
import { isClaimingEntity } from '../reconcile/claimingEntities';
import { explainPhantomsWith } from '../reconcile/phantomReasons';
import { reconcile, type Reconciliation } from '../reconcile/reconcile';
import { buildDriftReport, type DriftReport } from '../report/driftReport';
import { type EcsService, type Inventory, isLive } from '../scan/inventory';
import type { Lookups, LookupTarget } from '../scan/lookUpServices';

export interface FleetAnalysisInput {
  /** What runs: a scan, or the provider's stored state with the latest scan in it. */
  inventory: Inventory;
  /** Catalog entities, as many as the caller has: only the claiming ones are read. */
  entities: readonly Entity[];
  mapping: MappingOptions;
  /** Owners known to exist in the catalog besides `entities` (lower-case refs). */
  knownOwnerRefs?: ReadonlySet<string>;
  /** The services to turn into entities; the inventory's live services when absent. */
  servicesToMap?: readonly EcsService[];
  /** Asks ECS about the claimed ARNs a complete scan did not list; without it phantoms keep the scan's reason. */
  lookUp?: (targets: LookupTarget[]) => Promise<Lookups>;
  /** Which accounts' phantoms may be looked up (a scan group asks about its own). */
  lookUpIn?: (accountId: string) => boolean;
  now: Date;
}

export interface FleetAnalysis {
  /** The entities whose claims were read. */
  claimingEntities: Entity[];
  reconciliation: Reconciliation;
  report: DriftReport;
  /** Entities of `servicesToMap`, owners inherited from agreeing claimants. */
  mapped: MappedServices;
  lookupCalls: Lookups['calls'];
}

/**
 * The one way from a fleet and a catalog to findings, a report and entities:
 * the provider, `drift`, `iam-policy` and `iam-drift` all come through here,
 * so the same catalog gives the same answers wherever it is read from.
 */
export async function analyseFleet(input: FleetAnalysisInput): Promise<FleetAnalysis> {
  const claimingEntities = input.entities.filter(isClaimingEntity);
  // Every entity given exists, claiming or not: a Group in an entity file is an owner the tags may name.
  const known = new Set([...(input.knownOwnerRefs ?? []), ...input.entities.map(e => stringifyEntityRef(e).toLowerCase())]);
  const reconciled = reconcile({ inventory: input.inventory, entities: claimingEntities, mapping: input.mapping, knownEntityRefs: known });
  const { reconciliation, calls } = input.lookUp
    ? await explainPhantomsWith(reconciled, input.lookUp, input.lookUpIn)
    : { reconciliation: reconciled, calls: NO_CALLS };
  const services = input.servicesToMap ?? input.inventory.services.filter(isLive);
  const mapped = await mapServices(services, input.mapping, claimContexts(services, reconciliation));
  return { claimingEntities, reconciliation, report: buildDriftReport(reconciliation, input.now), mapped, lookupCalls: calls };
}

const NO_CALLS: Lookups['calls'] = [];
