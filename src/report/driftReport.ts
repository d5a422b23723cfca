import type { Reconciliation } from '../reconcile/reconcile';
import type { Alert, DuplicateClaim, MalformedClaimFinding, NotVerified, OwnerDrift, Phantom, TabMismatch, Unclaimed } from '../reconcile/findings';
import { compareStrings } from '../scan/inventory';

/**
 * The drift report: one model that every renderer (JSON, Markdown, console,
 * HTML) draws from. Each finding names the owner it is addressed to, so
 * renderers can group by owner without knowing the catalog.
 */
export interface DriftReport {
  generatedAt: string;
  summary: {
    phantoms: number;
    unclaimed: number;
    ownerDrift: number;
    duplicateClaims: number;
    malformedClaims: number;
    tabMismatches: number;
    notVerified: number;
    alerts: number;
    liveServices: number;
    claimedServices: number;
    /** Share of live services that some entity claims, 0 to 1 (1 when there are none). */
    coverage: number;
    /** Every scope was read: a report without findings means no drift. */
    complete: boolean;
  };
  phantoms: Array<Phantom & Addressed>;
  unclaimed: Array<Unclaimed & Addressed>;
  /** `tagOwnerRef` becomes the finding's owner when no claiming entity declares one. */
  ownerDrift: Array<Omit<OwnerDrift, 'tagOwnerRef'> & Addressed>;
  duplicateClaims: Array<DuplicateClaim & Addressed>;
  malformedClaims: Array<MalformedClaimFinding & Addressed>;
  /** Claims the AWS Labs ECS entity tab reads otherwise than we do, with the value both read alike. */
  tabMismatches: Array<TabMismatch & Addressed>;
  notVerified: Array<NotVerified & Addressed>;
  alerts: Alert[];
}

export interface Addressed {
  /** Who should act: the claiming entity's owner, or the service's tag owner, or `unowned`. */
  owner: string;
}

export const UNOWNED = 'unowned';

export function buildDriftReport(reconciliation: Reconciliation, generatedAt: Date): DriftReport {
  const { findings, declaredOwners } = reconciliation;
  const ownerOf = (entityRef: string | null | undefined) => (entityRef ? declaredOwners.get(entityRef) ?? UNOWNED : UNOWNED);
  const complete = findings.alerts.length === 0 && findings.notVerified.length === 0;
  return {
    generatedAt: generatedAt.toISOString(),
    summary: {
      phantoms: findings.phantoms.length,
      unclaimed: findings.unclaimed.length,
      ownerDrift: findings.ownerDrift.length,
      duplicateClaims: findings.duplicateClaims.length,
      malformedClaims: findings.malformedClaims.length,
      tabMismatches: findings.tabMismatches.length,
      notVerified: findings.notVerified.length,
      alerts: findings.alerts.length,
      liveServices: findings.liveServices,
      claimedServices: findings.claimedServices,
      coverage: findings.liveServices === 0 ? 1 : Math.round((findings.claimedServices / findings.liveServices) * 10_000) / 10_000,
      complete,
    },
    phantoms: findings.phantoms.map(p => ({ ...p, owner: ownerOf(p.entityRef) })),
    unclaimed: findings.unclaimed.map(u => ({ ...u, owner: UNOWNED })),
    ownerDrift: findings.ownerDrift.map(({ tagOwnerRef, ...d }) => ({ ...d, owner: d.entityOwner ?? tagOwnerRef ?? d.tagOwner })),
    duplicateClaims: findings.duplicateClaims.map(d => ({ ...d, owner: ownerOf(d.entityRefs[0]) })),
    malformedClaims: findings.malformedClaims.map(m => ({ ...m, owner: ownerOf(m.entityRef) })),
    tabMismatches: findings.tabMismatches.map(t => ({ ...t, owner: ownerOf(t.entityRef) })),
    notVerified: findings.notVerified.map(n => ({ ...n, owner: ownerOf(n.entityRef) })),
    alerts: findings.alerts,
  };
}

/** Findings that someone must act on (alerts and unverified claims only make a report incomplete). */
export function findingCount(report: DriftReport): number {
  const s = report.summary;
  return ACTIONABLE_LISTS.reduce((n, key) => n + s[key], 0);
}

/** The report's lists of findings addressed to an owner, in the order every renderer shows them. */
export const FINDING_LISTS = ['phantoms', 'unclaimed', 'ownerDrift', 'duplicateClaims', 'malformedClaims', 'tabMismatches', 'notVerified'] as const;
export type FindingList = (typeof FINDING_LISTS)[number];

/** The lists someone must act on: an unverified claim is checked again by itself once its scope can be read. */
export const ACTIONABLE_LISTS = FINDING_LISTS.filter((key): key is Exclude<FindingList, 'notVerified'> => key !== 'notVerified');

/** The finding lists of a report, as one owner's share of them. */
export type OwnerFindings = Pick<DriftReport, FindingList>;

/** Each owner's findings, in one pass over the report and in the report's order. */
export function findingsByOwner(report: DriftReport): Map<string, OwnerFindings> {
  const byOwner = new Map<string, OwnerFindings>();
  for (const key of FINDING_LISTS) {
    for (const item of report[key]) {
      let mine = byOwner.get(item.owner);
      if (!mine) {
        mine = Object.fromEntries(FINDING_LISTS.map(k => [k, []])) as unknown as OwnerFindings;
        byOwner.set(item.owner, mine);
      }
      (mine[key] as Array<typeof item>).push(item);
    }
  }
  return byOwner;
}

/** Every owner that has something to act on, sorted, `unowned` last. */
export function ownersIn(report: DriftReport): string[] {
  const owners = new Set<string>();
  for (const key of FINDING_LISTS) for (const item of report[key]) owners.add(item.owner);
  return sortOwners(owners);
}

/** Owners in report order: sorted, `unowned` last. */
export function sortOwners(owners: Iterable<string>): string[] {
  return [...owners].sort((a, b) => (a === UNOWNED ? 1 : b === UNOWNED ? -1 : compareStrings(a, b)));
}
