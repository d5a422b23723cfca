import { createServiceFactory, createServiceRef } from '@backstage/backend-plugin-api';
import type { AccessConfig } from '../access/accessConfig';
import type { DriftReport } from '../report/driftReport';

export type DriftReportLoader = () => Promise<DriftReport | undefined>;

/**
 * Where the catalog module publishes each provider's latest drift report and
 * the report plugin reads it. A root service, so both plugins share one
 * instance; the loaders read from the catalog database, so every replica
 * serves the report of whichever replica scanned last.
 */
export class DriftReportRegistry {
  private readonly loaders = new Map<string, DriftReportLoader>();
  private readonly accessConfigs = new Map<string, AccessConfig>();

  /** `access` is the provider's `access` config block, for the IAM policies the plugin serves. */
  register(providerId: string, loader: DriftReportLoader, access: AccessConfig = { passRoles: [] }): void {
    this.loaders.set(providerId, loader);
    this.accessConfigs.set(providerId, access);
  }

  providers(): string[] {
    return [...this.loaders.keys()].sort();
  }

  access(providerId: string): AccessConfig | undefined {
    return this.accessConfigs.get(providerId);
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
