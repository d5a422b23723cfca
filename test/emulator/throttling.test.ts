import { DescribeServicesCommand, ListClustersCommand, ListServicesCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { startEmulator, type Emulator } from '../../dev/emulator/emulator';
import { destroyClients, ecs, MAIN, rejection, smallFleet, tagging } from './helpers';

const CLUSTER = `arn:aws:ecs:eu-west-1:${MAIN}:cluster/payments`;
const SERVICE = `arn:aws:ecs:eu-west-1:${MAIN}:service/payments/checkout-api`;

/** Sends `n` calls one after another; returns how many were throttled. */
async function throttledOf(n: number, send: () => Promise<unknown>): Promise<number> {
  let throttled = 0;
  for (let i = 0; i < n; i++) {
    try {
      await send();
    } catch (e) {
      if ((e as Error).name !== 'ThrottlingException') throw e;
      throttled++;
    }
  }
  return throttled;
}

/** Lets the pipeline's timer run once or twice (its schedule follows the injected clock). */
const ticks = () => new Promise(resolve => setTimeout(resolve, 80));

describe('ECS throttling by category, and a deploy pipeline sharing the buckets', () => {
  let emu: Emulator;
  let now = 1_000_000;
  beforeEach(async () => {
    now = 1_000_000;
    emu = await startEmulator({ fleet: smallFleet(), clock: () => now });
  });
  afterEach(async () => {
    destroyClients();
    await emu.close();
  });

  it('keeps ECS documented buckets by default: cluster reads 50, service reads 100 shared by ListServices and DescribeServices', async () => {
    const c = ecs(emu, { maxAttempts: 1 });
    expect(await throttledOf(50, () => c.send(new ListClustersCommand({})))).toBe(0);
    const err = await rejection(c.send(new ListClustersCommand({})));
    expect(err.name).toBe('ThrottlingException');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    // Service reads are another bucket: still full.
    expect(await throttledOf(60, () => c.send(new ListServicesCommand({ cluster: CLUSTER })))).toBe(0);
    expect(await throttledOf(40, () => c.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] })))).toBe(0);
    expect(await throttledOf(1, () => c.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] })))).toBe(1);
    expect(await throttledOf(1, () => c.send(new ListServicesCommand({ cluster: CLUSTER })))).toBe(1);
    // Another region has buckets of its own; time refills them at 20 a second.
    expect(await throttledOf(1, () => ecs(emu, { region: 'us-east-1', maxAttempts: 1 }).send(new ListServicesCommand({ cluster: 'default' })).catch(e => {
      if (e.name === 'ClusterNotFoundException') return;
      throw e;
    }))).toBe(0);
    now += 1000;
    expect(await throttledOf(20, () => c.send(new ListServicesCommand({ cluster: CLUSTER })))).toBe(0);
    expect(await throttledOf(1, () => c.send(new ListServicesCommand({ cluster: CLUSTER })))).toBe(1);
    // Task reads are not service reads.
    expect(await throttledOf(5, () => c.send(new ListTasksCommand({ cluster: CLUSTER })))).toBe(0);
    expect(emu.stats.errors.ThrottlingException).toBe(4);
  });

  it('changes one category, or all of them with one limit, and leaves the Tagging API its own', async () => {
    emu.setFaults({ rateLimit: { clusterReads: { burst: 2, perSecond: 1 } } });
    const c = ecs(emu, { maxAttempts: 1 });
    expect(await throttledOf(3, () => c.send(new ListClustersCommand({})))).toBe(1);
    expect(await throttledOf(50, () => c.send(new ListServicesCommand({ cluster: CLUSTER })))).toBe(0);
    expect(await throttledOf(50, () => tagging(emu, { maxAttempts: 1 }).send(new GetResourcesCommand({})).catch(e => {
      if (e.name === 'ThrottledException') throw Object.assign(new Error('tagging throttled'), { name: 'ThrottlingException' });
      throw e;
    }))).toBe(0);
    emu.setFaults({ rateLimit: { burst: 3, perSecond: 1 } });
    expect(await throttledOf(4, () => c.send(new ListServicesCommand({ cluster: CLUSTER })))).toBe(1);
    expect(await throttledOf(4, () => c.send(new ListClustersCommand({})))).toBe(1);
    expect(() => emu.setFaults({ rateLimit: { serviceReeds: { burst: 1, perSecond: 1 } } as never })).toThrow(/rateLimit\.serviceReeds is not an ECS category/);
  });

  it('runs a deploy pipeline that draws on the service-reads buckets and counts its throttles per account and region', async () => {
    const scopes = ['111111111111/eu-west-1', '111111111111/us-east-1', '222222222222/eu-west-1'];
    emu.setDeployPipeline({ callsPerSecond: 5 });
    expect(emu.deployPipeline).toEqual({ callsPerSecond: 5 });
    now += 1000;
    await ticks();
    let p = emu.stats.deployPipeline;
    expect(Object.keys(p.byScope).sort()).toEqual(expect.arrayContaining(scopes));
    for (const scope of Object.keys(p.byScope)) expect(p.byScope[scope]).toEqual({ calls: 5, throttled: 0 });
    // Its calls never show as calls to the server.
    expect(emu.stats.totalCalls).toBe(0);

    // The pipeline has spent 5 of the 100 tokens: a scanner that takes the other 95 leaves it nothing.
    const c = ecs(emu, { maxAttempts: 1 });
    expect(await throttledOf(95, () => c.send(new ListServicesCommand({ cluster: CLUSTER })))).toBe(0);
    expect(await throttledOf(1, () => c.send(new ListServicesCommand({ cluster: CLUSTER })))).toBe(1);
    now += 200; // 4 tokens back at 20 a second, one pipeline call due
    await ticks();
    p = emu.stats.deployPipeline;
    expect(p.byScope[`${MAIN}/eu-west-1`]).toEqual({ calls: 6, throttled: 0 });
    expect(await throttledOf(3, () => c.send(new ListServicesCommand({ cluster: CLUSTER })))).toBe(0);
    // A bucket of 3 that never refills: the pipeline's next 5 calls get 3 tokens, then the scanner none.
    emu.setFaults({ rateLimit: { serviceReads: { burst: 3, perSecond: 0 } } });
    now += 1000;
    await ticks();
    p = emu.stats.deployPipeline;
    expect(p.byScope[`${MAIN}/eu-west-1`]).toEqual({ calls: 11, throttled: 2 });
    expect(p.throttled).toBe(2 * Object.keys(p.byScope).length);
    expect(await throttledOf(1, () => c.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] })))).toBe(1);
    // Stopped, it sends nothing more.
    emu.setDeployPipeline(false);
    now += 5000;
    await ticks();
    expect(emu.stats.deployPipeline.calls).toBe(p.calls);
  });

  it('serves the pipeline and the counters on its admin routes', async () => {
    const post = await fetch(`${emu.url}/__emulator/deploy-pipeline`, { method: 'POST', body: JSON.stringify({ callsPerSecond: 2 }) });
    expect(post.status).toBe(200);
    expect(await post.json()).toEqual({ deployPipeline: { callsPerSecond: 2 } });
    now += 1000;
    await ticks();
    const stats = (await (await fetch(`${emu.url}/__emulator/stats`)).json()) as { deployPipeline: { byScope: Record<string, unknown> } };
    expect(stats.deployPipeline.byScope[`${MAIN}/eu-west-1`]).toEqual({ calls: 2, throttled: 0 });
    const bad = await fetch(`${emu.url}/__emulator/deploy-pipeline`, { method: 'POST', body: JSON.stringify({ callsPerSecond: -1 }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/callsPerSecond must be a number greater than 0/);
    const stop = await fetch(`${emu.url}/__emulator/deploy-pipeline`, { method: 'POST', body: JSON.stringify({ callsPerSecond: 0 }) });
    expect(await stop.json()).toEqual({ deployPipeline: false });
  });
});
