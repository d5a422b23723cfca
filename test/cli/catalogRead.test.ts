import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadEntitiesFromCatalog } from '../../src/cli/loadEntities';

const entity = (name: string) => ({ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name }, spec: { type: 'service', lifecycle: 'production', owner: 'team-a' } });

/** A catalog on loopback whose answer the test chooses, recording the Authorization headers it receives. */
async function catalogAnswering(answer: (res: ServerResponse, url: URL) => void): Promise<{ url: string; seen: Array<string | undefined>; close: () => Promise<void> }> {
  const seen: Array<string | undefined> = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.headers.authorization);
    answer(res, new URL(req.url ?? '/', 'http://127.0.0.1'));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise(resolve => server.close(() => resolve())) };
}

describe('loadEntitiesFromCatalog', () => {
  it('does not follow a redirect, so neither entities nor the token go anywhere else', async () => {
    const elsewhere = await catalogAnswering(res => res.end(JSON.stringify({ items: [entity('planted')], pageInfo: {} })));
    const catalog = await catalogAnswering((res, url) => {
      res.writeHead(302, { Location: `${elsewhere.url}${url.pathname}${url.search}` });
      res.end();
    });
    try {
      await expect(loadEntitiesFromCatalog(catalog.url, { token: 'secret-token' })).rejects.toThrow(
        `the catalog at ${catalog.url} redirected GET /api/catalog/entities/by-query to ${elsewhere.url}; pass the backend's own URL as --catalog-url (redirects are not followed)`,
      );
      expect(elsewhere.seen).toEqual([]);
    } finally {
      await Promise.all([catalog.close(), elsewhere.close()]);
    }
  });

  it('stops reading a page that passes the size limit', async () => {
    const catalog = await catalogAnswering(res => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => entity(`service-${i}`)), pageInfo: {} }));
    });
    try {
      await expect(loadEntitiesFromCatalog(catalog.url, { maxPageBytes: 10_000 })).rejects.toThrow(
        `the catalog at ${catalog.url} answered one page of GET /api/catalog/entities/by-query with more than 10000 bytes; stopped`,
      );
      expect(await loadEntitiesFromCatalog(catalog.url)).toHaveLength(200);
    } finally {
      await catalog.close();
    }
  });
});
