import { ListClustersCommand } from '@aws-sdk/client-ecs';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { startEmulator, type Emulator } from '../../dev/emulator/emulator';
import { MAIN, MAIN_KEYS, PROD, destroyClients, ecs, rejection, smallFleet, tagging } from './helpers';

describe('fault knobs, observed through the real SDK', () => {
  let emu: Emulator;
  let now = 1_000_000;
  beforeEach(async () => {
    now = 1_000_000;
    emu = await startEmulator({ fleet: smallFleet(), faults: { rateLimit: { burst: 2, perSecond: 1 } }, clock: () => now });
  });
  afterEach(async () => {
    destroyClients();
    await emu.close();
  });

  it('throttles over the bucket: the SDK retries, then raises ThrottlingException', async () => {
    const c = ecs(emu); // default SDK retry strategy: 3 attempts
    await c.send(new ListClustersCommand({}));
    await c.send(new ListClustersCommand({}));
    const err = await rejection(c.send(new ListClustersCommand({})));
    expect(err.name).toBe('ThrottlingException');
    expect(err.message).toBe('Rate exceeded');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(err.$metadata?.attempts).toBe(3);
    const s = emu.stats;
    expect(s.byAction['ecs:ListClusters']).toBe(5); // 2 ok + 3 attempts of the throttled call
    expect(s.throttled).toBe(3);
    expect(s.errors.ThrottlingException).toBe(3);
  });

  it('refills the bucket over time, per account and region', async () => {
    const c = ecs(emu, { maxAttempts: 1 });
    await c.send(new ListClustersCommand({}));
    await c.send(new ListClustersCommand({}));
    expect((await rejection(c.send(new ListClustersCommand({})))).name).toBe('ThrottlingException');
    // Another region has its own bucket.
    await expect(ecs(emu, { region: 'us-east-1', maxAttempts: 1 }).send(new ListClustersCommand({}))).resolves.toBeDefined();
    now += 1000; // one token back at 1/s
    await expect(c.send(new ListClustersCommand({}))).resolves.toBeDefined();
    expect((await rejection(c.send(new ListClustersCommand({})))).name).toBe('ThrottlingException');
    now += 60_000; // refills up to burst, not beyond
    await c.send(new ListClustersCommand({}));
    await c.send(new ListClustersCommand({}));
    expect((await rejection(c.send(new ListClustersCommand({})))).name).toBe('ThrottlingException');
    emu.setFaults({ rateLimit: false });
    for (let i = 0; i < 10; i++) await c.send(new ListClustersCommand({}));
  });

  it('Tagging API has its own buckets and says ThrottledException', async () => {
    emu.setFaults({ rateLimit: false, taggingRateLimit: { burst: 1, perSecond: 1 } });
    const t = tagging(emu, { maxAttempts: 1 });
    await t.send(new GetResourcesCommand({}));
    const err = await rejection(t.send(new GetResourcesCommand({})));
    expect(err.name).toBe('ThrottledException');
    await expect(ecs(emu, { maxAttempts: 1 }).send(new ListClustersCommand({}))).resolves.toBeDefined();
  });

  it('failing regions answer ServerException (500) or ServiceUnavailableException (503), retried by the SDK', async () => {
    emu.setFaults({ rateLimit: false, failingRegions: [{ region: 'eu-west-1', accountId: MAIN }, { region: 'us-east-1', status: 503 }] });
    const err = await rejection(ecs(emu).send(new ListClustersCommand({})));
    expect(err.name).toBe('ServerException');
    expect(err.$metadata?.httpStatusCode).toBe(500);
    expect(err.$metadata?.attempts).toBe(3);
    expect(emu.stats.serverErrors).toBe(3);

    const unavailable = await rejection(ecs(emu, { region: 'us-east-1', maxAttempts: 1 }).send(new ListClustersCommand({})));
    expect(unavailable.name).toBe('ServiceUnavailableException');
    expect(unavailable.$metadata?.httpStatusCode).toBe(503);
    // Scoped to one account: the same region works elsewhere.
    const prodCreds = await assumeProd(emu);
    await expect(ecs(emu, { credentials: prodCreds }).send(new ListClustersCommand({}))).resolves.toBeDefined();
  });

  it('denied accounts get AccessDeniedException (not retried)', async () => {
    emu.setFaults({ deniedAccounts: [MAIN] });
    const err = await rejection(ecs(emu).send(new ListClustersCommand({})));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(err.message).toContain(`User: arn:aws:iam::${MAIN}:user/backstage is not authorized to perform: ecs:ListClusters`);
    expect(emu.stats.byAction['ecs:ListClusters']).toBe(1);
    const tagErr = await rejection(tagging(emu).send(new GetResourcesCommand({})));
    expect(tagErr.name).toBe('AccessDeniedException');
    expect(tagErr.message).toContain('tag:GetResources');
  });

  it('throttleRate throttles regardless of buckets', async () => {
    emu.setFaults({ rateLimit: false, throttleRate: 1 });
    expect((await rejection(ecs(emu, { maxAttempts: 1 }).send(new ListClustersCommand({})))).name).toBe('ThrottlingException');
    emu.setFaults({ throttleRate: 0 });
    await expect(ecs(emu, { maxAttempts: 1 }).send(new ListClustersCommand({}))).resolves.toBeDefined();
  });

  it('random5xxRate is reproducible for a seed', async () => {
    const pattern = async (e: Emulator): Promise<string> => {
      const c = ecs(e, { maxAttempts: 1 });
      let out = '';
      for (let i = 0; i < 40; i++) {
        out += await c.send(new ListClustersCommand({})).then(
          () => '.',
          (err: Error) => (err.name === 'ServerException' ? 'X' : '?'),
        );
      }
      return out;
    };
    emu.setFaults({ rateLimit: false, random5xxRate: 0.5, seed: 7 });
    const first = await pattern(emu);
    emu.setFaults({ seed: 7 }); // re-seeding restarts the sequence
    expect(await pattern(emu)).toBe(first);
    const failures = first.split('').filter((ch) => ch === 'X').length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(35);
    expect(first).not.toContain('?');
  });

  it('latency delays replies; close() drops pending replies and open sockets at once', async () => {
    emu.setFaults({ rateLimit: false, latencyMs: 20 });
    await expect(ecs(emu).send(new ListClustersCommand({}))).resolves.toBeDefined();

    emu.setFaults({ latencyMs: 600_000 });
    const arrived = new Promise<void>((resolve) => emu.onRequest(() => resolve()));
    const pending = ecs(emu, { maxAttempts: 1 }).send(new ListClustersCommand({}));
    await arrived;
    await emu.close();
    await expect(pending).rejects.toThrow();
  });

  it('rejects invalid knob values', () => {
    expect(() => emu.setFaults({ random5xxRate: 2 })).toThrow(/random5xxRate/);
    expect(() => emu.setFaults({ rateLimit: { burst: 0, perSecond: 1 } })).toThrow(/rateLimit/);
  });
});

async function assumeProd(emu: Emulator) {
  const { AssumeRoleCommand, STSClient } = await import('@aws-sdk/client-sts');
  const c = new STSClient({ endpoint: emu.url, region: 'us-east-1', credentials: { ...MAIN_KEYS } });
  try {
    const out = await c.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${PROD}:role/backstage-ecs-read`, RoleSessionName: 'faults', ExternalId: 'ext-222' }),
    );
    return { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
  } finally {
    c.destroy();
  }
}
