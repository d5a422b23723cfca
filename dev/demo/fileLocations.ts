import type { Config } from '@backstage/config';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseAllDocuments } from 'yaml';
import type { CatalogApi, CatalogEntity } from './catalogApi';
import { entityRef } from './summary';

/** The entities a `type: file` catalog location holds, read from the file as the catalog reads it. */
export interface FileLocation {
  /** Absolute path. */
  path: string;
  entities: Array<{ ref: string; entity: CatalogEntity }>;
  /** Set when the file could not be read or parsed. */
  error?: string;
}

/** A hand-written entity that is in its file but not in the catalog, with the catalog's reason when it gave one. */
export interface NotLoaded {
  file: string;
  ref: string;
  reasons: string[];
}

/** Every `catalog.locations` entry of `type: file` (targets are absolute once `readConfigFileAlone` read them). */
export function readFileLocations(config: Config): FileLocation[] {
  return (config.getOptionalConfigArray('catalog.locations') ?? [])
    .filter(location => location.getString('type') === 'file')
    .map(location => {
      const file = path.resolve(location.getString('target'));
      try {
        const entities = parseAllDocuments(readFileSync(file, 'utf8'))
          .map(doc => doc.toJS() as unknown)
          .filter((value): value is CatalogEntity => isEntityLike(value))
          .map(entity => ({ ref: entityRef(entity), entity }));
        return { path: file, entities };
      } catch (error) {
        return { path: file, entities: [], error: error instanceof Error ? error.message : String(error) };
      }
    });
}

/**
 * The entities of the file locations that the catalog does not hold. The
 * catalog never publishes an entity that failed validation and logs nothing
 * about it, so each one is run through `POST /validate-entity` for the reason.
 */
export async function findNotLoaded(api: CatalogApi, locations: FileLocation[], catalog: CatalogEntity[]): Promise<NotLoaded[]> {
  const present = new Set(catalog.map(e => entityRef(e).toLowerCase()));
  const missing = locations.flatMap(location =>
    location.entities.filter(e => !present.has(e.ref.toLowerCase())).map(e => ({ file: location.path, ...e })),
  );
  return Promise.all(
    missing.map(async ({ file, ref, entity }) => {
      let reasons: string[];
      try {
        reasons = await api.validateEntity(entity, `url:${new URL(`file://${file}`).href}`);
      } catch (error) {
        reasons = [`could not ask the catalog why: ${error instanceof Error ? error.message : String(error)}`];
      }
      return { file, ref, reasons };
    }),
  );
}

/**
 * Reads the whole catalog once the hand-written entities have settled: every
 * entity of the file locations is either in the catalog or rejected by its
 * validation (entities that are valid but missing are still being processed).
 * Gives up waiting after `timeoutMs` and reports what it has.
 */
export async function readSettledCatalog(
  api: CatalogApi,
  locations: FileLocation[],
  options: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal },
): Promise<{ entities: CatalogEntity[]; notLoaded: NotLoaded[] }> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const entities = await api.queryAll();
    const notLoaded = await findNotLoaded(api, locations, entities);
    if (notLoaded.every(n => n.reasons.length > 0) || Date.now() >= deadline) return { entities, notLoaded };
    await sleep(options.intervalMs ?? 1000, undefined, { signal: options.signal });
  }
}

function isEntityLike(value: unknown): value is CatalogEntity {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { kind?: unknown; metadata?: { name?: unknown } };
  return typeof candidate.kind === 'string' && typeof candidate.metadata?.name === 'string';
}
