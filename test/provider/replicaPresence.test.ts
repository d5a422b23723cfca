import type { DatabaseService } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ReplicaPresence } from '../../src/provider/replicaPresence';
import { SyncStateStore } from '../../src/provider/syncStateStore';

describe('replica presence', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  async function sharedStore(): Promise<SyncStateStore> {
    const knex = await databases.init('SQLITE_3');
    return SyncStateStore.create({ getClient: async () => knex } as unknown as DatabaseService);
  }

  function replica(store: SyncStateStore, providerId = 'shared'): ReplicaPresence {
    return new ReplicaPresence(async () => store, providerId, 2_000, mockServices.logger.mock());
  }

  it('sees the other replicas of the same provider until they leave', async () => {
    const store = await sharedStore();
    const a = replica(store);
    const b = replica(store);
    const elsewhere = replica(store, 'another-provider');
    a.start();
    await eventuallyTrue(async () => !(await a.othersAlive()));
    elsewhere.start();
    b.start();
    await eventuallyTrue(() => a.othersAlive());
    await eventuallyTrue(() => b.othersAlive());
    await b.leave();
    expect(await a.othersAlive()).toBe(false);
    await Promise.all([a.leave(), elsewhere.leave()]);
  });

  it('does not count a replica whose last beat is older than four beats', async () => {
    const store = await sharedStore();
    const a = replica(store);
    a.start();
    const long = new Date(Date.now() - 60_000);
    await store.beat('shared', 'gone-without-a-word', long, new Date(0));
    expect(await a.othersAlive()).toBe(false);
    await store.beat('shared', 'just-beat', new Date(), new Date(0));
    expect(await a.othersAlive()).toBe(true);
    await a.leave();
  });

  it('assumes others are alive when the database cannot say, so a busy replica keeps handing on', async () => {
    const broken = new ReplicaPresence(async () => Promise.reject(new Error('connection refused')), 'shared', 2_000, mockServices.logger.mock());
    expect(await broken.othersAlive()).toBe(true);
  });
});

async function eventuallyTrue(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  throw new Error('condition never held');
}
