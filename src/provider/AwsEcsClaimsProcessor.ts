import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { AlphaEntity, EntityStatusItem } from '@backstage/catalog-model/alpha';
import { type CatalogProcessor, type CatalogProcessorEmit, processingResult } from '@backstage/plugin-catalog-node';
import { ANNOTATION_SERVICE_ARN } from '../mapping/annotations';
import { ANNOTATION_SERVICE_TAGS, isProviderEntity } from '../reconcile/claims';
import { CLAIM_WARNING_TYPE, warningsByEntity } from '../report/entityWarnings';
import { claimDigest } from '../reconcile/claimDigest';
import { isClaimingEntity } from './catalogView';
import { claimsRefreshKey } from './claimsRefreshKey';
import type { StoredReport } from './syncStateStore';

export interface ReportSource {
  providerId: string;
  latestStoredReport(): Promise<StoredReport | undefined>;
  /** A claiming entity says something the latest report did not see (a new, changed or fixed claim). */
  claimChanged(entityRef: string): void;
  /** A claiming entity says what the latest report saw. */
  claimSettled(entityRef: string): void;
}

interface LatestReport {
  stored: StoredReport;
  warnings: Map<string, EntityStatusItem[]>;
}

// Claiming entities are processed often; reading the reports at most this often
// keeps that cheap, and a scan in this process invalidates the cache at once.
const CACHE_MS = 10_000;

/**
 * Shows the drift findings on the entities that claim ECS services, as
 * non-blocking `warning` status items, and registers those entities for the
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
    const annotations = entity.metadata.annotations ?? {};
    if (isProviderEntity(entity) || (!(ANNOTATION_SERVICE_ARN in annotations) && !(ANNOTATION_SERVICE_TAGS in annotations))) {
      return entity;
    }
    for (const source of this.sources) emit(processingResult.refresh(claimsRefreshKey(source.providerId)));
    const ref = stringifyEntityRef(entity);
    const key = ref.toLowerCase();
    const latest = await this.reports();
    if (isClaimingEntity(entity)) {
      const digest = claimDigest(entity);
      this.sources.forEach((source, i) => {
        const claims = latest[i]?.stored.claims;
        if (!claims) return;
        if (claims[key] === digest) source.claimSettled(ref);
        else source.claimChanged(ref);
      });
    }
    const warnings = latest.flatMap(l => l?.warnings.get(key) ?? []);
    if (warnings.length === 0) return entity;
    const current = entity as AlphaEntity;
    const kept = (current.status?.items ?? []).filter(item => item.type !== CLAIM_WARNING_TYPE);
    const result: AlphaEntity = { ...current, status: { ...current.status, items: [...kept, ...warnings] } };
    return result;
  }

  /** The sources' latest reports with their warnings by entity, in the order of the sources. */
  private reports(): Promise<Array<LatestReport | undefined>> {
    const now = Date.now();
    if (!this.cache || now - this.cache.at > CACHE_MS) {
      const reports = Promise.all(
        this.sources.map(async s => {
          const stored = await s.latestStoredReport();
          return stored && { stored, warnings: warningsByEntity(stored.report) };
        }),
      );
      reports.catch(() => this.invalidate());
      this.cache = { at: now, reports };
    }
    return this.cache.reports;
  }
}
