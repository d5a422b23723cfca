import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { AlphaEntity } from '@backstage/catalog-model/alpha';
import { type CatalogProcessor, type CatalogProcessorEmit, processingResult } from '@backstage/plugin-catalog-node';
import { ANNOTATION_SERVICE_ARN } from '../mapping/annotations';
import { ANNOTATION_SERVICE_TAGS, isProviderEntity } from '../reconcile/claims';
import type { DriftReport } from '../report/driftReport';
import { CLAIM_WARNING_TYPE, warningsFor } from '../report/entityWarnings';
import { claimsRefreshKey } from './claimsRefreshKey';

export interface ReportSource {
  providerId: string;
  latestReport(): Promise<DriftReport | undefined>;
}

// Claiming entities are processed often; reading the reports at most this often
// keeps that cheap, and a scan in this process invalidates the cache at once.
const CACHE_MS = 10_000;

/**
 * Shows the drift findings on the entities that claim ECS services, as
 * non-blocking `warning` status items, and registers those entities for the
 * refresh each scan triggers.
 */
export class AwsEcsClaimsProcessor implements CatalogProcessor {
  private cache?: { at: number; reports: Promise<DriftReport[]> };

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
    const warnings = (await this.reports()).flatMap(report => warningsFor(ref, report));
    if (warnings.length === 0) return entity;
    const current = entity as AlphaEntity;
    const kept = (current.status?.items ?? []).filter(item => item.type !== CLAIM_WARNING_TYPE);
    const result: AlphaEntity = { ...current, status: { ...current.status, items: [...kept, ...warnings] } };
    return result;
  }

  private reports(): Promise<DriftReport[]> {
    const now = Date.now();
    if (!this.cache || now - this.cache.at > CACHE_MS) {
      const reports = Promise.all(this.sources.map(s => s.latestReport())).then(list => list.filter((r): r is DriftReport => r !== undefined));
      reports.catch(() => this.invalidate());
      this.cache = { at: now, reports };
    }
    return this.cache.reports;
  }
}
