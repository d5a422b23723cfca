import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { EcsCatalogSyncApi } from './EcsCatalogSyncApi';
import type { DriftReport, EntityEcsView } from './types';

/**
 * Reads the drift plugin's routes through the app's fetch API, which adds the
 * signed-in user's token: the backend reads the catalog as that user.
 */
export class EcsCatalogSyncClient implements EcsCatalogSyncApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getEntityView(entity: CompoundEntityRef, options: { provider?: string } = {}): Promise<EntityEcsView> {
    const path = [entity.namespace, entity.kind, entity.name].map(encodeURIComponent).join('/');
    return this.get<EntityEcsView>(`/entity/${path}/claims`, options);
  }

  async getDriftReport(options: { provider?: string } = {}): Promise<DriftReport> {
    return this.get<DriftReport>('/drift', { ...options, format: 'json' });
  }

  async getProviders(): Promise<string[]> {
    return this.get<string[]>('/providers', {});
  }

  private async get<T>(path: string, query: Record<string, string | undefined>): Promise<T> {
    const base = await this.discoveryApi.getBaseUrl('ecs-catalog-sync');
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
    const search = params.toString();
    const response = await this.fetchApi.fetch(`${base}${path}${search ? `?${search}` : ''}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
