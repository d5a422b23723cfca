import { CatalogClient } from '@backstage/catalog-client';
import type { Entity } from '@backstage/catalog-model';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { LocatedEntity } from '../fix/planFixes';
import { UsageError } from './usageError';

/**
 * The entities could not be read: the message names the file (or catalog URL)
 * and, for a file, the document and item at fault. Never holds a token.
 */
export class EntitiesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EntitiesError';
  }
}

/**
 * Reads entities from a file the way a user writes them:
 *
 * - YAML (`.yaml`, `.yml`, anything not `.json`): one or many documents
 *   separated by `---`, each an entity or a list of entities (empty documents
 *   are skipped);
 * - JSON (`.json`): an array of entities, or `{ "items": [...] }`, the shape
 *   the catalog's REST API answers with. The same `items` shape is accepted
 *   in a YAML document.
 */
export async function loadEntitiesFile(file: string): Promise<Entity[]> {
  return parseEntities(await readEntitiesText(file), file);
}

async function readEntitiesText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EntitiesError(`--entities ${file}: cannot read the file${code ? ` (${code})` : ''}`);
  }
}

/**
 * Parses the text of an entities file; `file` only names it in errors and
 * picks JSON or YAML. Documents and items are counted from 1 in errors.
 */
export function parseEntities(text: string, file: string): Entity[] {
  return parseLocatedEntities(text, file).map(located => located.entity);
}

/**
 * Reads entities from a file like `loadEntitiesFile`, each with where it is
 * written, and the text they were read from (what an edit must start from).
 */
export async function loadLocatedEntitiesFile(file: string): Promise<{ text: string; entities: LocatedEntity[] }> {
  const text = await readEntitiesText(file);
  return { text, entities: parseLocatedEntities(text, file) };
}

/**
 * The entities of a file's text with their places: the document (from 0,
 * empty documents counted) and, in a list or an `items` list, the item.
 */
export function parseLocatedEntities(text: string, file: string): LocatedEntity[] {
  const where = (doc: number | undefined, item?: number) =>
    `--entities ${file}${doc === undefined ? '' : `, document ${doc}`}${item === undefined ? '' : `, item ${item}`}`;

  if (path.extname(file).toLowerCase() === '.json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new EntitiesError(`${where(undefined)}: not valid JSON: ${(error as Error).message}`);
    }
    const list = entityList(value);
    if (!list) throw new EntitiesError(`${where(undefined)}: expected an array of entities or an object with an "items" array`);
    return list.map((item, i) => ({ entity: checkEntity(item, `${where(undefined, i + 1)}`), file, place: { document: 0, item: i } }));
  }

  const documents = parseAllDocuments(text);
  const entities: LocatedEntity[] = [];
  // parseAllDocuments returns an EmptyStream (no length) for an empty file.
  const docs = Array.isArray(documents) ? documents : [];
  // Syntax first: a broken document later in the file says more than a
  // half-written entity before it.
  docs.forEach((doc, d) => {
    if (doc.errors.length > 0) {
      throw new EntitiesError(`${where(d + 1)}: not valid YAML: ${doc.errors[0].message.split('\n')[0].replace(/:$/, '')}`);
    }
  });
  docs.forEach((doc, d) => {
    const n = d + 1;
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    const list = entityList(value);
    if (list) list.forEach((item, i) => entities.push({ entity: checkEntity(item, where(n, i + 1)), file, place: { document: d, item: i } }));
    else entities.push({ entity: checkEntity(value, where(n)), file, place: { document: d } });
  });
  return entities;
}

function entityList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (isObject(value) && !('kind' in value) && Array.isArray(value.items)) return value.items;
  return undefined;
}

/**
 * The little reconciliation needs to trust: a kind, a name, string
 * annotations. The catalog validates the rest when the entity is registered.
 */
function checkEntity(value: unknown, where: string): Entity {
  if (!isObject(value)) return fail(where, `expected an entity (an object with apiVersion, kind and metadata), got ${describe(value)}`);
  if (typeof value.apiVersion !== 'string' || value.apiVersion === '') return fail(where, 'apiVersion must be a non-empty string');
  if (typeof value.kind !== 'string' || value.kind === '') return fail(where, 'kind must be a non-empty string');
  const metadata = value.metadata;
  if (!isObject(metadata)) return fail(where, 'metadata must be an object');
  if (typeof metadata.name !== 'string' || metadata.name === '') return fail(where, 'metadata.name must be a non-empty string');
  if (metadata.namespace !== undefined && (typeof metadata.namespace !== 'string' || metadata.namespace === '')) {
    return fail(where, 'metadata.namespace must be a non-empty string when present');
  }
  for (const key of ['annotations', 'labels'] as const) {
    const map = metadata[key];
    if (map === undefined) continue;
    if (!isObject(map)) return fail(where, `metadata.${key} must be a map of strings`);
    for (const [k, v] of Object.entries(map)) {
      if (typeof v !== 'string') return fail(where, `metadata.${key}.${k} must be a string, got ${describe(v)}`);
    }
  }
  if (value.spec !== undefined && !isObject(value.spec)) return fail(where, 'spec must be an object when present');
  return value as unknown as Entity;
}

function fail(where: string, problem: string): never {
  throw new EntitiesError(`${where}: ${problem}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

export interface CatalogReadOptions {
  /** Sent as `Authorization: Bearer <token>` when present. */
  token?: string;
  pageSize?: number;
  requestTimeoutMs?: number;
  /** Stops a catalog that keeps answering with cursors; far above any real catalog. */
  maxPages?: number;
  /** Largest answer accepted for one page; a page of 500 entities is a few megabytes. */
  maxPageBytes?: number;
}

/**
 * Reads every entity from a Backstage catalog with `@backstage/catalog-client`,
 * page by page (`GET <baseUrl>/api/catalog/entities/by-query`), following
 * `pageInfo.nextCursor` until there is none. The client is given a fetch that
 * follows no redirect and caps each answer, so the entities and the token stay
 * with the catalog named.
 */
export async function loadEntitiesFromCatalog(baseUrl: string, options: CatalogReadOptions = {}): Promise<Entity[]> {
  const { token, pageSize = 500, requestTimeoutMs = 60_000, maxPages = 10_000, maxPageBytes = 64 * 1024 * 1024 } = options;
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new EntitiesError(`--catalog-url must be an http(s) URL such as http://127.0.0.1:7007`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new EntitiesError(`--catalog-url must be an http(s) URL such as http://127.0.0.1:7007, not ${base.protocol}`);
  }
  if (base.username || base.password) {
    throw new EntitiesError('--catalog-url must not carry credentials: pass the token with --token or BACKSTAGE_TOKEN');
  }
  const shown = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
  const client = new CatalogClient({
    discoveryApi: { getBaseUrl: async () => `${shown}/api/catalog` },
    fetchApi: { fetch: guardedFetch({ shown, requestTimeoutMs, maxPageBytes, hasToken: token !== undefined }) },
  });

  const entities: Entity[] = [];
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  for (let page = 1; ; page++) {
    if (page > maxPages) throw new EntitiesError(`the catalog at ${shown} kept paging past ${maxPages} pages; stopped`);
    let answer: Awaited<ReturnType<CatalogClient['queryEntities']>>;
    try {
      answer = await client.queryEntities(cursor === undefined ? { limit: pageSize } : { cursor, limit: pageSize }, { token });
    } catch (error) {
      if (error instanceof EntitiesError) throw error;
      // The client's own errors: a body that is not JSON, or not a page of entities.
      throw new EntitiesError(`the catalog at ${shown} answered GET ${QUERY_PATH} with something other than a page of entities`);
    }
    if (!Array.isArray(answer?.items)) throw new EntitiesError(`the catalog at ${shown} answered GET ${QUERY_PATH} without an items array`);
    answer.items.forEach((item, i) => entities.push(checkEntity(item, `the catalog at ${shown}, page ${page}, item ${i + 1}`)));
    const next = answer.pageInfo?.nextCursor;
    if (typeof next !== 'string' || next === '') return entities;
    if (seenCursors.has(next)) throw new EntitiesError(`the catalog at ${shown} returned the same page cursor twice; stopped`);
    seenCursors.add(next);
    cursor = next;
  }
}

const QUERY_PATH = '/api/catalog/entities/by-query';

/**
 * The fetch the catalog client is given: no redirect is followed, a page over
 * the cap is not read to its end, and a refusal says what to do about it.
 * Errors name the catalog and the path only: never a header, so never the token.
 */
function guardedFetch(options: { shown: string; requestTimeoutMs: number; maxPageBytes: number; hasToken: boolean }): typeof fetch {
  const { shown, requestTimeoutMs, maxPageBytes, hasToken } = options;
  return async (input, init) => {
    let response: Response;
    try {
      response = await fetch(input, { ...init, redirect: 'manual', signal: AbortSignal.timeout(requestTimeoutMs) });
    } catch (error) {
      // fetch fails with "TypeError: fetch failed"; the reason is in its cause.
      const inner = (error as { cause?: { code?: string; message?: string } }).cause;
      const cause = (error as Error).name === 'TimeoutError' ? `no answer within ${requestTimeoutMs / 1000} s` : inner?.code ?? inner?.message ?? (error as Error).message;
      throw new EntitiesError(`cannot reach the catalog at ${shown} (GET ${QUERY_PATH}): ${cause}`);
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => undefined);
      const to = response.headers.get('location');
      const where = to ? ` to ${new URL(to, String(input)).origin}` : '';
      throw new EntitiesError(`the catalog at ${shown} redirected GET ${QUERY_PATH}${where}; pass the backend's own URL as --catalog-url (redirects are not followed)`);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const hint =
        response.status === 401 || response.status === 403
          ? hasToken
            ? ': the token was refused'
            : ': pass a token with --token or BACKSTAGE_TOKEN'
          : response.status === 404
            ? ': is this the Backstage backend base URL (without /api/catalog)?'
            : '';
      throw new EntitiesError(`the catalog at ${shown} answered ${response.status} ${response.statusText} to GET ${QUERY_PATH}${hint}`);
    }
    const text = await readCapped(response, maxPageBytes);
    if (text === undefined) {
      throw new EntitiesError(`the catalog at ${shown} answered one page of GET ${QUERY_PATH} with more than ${maxPageBytes} bytes; stopped`);
    }
    return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** The body as text, or undefined once it passes `limit` bytes (the rest is not read). */
async function readCapped(response: Response, limit: number): Promise<string | undefined> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Read when `--token` is not given; preferred, since arguments show in process lists. */
const TOKEN_VARIABLE = 'BACKSTAGE_TOKEN';

export interface EntitySourceArgs {
  entities?: string;
  'catalog-url'?: string;
  token?: string;
}

/**
 * Checks `--entities`, `--catalog-url` and `--token` together and returns
 * what reads the entities they name (undefined when neither is given and
 * none is required), so a command can check its arguments before it reads
 * anything.
 */
export function entitySource(args: EntitySourceArgs, options: { required: boolean; usage: string }): () => Promise<Entity[] | undefined> {
  const catalogUrl = args['catalog-url'];
  if (options.required && args.entities === undefined && catalogUrl === undefined) {
    throw new UsageError(`one of --entities or --catalog-url is required\nusage: ${options.usage}`);
  }
  if (args.entities !== undefined && catalogUrl !== undefined) {
    throw new UsageError('--entities and --catalog-url cannot be used together: choose one source of entities');
  }
  if (args.token !== undefined && catalogUrl === undefined) throw new UsageError('--token is only used with --catalog-url');
  return async () => {
    if (catalogUrl !== undefined) return loadEntitiesFromCatalog(catalogUrl, { token: args.token ?? (process.env[TOKEN_VARIABLE] || undefined) });
    if (args.entities !== undefined) return loadEntitiesFile(args.entities);
    return undefined;
  };
}
