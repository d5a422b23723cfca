/**
 * What the demo reads from the running backend: the catalog through
 * `@backstage/catalog-client`, the readiness probe, the scheduler's trigger
 * and the drift report over plain `fetch`. The example config disables the
 * default auth policy, so no token is sent.
 */

import { CatalogClient } from '@backstage/catalog-client';
import type { DriftReport } from '../../src/report/driftReport';

/** An entity as the catalog REST API returns it (only the fields the demo reads). */
export interface CatalogEntity {
  apiVersion?: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  relations?: Array<{ type: string; targetRef: string }>;
  status?: { items?: Array<{ type: string; level: string; message: string }> };
}

export const ECS_SERVICE_FILTER = 'spec.type=ecs-service';

/** Paths a person can open in a browser. */
export function catalogLinks(baseUrl: string): { entities: string; byQuery: string } {
  const api = `${baseUrl.replace(/\/+$/, '')}/api/catalog`;
  return {
    entities: `${api}/entities?filter=${ECS_SERVICE_FILTER}`,
    byQuery: `${api}/entities/by-query?filter=${ECS_SERVICE_FILTER}`,
  };
}

export class CatalogApi {
  private readonly root: string;
  private readonly catalog: CatalogClient;

  constructor(
    readonly baseUrl: string,
    private readonly requestTimeoutMs = 10_000,
  ) {
    this.root = baseUrl.replace(/\/+$/, '');
    this.catalog = new CatalogClient({
      discoveryApi: { getBaseUrl: async () => `${this.root}/api/catalog` },
      fetchApi: { fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(this.requestTimeoutMs) }) },
    });
  }

  /** True when `/.backstage/health/v1/readiness` answers 200. */
  async isReady(): Promise<boolean> {
    try {
      const response = await fetch(`${this.root}/.backstage/health/v1/readiness`, { signal: AbortSignal.timeout(this.requestTimeoutMs) });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  }

  /** How many entities match a `key=value` filter, reading a single item. */
  async count(filter: string): Promise<number> {
    const answer = await this.catalog.queryEntities({ filter: filterOf(filter), limit: 1 });
    return answer.totalItems;
  }

  /** Every entity in the catalog, page by page. */
  async queryAll(): Promise<CatalogEntity[]> {
    const items: CatalogEntity[] = [];
    // The demo reads a handful of fields of whatever the catalog holds; its entities are the catalog's own.
    for await (const page of this.catalog.streamEntities({ pageSize: 500 })) items.push(...(page as unknown as CatalogEntity[]));
    return items;
  }

  /**
   * Runs an entity through the catalog's validation and returns the error
   * messages, none when it is valid. The catalog only accepts `url:` location refs here.
   */
  async validateEntity(entity: unknown, location: string): Promise<string[]> {
    const result = await this.catalog.validateEntity(entity as Parameters<CatalogClient['validateEntity']>[0], location);
    return result.valid ? [] : result.errors.map(e => e.message);
  }

  /** Asks the catalog's scheduler to run a task now (`POST .../scheduler/v1/tasks/:id/trigger`). */
  async triggerCatalogTask(taskId: string): Promise<void> {
    const path = `/api/catalog/.backstage/scheduler/v1/tasks/${encodeURIComponent(taskId)}/trigger`;
    const response = await fetch(`${this.root}${path}`, { method: 'POST', signal: AbortSignal.timeout(this.requestTimeoutMs) });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST ${path} answered ${response.status} ${response.statusText}: ${text.slice(0, 300)}`);
  }

  /** The provider's latest drift report from the report plugin, or undefined before the first one. */
  async driftReport(providerId: string): Promise<DriftReport | undefined> {
    try {
      return (await this.get(`/api/ecs-catalog-sync/drift?${new URLSearchParams({ provider: providerId, format: 'json' })}`)) as DriftReport;
    } catch (error) {
      if (/answered 404/.test((error as Error).message)) return undefined;
      throw error;
    }
  }

  private async get(pathAndQuery: string): Promise<unknown> {
    const response = await fetch(`${this.root}${pathAndQuery}`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(this.requestTimeoutMs),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`GET ${pathAndQuery} answered ${response.status} ${response.statusText}: ${text.slice(0, 300)}`);
    }
    return JSON.parse(text) as unknown;
  }
}

/** `spec.type=ecs-service` as the catalog client's filter object. */
function filterOf(filter: string): Record<string, string> {
  const eq = filter.indexOf('=');
  return { [filter.slice(0, eq)]: filter.slice(eq + 1) };
}
