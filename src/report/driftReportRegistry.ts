import { createServiceFactory, createServiceRef } from '@backstage/backend-plugin-api';
import type { DriftReport } from './driftReport';

export type DriftReportLoader = () => Promise<DriftReport | undefined>;

/**
 * Where the catalog module publishes each provider's latest drift report and
 * the report plugin reads it. A root service, so both plugins share one
 * instance; the loaders read from the catalog database, so every replica
 * serves the report of whichever replica scanned last.
 */
export class DriftReportRegistry {
  private readonly loaders = new Map<string, DriftReportLoader>();

  register(providerId: string, loader: DriftReportLoader): void {
    this.loaders.set(providerId, loader);
  }

  providers(): string[] {
    return [...this.loaders.keys()].sort();
  }

  async latest(providerId: string): Promise<DriftReport | undefined> {
    const loader = this.loaders.get(providerId);
    return loader ? loader() : undefined;
  }
}

export const driftReportRegistryRef = createServiceRef<DriftReportRegistry>({
  id: 'ecs-catalog-sync.drift-report-registry',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {},
      factory: () => new DriftReportRegistry(),
    }),
});
