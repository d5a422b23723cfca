import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startEmulator, type Emulator } from '../../dev/emulator/emulator';
import { parseFleet, type Fleet } from '../../dev/emulator/fleet';
import { destroyClients, ecs, MAIN, MAIN_KEYS, rejection, smallFleet } from './helpers';

const CLUSTER = `arn:aws:ecs:eu-west-1:${MAIN}:cluster/payments`;
const CHECKOUT = `arn:aws:ecs:eu-west-1:${MAIN}:service/payments/checkout-api`;
const LEGACY = `arn:aws:ecs:eu-west-1:${MAIN}:service/legacy-billing`;
const TD = (rev: number, family = 'checkout-api') => `arn:aws:ecs:eu-west-1:${MAIN}:task-definition/${family}:${rev}`;

function fleet(): Fleet {
  const f = smallFleet();
  const region = f.accounts[0]!.regions!['eu-west-1']!;
  region.taskDefinitions = ['checkout-api:45', 'batch-job:3'];
  return f;
}

async function describe1(emu: Emulator, service = CHECKOUT): Promise<Service> {
  const out = await ecs(emu).send(new DescribeServicesCommand({ cluster: CLUSTER, services: [service] }));
  return out.services![0]!;
}

describe('ECS UpdateService, deployments and task definitions through the real ECSClient', () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await startEmulator({ fleet: fleet(), faults: { rateLimit: false } });
  });
  afterEach(async () => {
    destroyClients();
    await emu.close();
  });

  it('gives every service one completed PRIMARY deployment with an id stable across restarts', async () => {
    const s = await describe1(emu);
    expect(s.deployments).toHaveLength(1);
    const d = s.deployments![0]!;
    expect(d.id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(d).toMatchObject({ status: 'PRIMARY', taskDefinition: TD(42), desiredCount: 3, runningCount: 3, pendingCount: 0, rolloutState: 'COMPLETED' });
    expect(d.createdAt).toEqual(new Date('2025-03-01T10:00:00Z'));
    const other = await describe1(emu, LEGACY);
    expect(other.deployments![0]!.id).not.toBe(d.id);
    emu.replaceFleet(fleet());
    expect((await describe1(emu)).deployments![0]!.id).toBe(d.id);
  });

  it('scales without a new deployment, and the tasks follow the count', async () => {
    const before = await describe1(emu);
    const out = await ecs(emu).send(new UpdateServiceCommand({ cluster: 'payments', service: 'checkout-api', desiredCount: 5 }));
    expect(out.service!.desiredCount).toBe(5);
    expect(out.service!.deployments).toHaveLength(1);
    expect(out.service!.deployments![0]).toMatchObject({ id: before.deployments![0]!.id, desiredCount: 5, runningCount: 5, taskDefinition: TD(42) });
    const after = await describe1(emu);
    expect(after).toMatchObject({ desiredCount: 5, runningCount: 5, taskDefinition: TD(42) });
    const tasks = await ecs(emu).send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'checkout-api' }));
    expect(tasks.taskArns).toHaveLength(5);
    await ecs(emu).send(new UpdateServiceCommand({ cluster: CLUSTER, service: CHECKOUT, desiredCount: 0 }));
    expect((await ecs(emu).send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'checkout-api' }))).taskArns).toEqual([]);
  });

  it('restarts with forceNewDeployment: a new PRIMARY, the old one ACTIVE, tasks started by the new one', async () => {
    const old = (await describe1(emu)).deployments![0]!.id!;
    const out = await ecs(emu).send(new UpdateServiceCommand({ cluster: CLUSTER, service: CHECKOUT, forceNewDeployment: true }));
    const [primary, replaced] = out.service!.deployments!;
    expect(primary).toMatchObject({ status: 'PRIMARY', taskDefinition: TD(42), desiredCount: 3, rolloutState: 'COMPLETED' });
    expect(primary!.id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(primary!.id).not.toBe(old);
    expect(replaced).toMatchObject({ id: old, status: 'ACTIVE', runningCount: 0 });
    const again = await ecs(emu).send(new UpdateServiceCommand({ cluster: CLUSTER, service: CHECKOUT, forceNewDeployment: true }));
    const ids = again.service!.deployments!.map(d => d.id);
    expect(ids).toHaveLength(2);
    expect(new Set([old, primary!.id, ...ids]).size).toBe(3);
    const tasks = await ecs(emu).send(new ListTasksCommand({ cluster: CLUSTER, startedBy: ids[0] }));
    expect(tasks.taskArns).toHaveLength(3);
  });

  it('deploys a registered revision, rolls back to an earlier one, and resolves a bare family to the latest', async () => {
    const c = ecs(emu);
    const deployed = await c.send(new UpdateServiceCommand({ cluster: CLUSTER, service: CHECKOUT, taskDefinition: 'checkout-api:45' }));
    expect(deployed.service!.taskDefinition).toBe(TD(45));
    expect(deployed.service!.deployments![0]).toMatchObject({ status: 'PRIMARY', taskDefinition: TD(45) });
    expect(deployed.service!.deployments![1]).toMatchObject({ status: 'ACTIVE', taskDefinition: TD(42) });
    const rolledBack = await c.send(new UpdateServiceCommand({ cluster: CLUSTER, service: CHECKOUT, taskDefinition: TD(7) }));
    expect(rolledBack.service!.taskDefinition).toBe(TD(7));
    const latest = await c.send(new UpdateServiceCommand({ cluster: CLUSTER, service: CHECKOUT, taskDefinition: 'checkout-api' }));
    expect(latest.service!.taskDefinition).toBe(TD(45));
    expect((await describe1(emu)).taskDefinition).toBe(TD(45));
  });

  it('answers bad requests as ECS does and changes nothing', async () => {
    const c = ecs(emu);
    const notFound = async (input: ConstructorParameters<typeof UpdateServiceCommand>[0]) => rejection(c.send(new UpdateServiceCommand(input)));
    const missing = await notFound({ cluster: CLUSTER, service: 'nope', desiredCount: 1 });
    expect([missing.name, missing.message, missing.$metadata?.httpStatusCode]).toEqual(['ServiceNotFoundException', 'Service not found.', 400]);
    const otherCluster = await notFound({ cluster: 'default', service: 'checkout-api', desiredCount: 1 });
    expect(otherCluster.name).toBe('ClusterNotFoundException');
    expect(otherCluster.message).toBe('Cluster not found.');
    const inactive = await notFound({ cluster: CLUSTER, service: 'old-svc', desiredCount: 1 });
    expect([inactive.name, inactive.message]).toEqual(['ServiceNotActiveException', 'Service was not ACTIVE.']);
    expect((await notFound({ cluster: CLUSTER, service: 'draining-svc', desiredCount: 1 })).name).toBe('ServiceNotActiveException');
    const unknownRevision = await notFound({ cluster: CLUSTER, service: CHECKOUT, taskDefinition: 'checkout-api:46' });
    expect([unknownRevision.name, unknownRevision.message]).toEqual(['ClientException', 'TaskDefinition not found.']);
    expect((await notFound({ cluster: CLUSTER, service: CHECKOUT, taskDefinition: 'no-such-family' })).name).toBe('ClientException');
    expect((await notFound({ cluster: CLUSTER, service: CHECKOUT, taskDefinition: TD(42).replace(MAIN, '222222222222') })).name).toBe('ClientException');
    expect((await notFound({ cluster: CLUSTER, service: CHECKOUT, desiredCount: -1 })).name).toBe('InvalidParameterException');
    expect((await notFound({ cluster: CLUSTER, service: '', desiredCount: 1 })).name).toBe('InvalidParameterException');
    const s = await describe1(emu);
    expect(s).toMatchObject({ desiredCount: 3, taskDefinition: TD(42) });
    expect(s.deployments).toHaveLength(1);
  });

  it('finds a service by short ARN, long ARN or name', async () => {
    const c = ecs(emu);
    const byShortArn = await c.send(new UpdateServiceCommand({ cluster: CLUSTER, service: LEGACY, desiredCount: 2 }));
    expect(byShortArn.service!.serviceArn).toBe(LEGACY);
    const byName = await c.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'legacy-billing', desiredCount: 4 }));
    expect(byName.service!.desiredCount).toBe(4);
    expect((await describe1(emu, LEGACY)).desiredCount).toBe(4);
  });

  it('draws on the service-writes bucket', async () => {
    emu.setFaults({ rateLimit: { serviceWrites: { burst: 2, perSecond: 0.001 } } });
    const c = ecs(emu, { maxAttempts: 1 });
    await c.send(new UpdateServiceCommand({ cluster: CLUSTER, service: CHECKOUT, desiredCount: 1 }));
    await c.send(new UpdateServiceCommand({ cluster: CLUSTER, service: CHECKOUT, desiredCount: 2 }));
    const throttled = await rejection(c.send(new UpdateServiceCommand({ cluster: CLUSTER, service: CHECKOUT, desiredCount: 9 })));
    expect(throttled.name).toBe('ThrottlingException');
    // Reads have buckets of their own.
    expect((await describe1(emu)).desiredCount).toBe(2);
  });

  it('lists and describes task-definition revisions, with familyPrefix, sort and paging', async () => {
    const c = ecs(emu);
    const all: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await c.send(new ListTaskDefinitionsCommand({ familyPrefix: 'checkout', maxResults: 20, nextToken }));
      expect(page.taskDefinitionArns!.length).toBeLessThanOrEqual(20);
      all.push(...page.taskDefinitionArns!);
      nextToken = page.nextToken;
    } while (nextToken);
    // The service implies 1..42; the fleet registers 45 alone.
    expect(all).toEqual([...Array.from({ length: 42 }, (_, i) => TD(i + 1)), TD(45)]);
    const desc = await c.send(new ListTaskDefinitionsCommand({ familyPrefix: 'batch', sort: 'DESC' }));
    expect(desc.taskDefinitionArns).toEqual([TD(3, 'batch-job')]);
    const inactive = await c.send(new ListTaskDefinitionsCommand({ status: 'INACTIVE' }));
    expect(inactive.taskDefinitionArns).toEqual([]);
    const td = await c.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'checkout-api' }));
    expect(td.taskDefinition).toMatchObject({ taskDefinitionArn: TD(45), family: 'checkout-api', revision: 45, status: 'ACTIVE' });
    expect((await rejection(c.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'checkout-api:99' })))).name).toBe('ClientException');
  });

  it('puts an ECS event on the bus for an UpdateService', async () => {
    const queueUrl = emu.createQueue(MAIN, 'ecs-events');
    emu.configureEvents({ queueUrl, styles: ['native'] });
    const out = await ecs(emu).send(new UpdateServiceCommand({ cluster: CLUSTER, service: CHECKOUT, forceNewDeployment: true }));
    expect(emu.queueDepth(queueUrl)).toBe(1);
    const sqs = new SQSClient({ endpoint: emu.url, region: 'eu-west-1', credentials: { ...MAIN_KEYS } });
    try {
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
      const event = JSON.parse(received.Messages![0]!.Body!) as { 'detail-type': string; resources: string[]; detail: { deploymentId: string } };
      expect(event['detail-type']).toBe('ECS Deployment State Change');
      expect(event.resources).toEqual([CHECKOUT]);
      expect(event.detail.deploymentId).toBe(out.service!.deployments![0]!.id);
    } finally {
      sqs.destroy();
    }
    emu.configureEvents(undefined);
  });
});

describe('task definitions in the fleet', () => {
  it('must be family:revision', () => {
    const f = smallFleet();
    f.accounts[0]!.regions!['eu-west-1']!.taskDefinitions = ['checkout-api:43', 'checkout-api', 'bad name:1'];
    expect(() => parseFleet(f)).toThrow(/taskDefinitions\[1\]: must be "family:revision", got "checkout-api"[\s\S]*taskDefinitions\[2\]/);
  });
});
