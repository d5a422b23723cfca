import { CachedCredentials, TemporaryCredentials } from '../../src/scan/accountCredentials';

describe('CachedCredentials', () => {
  let now = 0;
  let fetched = 0;
  const source = async (): Promise<TemporaryCredentials> => {
    fetched += 1;
    return { accessKeyId: `ASIA${fetched}`, secretAccessKey: 's', sessionToken: 't', expiration: new Date(now + 3600_000) };
  };

  beforeEach(() => {
    now = 0;
    fetched = 0;
  });

  it('fetches once and reuses the credentials until shortly before they expire', async () => {
    const cache = new CachedCredentials(source, () => now);
    await Promise.all([cache.provider(), cache.provider(), cache.provider()]);
    expect(fetched).toBe(1);
    now = 50 * 60_000;
    await cache.provider();
    expect(fetched).toBe(1);
    now = 55 * 60_000; // five minutes left: the SDK would already refuse them
    expect((await cache.provider()).accessKeyId).toBe('ASIA2');
  });

  it('renews a rejected generation once, however many callers saw the rejection', async () => {
    const cache = new CachedCredentials(source, () => now);
    await cache.provider();
    const rejected = cache.generation;
    await Promise.all([cache.renew(rejected), cache.renew(rejected), cache.renew(rejected)]);
    expect(fetched).toBe(2);
    await cache.renew(rejected); // already replaced: nothing to do
    expect(fetched).toBe(2);
    expect((await cache.provider()).accessKeyId).toBe('ASIA2');
  });

  it('tells the SDK not to keep a copy of its own', () => {
    expect(new CachedCredentials(source).provider.memoized).toBe(true);
  });
});
