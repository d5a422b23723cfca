/**
 * The few catalog REST API calls the demo makes, over plain `fetch`. The
 * example config disables the default auth policy, so no token is sent.
 */

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

  constructor(
    readonly baseUrl: string,
    private readonly requestTimeoutMs = 10_000,
  ) {
    this.root = baseUrl.replace(/\/+$/, '');
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

  /** `totalItems` of a by-query filter, reading a single item. */
  async count(filter: string): Promise<number> {
    const body = (await this.get(`/api/catalog/entities/by-query?${new URLSearchParams({ filter, limit: '1' })}`)) as { totalItems?: number };
    if (typeof body.totalItems !== 'number') throw new Error('the catalog answered by-query without totalItems');
    return body.totalItems;
  }

  /** Every entity matching the filters (several filters are ORed), following the cursor. */
  async queryAll(filters: string[] = []): Promise<CatalogEntity[]> {
    const items: CatalogEntity[] = [];
    const first = new URLSearchParams({ limit: '500' });
    for (const filter of filters) first.append('filter', filter);
    let query = first.toString();
    for (;;) {
      const body = (await this.get(`/api/catalog/entities/by-query?${query}`)) as {
        items: CatalogEntity[];
        pageInfo?: { nextCursor?: string };
      };
      items.push(...body.items);
      const next = body.pageInfo?.nextCursor;
      if (!next) return items;
      query = new URLSearchParams({ cursor: next, limit: '500' }).toString();
    }
  }

  /**
   * Runs an entity through the catalog's validation (`POST /validate-entity`)
   * and returns the error messages, none when it is valid. The catalog only
   * accepts `url:` location refs here.
   */
  async validateEntity(entity: unknown, location: string): Promise<string[]> {
    const response = await fetch(`${this.root}/api/catalog/validate-entity`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ entity, location }),
      signal: AbortSignal.timeout(this.requestTimeoutMs),
    });
    const text = await response.text();
    if (response.ok) return [];
    try {
      const body = JSON.parse(text) as { errors?: Array<{ message?: string }>; error?: { message?: string } };
      const messages = (body.errors ?? (body.error ? [body.error] : [])).map(e => e.message ?? 'unknown error');
      if (messages.length > 0) return messages;
    } catch {
      // not JSON: fall through
    }
    return [`validate-entity answered ${response.status} ${response.statusText}`];
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
