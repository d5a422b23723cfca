import { setTimeout as sleep } from 'node:timers/promises';
import type { DriftReport } from '../../src/report/driftReport';
import { ECS_SERVICE_FILTER, type CatalogApi } from './catalogApi';

export interface WaitOptions {
  /** Gives up after this long. */
  timeoutMs: number;
  /** Between two polls; default 1 s. */
  intervalMs?: number;
  /** Aborting stops the wait at once (it then rejects with the abort reason). */
  signal?: AbortSignal;
}

export class CatalogWaitTimeout extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogWaitTimeout';
  }
}

/** Sleeps one interval; an abort rejects with the signal's reason. */
async function pause(options: WaitOptions): Promise<void> {
  try {
    await sleep(options.intervalMs ?? 1000, undefined, { signal: options.signal });
  } catch (error) {
    options.signal?.throwIfAborted();
    throw error;
  }
}

/** Polls `/.backstage/health/v1/readiness` until it answers 200. */
export async function waitForReadiness(api: CatalogApi, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.signal?.throwIfAborted();
    if (await api.isReady()) return;
    if (Date.now() >= deadline) {
      throw new CatalogWaitTimeout(
        `the backend at ${api.baseUrl} was not ready after ${Math.round(options.timeoutMs / 1000)} s (${api.baseUrl}/.backstage/health/v1/readiness)`,
      );
    }
    await pause(options);
  }
}

/**
 * Waits for the first scan to have landed in the catalog: polls by-query
 * `spec.type=ecs-service` until the count is non-zero and the same in two
 * polls in a row (the provider commits all entities at once, then the catalog
 * processes and stitches them over the next moments). Returns the count.
 */
export async function waitForEcsEntities(api: CatalogApi, options: WaitOptions): Promise<number> {
  const deadline = Date.now() + options.timeoutMs;
  let previous: number | undefined;
  let lastError: unknown;
  for (;;) {
    options.signal?.throwIfAborted();
    let count: number | undefined;
    try {
      count = await api.count(ECS_SERVICE_FILTER);
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (count !== undefined && count > 0 && count === previous) return count;
    previous = count;
    if (Date.now() >= deadline) {
      const seen = count === undefined ? 'the catalog API did not answer' : `${count} ${ECS_SERVICE_FILTER} entities so far`;
      const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new CatalogWaitTimeout(
        `the first ECS scan had not landed in the catalog after ${Math.round(options.timeoutMs / 1000)} s (${seen}${cause}). ` +
          'Look for warnings from the catalog and the aws-ecs-entity-provider module above; LOG_LEVEL=debug shows every call.',
      );
    }
    await pause(options);
  }
}

/**
 * Triggers the provider's scan and waits for a drift report made after the
 * trigger. A trigger refused because the task is still running is tried
 * again on the next poll.
 */
export async function waitForDriftReport(api: CatalogApi, providerId: string, options: WaitOptions): Promise<DriftReport> {
  const deadline = Date.now() + options.timeoutMs;
  const triggeredAt = new Date().toISOString();
  let triggered = false;
  let lastError = '';
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      if (!triggered) {
        await api.triggerCatalogTask(`AwsEcsEntityProvider:${providerId}:refresh`);
        triggered = true;
      }
      const report = await api.driftReport(providerId);
      if (report && report.generatedAt >= triggeredAt) return report;
    } catch (error) {
      lastError = (error as Error).message;
    }
    if (Date.now() >= deadline) {
      throw new CatalogWaitTimeout(
        `no drift report for provider ${providerId} after ${Math.round(options.timeoutMs / 1000)} s${lastError ? ` (last error: ${lastError})` : ''}`,
      );
    }
    await pause(options);
  }
}
