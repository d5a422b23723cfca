import { ResponseError } from '@backstage/errors';
import { EcsCatalogSyncClient } from './EcsCatalogSyncClient';

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict' };

function clientAnswering(status: number, body: unknown) {
  const urls: string[] = [];
  const requests: Array<{ url: string; method: string; contentType: string | null; body: unknown }> = [];
  const client = new EcsCatalogSyncClient({
    discoveryApi: { getBaseUrl: async (pluginId: string) => `http://127.0.0.1:7007/api/${pluginId}` },
    fetchApi: {
      fetch: (async (url: string, init?: RequestInit) => {
        urls.push(url);
        const headers = new Headers(init?.headers);
        requests.push({ url, method: init?.method ?? 'GET', contentType: headers.get('content-type'), body: init?.body === undefined ? undefined : JSON.parse(String(init.body)) });
        const text = JSON.stringify(body);
        return { ok: status < 400, status, statusText: STATUS_TEXT[status] ?? 'OK', headers: new Map([['content-type', 'application/json']]), json: async () => body, text: async () => text };
      }) as unknown as typeof fetch,
    },
  });
  return { client, urls, requests };
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

describe('the operations client', () => {
  const BASE = 'http://127.0.0.1:7007/api/ecs-catalog-sync';
  const ref = 'component:default/cart & co';

  it('asks for the capabilities and the operations of an entity by its reference', async () => {
    const { client, requests } = clientAnswering(200, { items: [{ id: 'op-1' }] });
    await client.getOperationCapabilities(ref);
    expect(await client.listOperations(ref)).toEqual([{ id: 'op-1' }]);
    expect(requests.map(r => [r.method, r.url])).toEqual([
      ['GET', `${BASE}/operations/capabilities?entityRef=component%3Adefault%2Fcart+%26+co`],
      ['GET', `${BASE}/operations?entityRef=component%3Adefault%2Fcart+%26+co`],
    ]);
  });

  it('reads one operation, escaping its id', async () => {
    const { client, requests } = clientAnswering(200, { id: 'a/b' });
    await client.getOperation('a/b');
    expect(requests.map(r => r.url)).toEqual([`${BASE}/operations/a%2Fb`]);
  });

  it('posts a request as JSON', async () => {
    const { client, requests } = clientAnswering(201, { id: 'op-2', status: 'pending' });
    const request = { entityRef: 'component:default/cart', action: 'scale' as const, desiredCount: 3, reason: 'Black Friday' };
    expect(await client.requestOperation(request)).toEqual({ id: 'op-2', status: 'pending' });
    expect(requests).toEqual([{ url: `${BASE}/operations`, method: 'POST', contentType: 'application/json', body: request }]);
  });

  it('posts approvals and rejections with their comment', async () => {
    const { client, requests } = clientAnswering(200, { id: 'op-3' });
    await client.approveOperation('op-3');
    await client.approveOperation('op-3', { comment: 'looks right' });
    await client.rejectOperation('op-3', { comment: 'not during the sale' });
    expect(requests.map(r => [r.method, r.url, r.contentType, r.body])).toEqual([
      ['POST', `${BASE}/operations/op-3/approve`, 'application/json', {}],
      ['POST', `${BASE}/operations/op-3/approve`, 'application/json', { comment: 'looks right' }],
      ['POST', `${BASE}/operations/op-3/reject`, 'application/json', { comment: 'not during the sale' }],
    ]);
  });

  it.each([
    [400, 'InputError', 'desiredCount must be between 1 and 10'],
    [403, 'NotAllowedError', 'you may not scale arn:aws:ecs:eu-west-1:111111111111:service/shop/cart'],
    [409, 'ConflictError', 'you requested this operation: another owner must approve it'],
  ])('throws a %s answer with the message of its error JSON', async (status, name, message) => {
    const { client } = clientAnswering(status, { error: { name, message }, response: { statusCode: status } });
    const error = await client.approveOperation('op-4').catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect([error.statusCode, error.cause.name, error.cause.message]).toEqual([status, name, message]);
  });
});
