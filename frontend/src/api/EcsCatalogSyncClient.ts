import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { EcsCatalogSyncApi } from './EcsCatalogSyncApi';
import type { DriftReport, EntityEcsView, Operation, OperationCapabilities, OperationRequest } from './types';

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

  async getOperationCapabilities(entityRef: string): Promise<OperationCapabilities> {
    return this.get<OperationCapabilities>('/operations/capabilities', { entityRef });
  }

  async listOperations(entityRef: string): Promise<Operation[]> {
    return (await this.get<{ items: Operation[] }>('/operations', { entityRef })).items;
  }

  async getOperation(id: string): Promise<Operation> {
    return this.get<Operation>(`/operations/${encodeURIComponent(id)}`, {});
  }

  async requestOperation(request: OperationRequest): Promise<Operation> {
    return this.post<Operation>('/operations', request);
  }

  async approveOperation(id: string, options: { comment?: string } = {}): Promise<Operation> {
    return this.post<Operation>(`/operations/${encodeURIComponent(id)}/approve`, options);
  }

  async rejectOperation(id: string, options: { comment: string }): Promise<Operation> {
    return this.post<Operation>(`/operations/${encodeURIComponent(id)}/reject`, options);
  }

  private async get<T>(path: string, query: Record<string, string | undefined>): Promise<T> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
    const search = params.toString();
    return this.send<T>(`${path}${search ? `?${search}` : ''}`);
  }

  private async post<T>(path: string, body: object): Promise<T> {
    return this.send<T>(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  }

  private async send<T>(pathAndQuery: string, init?: RequestInit): Promise<T> {
    const base = await this.discoveryApi.getBaseUrl('ecs-catalog-sync');
    const url = `${base}${pathAndQuery}`;
    const response = await this.fetchApi.fetch(url, init);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
