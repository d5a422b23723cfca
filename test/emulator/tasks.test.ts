import { DescribeClustersCommand, DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand, paginateListTasks } from '@aws-sdk/client-ecs';
import { startEmulator, type Emulator } from '../../dev/emulator/emulator';
import type { Fleet } from '../../dev/emulator/fleet';
import { MAIN, MAIN_KEYS, PROD, destroyClients, ecs, rejection, smallFleet } from './helpers';

const ARN = (suffix: string, region = 'eu-west-1', account = MAIN) => `arn:aws:ecs:${region}:${account}:${suffix}`;
const TASK_ARN = /^arn:aws:ecs:eu-west-1:111111111111:task\/payments\/[0-9a-f]{32}$/;

describe('ECS tasks and clusters, as the AWS Labs ECS tab reads them', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ fleet: smallFleet(), faults: { rateLimit: false } });
  });
  afterEach(() => destroyClients());
  afterAll(() => emu.close());

  it('lists a service’s tasks, one per running and pending task, the same on every call', async () => {
    const c = ecs(emu);
    const first = await c.send(new ListTasksCommand({ cluster: 'payments', serviceName: 'checkout-api' }));
    expect(first.taskArns).toHaveLength(3); // desiredCount 3, runningCount defaults to it
    for (const arn of first.taskArns!) expect(arn).toMatch(TASK_ARN);
    expect([...first.taskArns!].sort()).toEqual(first.taskArns);
    expect(first.nextToken).toBeUndefined();
    expect((await c.send(new ListTasksCommand({ cluster: ARN('cluster/payments'), serviceName: 'checkout-api' }))).taskArns).toEqual(first.taskArns);
  });

  it('lists a short-ARN service’s tasks by its name, and a whole cluster’s without one', async () => {
    const c = ecs(emu);
    const legacy = await c.send(new ListTasksCommand({ cluster: 'payments', serviceName: 'legacy-billing' }));
    expect(legacy.taskArns).toHaveLength(1);
    const all = await c.send(new ListTasksCommand({ cluster: 'payments' }));
    // checkout-api 3, legacy-billing 1, spot-worker 1, draining-svc 1; the INACTIVE old-svc none.
    expect(all.taskArns).toHaveLength(6);
    expect(all.taskArns).toEqual(expect.arrayContaining([...legacy.taskArns!]));
    expect((await c.send(new ListTasksCommand({ cluster: 'payments', serviceName: 'old-svc' }))).taskArns).toEqual([]);
    expect((await c.send(new ListTasksCommand({ cluster: 'payments', desiredStatus: 'STOPPED' }))).taskArns).toEqual([]);
  });

  it('answers ServiceNotFoundException and ClusterNotFoundException like ECS', async () => {
    const c = ecs(emu);
    expect(await rejection(c.send(new ListTasksCommand({ cluster: 'payments', serviceName: 'nope' })))).toMatchObject({ name: 'ServiceNotFoundException', $metadata: { httpStatusCode: 400 } });
    expect(await rejection(c.send(new ListTasksCommand({ cluster: 'nope' })))).toMatchObject({ name: 'ClusterNotFoundException' });
    expect(await rejection(c.send(new DescribeTasksCommand({ cluster: 'nope', tasks: ['x'] })))).toMatchObject({ name: 'ClusterNotFoundException' });
    // Another account's cluster of the same name is not the caller's.
    expect(await rejection(ecs(emu).send(new ListTasksCommand({ cluster: ARN('cluster/search', 'eu-west-1', PROD) })))).toMatchObject({ name: 'ClusterNotFoundException' });
  });

  it('describes tasks by ARN or id with ECS’s shapes, and unknown ones as MISSING failures', async () => {
    const c = ecs(emu);
    const { taskArns } = await c.send(new ListTasksCommand({ cluster: 'payments', serviceName: 'checkout-api' }));
    const id = taskArns![1].split('/').pop()!;
    const unknown = ARN('task/payments/00000000000000000000000000000000');
    const out = await c.send(new DescribeTasksCommand({ cluster: 'payments', tasks: [taskArns![0], id, unknown, 'ffff'] }));
    expect(out.tasks!.map(t => t.taskArn)).toEqual([taskArns![0], taskArns![1]]);
    expect(out.failures).toEqual([
      { arn: unknown, reason: 'MISSING' },
      { arn: ARN('task/payments/ffff'), reason: 'MISSING' },
    ]);
    const task = out.tasks![0];
    expect(task).toMatchObject({
      clusterArn: ARN('cluster/payments'),
      taskDefinitionArn: ARN('task-definition/checkout-api:42'),
      group: 'service:checkout-api',
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      launchType: 'FARGATE',
      cpu: '256',
      memory: '512',
      containers: [expect.objectContaining({ name: 'checkout-api', lastStatus: 'RUNNING', taskArn: taskArns![0] })],
    });
    // The SDK turns epoch seconds into Dates: the wire carries numbers, as ECS does.
    expect(task.createdAt).toBeInstanceOf(Date);
    expect(task.startedAt!.getTime()).toBeGreaterThan(task.createdAt!.getTime());
    expect(task.tags).toBeUndefined();
    expect((await c.send(new DescribeTasksCommand({ cluster: 'payments', tasks: [taskArns![0]], include: ['TAGS'] }))).tasks![0].tags).toEqual([]);
    // startedBy names the service's deployment, as the service's own deployment id.
    const service = (await c.send(new DescribeServicesCommand({ cluster: 'payments', services: ['checkout-api'] }))).services![0];
    expect(task.startedBy).toBe(service.deployments![0].id);
  });

  it('rejects DescribeTasks with no task or more than 100', async () => {
    const c = ecs(emu);
    expect(await rejection(c.send(new DescribeTasksCommand({ cluster: 'payments', tasks: [] })))).toMatchObject({ name: 'InvalidParameterException' });
    const many = Array.from({ length: 101 }, (_, i) => String(i));
    expect(await rejection(c.send(new DescribeTasksCommand({ cluster: 'payments', tasks: many })))).toMatchObject({ name: 'InvalidParameterException', message: 'tasks can have at most 100 items.' });
    expect((await c.send(new DescribeTasksCommand({ cluster: 'payments', tasks: many.slice(0, 100) }))).failures).toHaveLength(100);
  });

  it('describes up to 100 clusters, reporting unknown ones MISSING, and rejects more', async () => {
    const c = ecs(emu);
    const refs = ['payments', ...Array.from({ length: 99 }, (_, i) => `none-${i}`)];
    const out = await c.send(new DescribeClustersCommand({ clusters: refs }));
    expect(out.clusters!.map(x => x.clusterName)).toEqual(['payments']);
    expect(out.clusters![0].runningTasksCount).toBe(6);
    expect(out.failures).toHaveLength(99);
    expect(out.failures![0]).toEqual({ arn: ARN('cluster/none-0'), reason: 'MISSING' });
    expect(await rejection(c.send(new DescribeClustersCommand({ clusters: [...refs, 'one-more'] })))).toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('ListTasks paging', () => {
  const fleet = (): Fleet => ({
    principals: [{ ...MAIN_KEYS, accountId: MAIN }],
    accounts: [{ id: MAIN, regions: { 'eu-west-1': { clusters: [{ name: 'big', services: [{ name: 'web', desiredCount: 230 }, { name: 'cron', desiredCount: 2 }] }] } } }],
  });
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ fleet: fleet(), faults: { rateLimit: false } });
  });
  afterEach(() => destroyClients());
  afterAll(() => emu.close());

  it('pages 100 at a time by default, and by maxResults, without repeats or gaps', async () => {
    const c = ecs(emu);
    const first = await c.send(new ListTasksCommand({ cluster: 'big', serviceName: 'web' }));
    expect(first.taskArns).toHaveLength(100);
    expect(first.nextToken).toBeDefined();
    const pages: string[][] = [];
    for await (const page of paginateListTasks({ client: c, pageSize: 7 }, { cluster: 'big', serviceName: 'web' })) pages.push(page.taskArns!);
    const all = pages.flat();
    expect(pages[0]).toHaveLength(7);
    expect(new Set(all).size).toBe(230);
    expect(all).toEqual([...all].sort());
  });

  it('rejects a token from another listing and out-of-range maxResults', async () => {
    const c = ecs(emu);
    const { nextToken } = await c.send(new ListTasksCommand({ cluster: 'big', serviceName: 'web', maxResults: 5 }));
    expect(await rejection(c.send(new ListTasksCommand({ cluster: 'big', serviceName: 'cron', nextToken })))).toMatchObject({ name: 'InvalidParameterException' });
    expect(await rejection(c.send(new ListTasksCommand({ cluster: 'big', maxResults: 101 })))).toMatchObject({ name: 'InvalidParameterException' });
  });
});
