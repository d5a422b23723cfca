import type { DriftReport } from '../api/types';

/** The report's lists of findings, in the order the report shows them. */
export const FINDING_KINDS = ['phantoms', 'unclaimed', 'ownerDrift', 'duplicateClaims', 'malformedClaims', 'tabMismatches', 'notVerified'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const FINDING_KIND_LABELS: Record<FindingKind, string> = {
  phantoms: 'Phantom',
  unclaimed: 'Unclaimed',
  ownerDrift: 'Owner drift',
  duplicateClaims: 'Duplicate claim',
  malformedClaims: 'Malformed claim',
  tabMismatches: 'ECS tab mismatch',
  notVerified: 'Not verified',
};

/** One finding as a row of the page: who acts, on which entities and service, and what is wrong. */
export interface DriftRow {
  kind: FindingKind;
  owner: string;
  entityRefs: string[];
  /** The service the finding is about, when it names one. */
  arn: string | null;
  accountId: string | null;
  region: string | null;
  message: string;
}

const SERVICE_ARN = /^arn:[a-z-]+:ecs:([a-z0-9-]+):(\d{12}):service\//;

function where(arn: string | undefined | null): Pick<DriftRow, 'arn' | 'accountId' | 'region'> {
  const match = arn ? SERVICE_ARN.exec(arn) : null;
  return { arn: arn ?? null, region: match?.[1] ?? null, accountId: match?.[2] ?? null };
}

/** Every finding of the report as a row, in the report's order. */
export function driftRows(report: DriftReport): DriftRow[] {
  const rows: DriftRow[] = [];
  for (const p of report.phantoms) {
    const claim = p.arn !== undefined ? `${p.annotation} names ${p.arn}` : `${p.annotation} is "${p.selector}"`;
    const fix = p.suggestion ? ` Suggested: ${p.suggestion.arn} (${p.suggestion.why}).` : '';
    rows.push({ kind: 'phantoms', owner: p.owner, entityRefs: [p.entityRef], ...where(p.arn), message: `${claim}, but ${p.reason}.${fix}` });
  }
  for (const u of report.unclaimed) {
    rows.push({ kind: 'unclaimed', owner: u.owner, entityRefs: [], arn: u.arn, accountId: u.accountId, region: u.region, message: `No entity claims ${u.name} and nothing names its owner.` });
  }
  for (const d of report.ownerDrift) {
    rows.push({ kind: 'ownerDrift', owner: d.owner, entityRefs: d.entityRef ? [d.entityRef] : [], ...where(d.arn), message: `Owner tag "${d.tagOwner}": ${d.reason}.` });
  }
  for (const d of report.duplicateClaims) {
    rows.push({ kind: 'duplicateClaims', owner: d.owner, entityRefs: d.entityRefs, ...where(d.arn), message: `Claimed by ${d.entityRefs.length} entities: keep the claim in one.` });
  }
  for (const m of report.malformedClaims) {
    rows.push({ kind: 'malformedClaims', owner: m.owner, entityRefs: [m.entityRef], ...where(null), message: `${m.annotation} contains "${m.value}", which is ${m.reason}.` });
  }
  for (const t of report.tabMismatches) {
    const fix = t.suggestion ? ` Write ${t.suggestion.annotation}: ${t.suggestion.value}` : '';
    rows.push({ kind: 'tabMismatches', owner: t.owner, entityRefs: [t.entityRef], ...where(null), message: `${t.annotation} is "${t.value}": ${t.reason}.${fix}` });
  }
  for (const n of report.notVerified) {
    const arn = n.value.startsWith('arn:') ? n.value : null;
    rows.push({ kind: 'notVerified', owner: n.owner, entityRefs: [n.entityRef], ...where(arn), message: `${n.annotation} names ${n.value}: ${n.reason}.` });
  }
  return rows;
}

export interface DriftFilter {
  /** The owners to show; null for every owner. */
  owners: string[] | null;
  kind: FindingKind | null;
  accountId: string | null;
  region: string | null;
}

export function filterRows(rows: readonly DriftRow[], filter: DriftFilter): DriftRow[] {
  const owners = filter.owners?.map(o => o.toLowerCase());
  return rows.filter(
    row =>
      (!owners || owners.includes(row.owner.toLowerCase())) &&
      (!filter.kind || row.kind === filter.kind) &&
      (!filter.accountId || row.accountId === filter.accountId) &&
      (!filter.region || row.region === filter.region),
  );
}

/** The distinct values of one column, sorted, for a filter's choices. */
export function choices(rows: readonly DriftRow[], pick: (row: DriftRow) => string | null): string[] {
  return [...new Set(rows.map(pick).filter((v): v is string => v !== null))].sort();
}
