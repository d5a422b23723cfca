import { ResponseError } from '@backstage/errors';
import { EcsCatalogSyncClient } from './EcsCatalogSyncClient';

function clientAnswering(status: number, body: unknown) {
  const urls: string[] = [];
  const client = new EcsCatalogSyncClient({
    discoveryApi: { getBaseUrl: async (pluginId: string) => `http://127.0.0.1:7007/api/${pluginId}` },
    fetchApi: {
      fetch: (async (url: string) => {
        urls.push(url);
        const text = JSON.stringify(body);
        return { ok: status < 400, status, statusText: status < 400 ? 'OK' : 'Not Found', headers: new Map([['content-type', 'application/json']]), json: async () => body, text: async () => text };
      }) as unknown as typeof fetch,
    },
  });
  return { client, urls };
}

describe('the drift plugin client', () => {
  it('asks for one entity view, escaping each part of the reference', async () => {
    const { client, urls } = clientAnswering(200, { kind: 'claims' });
    expect(await client.getEntityView({ kind: 'Component', namespace: 'default', name: 'a/b c' }, { provider: 'production' })).toEqual({ kind: 'claims' });
    expect(urls).toEqual(['http://127.0.0.1:7007/api/ecs-catalog-sync/entity/default/Component/a%2Fb%20c/claims?provider=production']);
  });

  it('asks for the report as JSON', async () => {
    const { client, urls } = clientAnswering(200, { summary: {} });
    await client.getDriftReport();
    expect(urls).toEqual(['http://127.0.0.1:7007/api/ecs-catalog-sync/drift?format=json']);
  });

  it("throws the backend's error as a ResponseError", async () => {
    const { client } = clientAnswering(404, { error: { name: 'NotFoundError', message: 'no scan has completed yet for provider production' }, response: { statusCode: 404 } });
    const error = await client.getDriftReport().catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect([error.statusCode, error.cause.message]).toEqual([404, 'no scan has completed yet for provider production']);
  });
});
