import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { AlphaEntity, EntityStatusItem } from '@backstage/catalog-model/alpha';
import { type CatalogProcessor, type CatalogProcessorEmit, processingResult } from '@backstage/plugin-catalog-node';
import { LABEL_CLAIM } from '../mapping/annotations';
import { type ClaimStatus, claimStatusByEntity, worseClaimStatus } from '../report/claimStatus';
import { CLAIM_WARNING_TYPE, warningsByEntity } from '../report/entityWarnings';
import { claimDigest } from '../reconcile/claimDigest';
import { isClaimingEntity } from '../reconcile/claimingEntities';
import { claimsRefreshKey } from './claimsRefreshKey';
import type { StoredReport } from './syncStateStore';

export interface ReportSource {
  providerId: string;
  latestStoredReport(): Promise<StoredReport | undefined>;
  /**
   * An entity the latest report saw otherwise: a claim that is new, changed
   * or fixed, or an owner the report found missing.
   */
  entityChanged(entityRef: string): void;
  /** An entity the latest report saw as it is now. */
  entitySettled(entityRef: string): void;
}

// The kinds an owner tag or rule can name (`spec.owner` refers to groups and users).
const OWNER_KINDS = new Set(['group', 'user']);

/** What the processor needs of a source's latest report; the report itself is not kept. */
interface LatestReport {
  warnings: Map<string, EntityStatusItem[]>;
  statuses: Map<string, ClaimStatus>;
  claims?: Record<string, string>;
  missingOwners?: Set<string>;
}

// Claiming entities are processed often; reading the reports at most this often
// keeps that cheap, and a scan in this process invalidates the cache at once.
const CACHE_MS = 10_000;

/**
 * Shows the drift findings on the entities that claim ECS services, as
 * non-blocking `warning` status items and the `aws.amazon.com/ecs-claim`
 * label the catalog can filter on, and registers those entities for the
 * refresh each scan triggers. A claim the latest report did not see (an
 * owner just fixed an annotation, or the catalog was still loading when the
 * last scan ran) is told to its provider, which reconciles again soon instead
 * of at the next scheduled scan.
 */
export class AwsEcsClaimsProcessor implements CatalogProcessor {
  private cache?: { at: number; reports: Promise<Array<LatestReport | undefined>> };

  constructor(private readonly sources: ReportSource[]) {}

  getProcessorName(): string {
    return 'AwsEcsClaimsProcessor';
  }

  invalidate(): void {
    this.cache = undefined;
  }

  async postProcessEntity(entity: Entity, _location: unknown, emit: CatalogProcessorEmit): Promise<Entity> {
    if (OWNER_KINDS.has(entity.kind.toLowerCase())) await this.noticeOwner(entity);
    // A label written by hand on an entity that claims nothing would put it in the claim filters.
    if (!isClaimingEntity(entity)) return withClaimLabel(entity, undefined);
    for (const source of this.sources) emit(processingResult.refresh(claimsRefreshKey(source.providerId)));
    const ref = stringifyEntityRef(entity);
    const key = ref.toLowerCase();
    const latest = await this.reports();
    const digest = claimDigest(entity);
    this.tell(ref, latest, report => report.claims && report.claims[key] === digest);
    const labelled = withClaimLabel(entity, claimStatusOf(key, latest));
    const warnings = latest.flatMap(l => l?.warnings.get(key) ?? []);
    if (warnings.length === 0) return labelled;
    const current = labelled as AlphaEntity;
    const kept = (current.status?.items ?? []).filter(item => item.type !== CLAIM_WARNING_TYPE);
    const result: AlphaEntity = { ...current, status: { ...current.status, items: [...kept, ...warnings] } };
    return result;
  }

  /**
   * A group or user that owner tags named while the catalog lacked it: the
   * owner drift its absence caused is stale as soon as it arrives, as on a
   * fresh start when the first scan ran before the catalog had loaded it.
   */
  private async noticeOwner(entity: Entity): Promise<void> {
    const ref = stringifyEntityRef(entity);
    const key = ref.toLowerCase();
    this.tell(ref, await this.reports(), report => report.missingOwners && !report.missingOwners.has(key));
  }

  /**
   * Tells each source whether its latest report saw the entity as it is
   * (`seenAsIs` true) or not (false); undefined, as for a report stored
   * before it kept what it saw, tells nothing.
   */
  private tell(ref: string, latest: Array<LatestReport | undefined>, seenAsIs: (report: LatestReport) => boolean | undefined): void {
    this.sources.forEach((source, i) => {
      const seen = latest[i] && seenAsIs(latest[i]);
      if (seen === true) source.entitySettled(ref);
      else if (seen === false) source.entityChanged(ref);
    });
  }

  /** The sources' latest reports with their warnings by entity, in the order of the sources. */
  private reports(): Promise<Array<LatestReport | undefined>> {
    const now = Date.now();
    if (!this.cache || now - this.cache.at > CACHE_MS) {
      const reports = Promise.all(
        this.sources.map(async s => {
          const stored = await s.latestStoredReport();
          return stored && { warnings: warningsByEntity(stored.report), statuses: claimStatusByEntity(stored.report), claims: stored.claims, missingOwners: stored.missingOwners && new Set(stored.missingOwners) };
        }),
      );
      reports.catch(() => this.invalidate());
      this.cache = { at: now, reports };
    }
    return this.cache.reports;
  }
}

/**
 * The worst finding any source's latest report has for the entity, `ok` when
 * a report saw its claim and found nothing, undefined when none has seen it
 * yet (it is scanned soon, and labelled then).
 */
function claimStatusOf(key: string, latest: Array<LatestReport | undefined>): ClaimStatus | undefined {
  let status: ClaimStatus | undefined;
  for (const report of latest) {
    if (!report) continue;
    const found = report.statuses.get(key) ?? (report.claims?.[key] !== undefined ? 'ok' : undefined);
    if (found) status = status ? worseClaimStatus(status, found) : found;
  }
  return status;
}

/** The entity with the claim label set to `status`, or without it; the same object when nothing changes. */
function withClaimLabel(entity: Entity, status: ClaimStatus | undefined): Entity {
  const labels = entity.metadata.labels ?? {};
  if (labels[LABEL_CLAIM] === status || (status === undefined && !(LABEL_CLAIM in labels))) return entity;
  const { [LABEL_CLAIM]: _dropped, ...others } = labels;
  return { ...entity, metadata: { ...entity.metadata, labels: status ? { ...others, [LABEL_CLAIM]: status } : others } };
}
