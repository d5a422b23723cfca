import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { NotificationSendOptions, NotificationService } from '@backstage/plugin-notifications-node';
import { ClaimNotifier } from '../../src/provider/claimNotifier';
import { NotifiedFindingsStore } from '../../src/provider/notifiedFindingsStore';
import { fixtureReport } from '../report/fixture';
import { RecordingLogger } from '../support/recordingLogger';

/** Accepts every send, one at a time with a pause, as a backend does over HTTP. */
class AcceptingNotifications implements NotificationService {
  readonly sent: NotificationSendOptions[] = [];
  async send(options: NotificationSendOptions): Promise<void> {
    await new Promise(resolve => setTimeout(resolve, 1));
    this.sent.push(options);
  }
}

const REFUSING: NotificationService = {
  send: async () => {
    throw new Error('Failed to send notifications: Error: Request failed with status 404');
  },
};

describe('ClaimNotifier on a shared database', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  async function storeOn() {
    const database = mockServices.database({ knex: await databases.init('SQLITE_3') });
    const store = NotifiedFindingsStore.create(database);
    return () => store;
  }

  it('sends each notification once when two replicas plan the same sends at the same time', async () => {
    const store = await storeOn();
    const one = new AcceptingNotifications();
    const two = new AcceptingNotifications();
    const logger = new RecordingLogger();
    const report = fixtureReport();
    const [a, b] = await Promise.all([
      new ClaimNotifier('prod', one, store, logger).notify(report),
      new ClaimNotifier('prod', two, store, logger).notify(report),
    ]);
    const scopes = [...one.sent, ...two.sent].map(s => s.payload.scope);
    expect(new Set(scopes).size).toBe(scopes.length);
    expect(a.sent + b.sent).toBe(scopes.length);
    expect(scopes.length).toBeGreaterThan(10);
    expect(one.sent[0].recipients).toEqual({ type: 'entity', entityRef: expect.stringMatching(/^component:default\//) });
    // And nothing more on the next scan, on either replica.
    expect((await new ClaimNotifier('prod', one, store, logger).notify(report)).sent).toBe(0);
  });

  it('remembers nothing it could not send, says so once, and sends it after a later scan', async () => {
    const store = await storeOn();
    const logger = new RecordingLogger();
    const refused = new ClaimNotifier('prod', REFUSING, store, logger);
    const report = fixtureReport();
    const result = await refused.notify(report);
    expect(result.sent).toBe(0);
    expect(result.unsent).toBeGreaterThan(10);
    await refused.notify(report);
    expect(logger.lines.filter(l => l.startsWith('warn '))).toHaveLength(1);
    expect(await (await store()).list('prod')).toEqual([]);

    const accepting = new AcceptingNotifications();
    expect((await new ClaimNotifier('prod', accepting, store, logger).notify(report)).sent).toBe(result.unsent);
    // Another provider's findings are its own.
    expect(await (await store()).list('staging')).toEqual([]);
  });
});
