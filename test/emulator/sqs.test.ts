import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startEmulator, type Emulator } from '../../dev/emulator';
import { MAIN, MAIN_KEYS, smallFleet } from './helpers';

describe('the emulator as SQS, through the real SDK client', () => {
  let emulator: Emulator;
  let sqs: SQSClient;
  let queueUrl: string;

  beforeAll(async () => {
    emulator = await startEmulator({ fleet: smallFleet() });
    sqs = new SQSClient({ endpoint: emulator.url, region: 'eu-west-1', credentials: MAIN_KEYS });
  });
  afterAll(async () => {
    sqs.destroy();
    await emulator.close();
  });
  beforeEach(() => {
    queueUrl = emulator.createQueue(MAIN, `q-${Math.floor(Math.random() * 1e9)}`);
  });

  it('hands a message not deleted back once its visibility timeout runs out, and not before', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"hello":"world"}' }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 1, MaxNumberOfMessages: 10 }));
    expect(first.Messages?.map(m => m.Body)).toEqual(['{"hello":"world"}']);
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).Messages ?? []).toEqual([]);
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 3 }));
    expect(again.Messages?.[0].MessageId).toBe(first.Messages![0].MessageId);
    expect(again.Messages?.[0].ReceiptHandle).not.toBe(first.Messages![0].ReceiptHandle);
    const deleted = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'a', ReceiptHandle: again.Messages![0].ReceiptHandle }, { Id: 'stale', ReceiptHandle: first.Messages![0].ReceiptHandle }] }));
    expect(deleted.Successful?.map(s => s.Id)).toEqual(['a']);
    expect(deleted.Failed?.map(f => [f.Id, f.Code])).toEqual([['stale', 'ReceiptHandleIsInvalid']]);
    expect(emulator.queueDepth(queueUrl)).toBe(0);
  });

  it('answers a long poll as soon as a message arrives', async () => {
    const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 20 }));
    setTimeout(() => emulator.sendMessage(queueUrl, 'late'), 200);
    expect((await polling).Messages?.map(m => m.Body)).toEqual(['late']);
  });

  it('puts the events of a service change on the queue, dropped or duplicated as configured', async () => {
    emulator.configureEvents({ queueUrl });
    const arn = emulator.addService(MAIN, 'us-east-1', 'default', { name: 'evented' });
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    const bodies = (received.Messages ?? []).map(m => JSON.parse(m.Body!));
    expect(bodies.map(b => b['detail-type']).sort()).toEqual(['AWS API Call via CloudTrail', 'ECS Service Action']);
    expect(bodies.find(b => b['detail-type'] === 'ECS Service Action').resources).toEqual([arn]);
    expect(bodies.find(b => b.detail.eventName === 'CreateService').detail.responseElements.service.serviceArn).toBe(arn);
    emulator.configureEvents({ queueUrl, drop: 1 });
    emulator.setServiceTags(arn, { owner: 'x' });
    expect(emulator.queueDepth(queueUrl)).toBe(2);
    emulator.configureEvents({ queueUrl, duplicate: 1 });
    emulator.setServiceTags(arn, { owner: 'y' });
    expect(emulator.queueDepth(queueUrl)).toBe(4);
    emulator.configureEvents(undefined);
  });

  it('takes fleet changes over its admin route, with the same events as the API calls', async () => {
    emulator.configureEvents({ queueUrl });
    const change = (body: unknown) =>
      fetch(`${emulator.url}/__emulator/services`, { method: 'POST', body: JSON.stringify(body) }).then(async r => ({ status: r.status, json: (await r.json()) as Record<string, unknown> }));
    const created = await change({ change: 'create', accountId: MAIN, region: 'us-east-1', cluster: 'default', service: { name: 'from-outside' } });
    expect(created.status).toBe(200);
    const arn = created.json.serviceArn as string;
    expect(arn).toMatch(/:service\/default\/from-outside$/);
    expect((await change({ change: 'update', arn, desiredCount: 3 })).status).toBe(200);
    expect((await change({ change: 'tag', arn, tags: { owner: 'team-a' } })).status).toBe(200);
    expect((await change({ change: 'delete', arn })).status).toBe(200);
    const names: string[] = [];
    for (let i = 0; i < 5 && names.length < 4; i++) {
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of received.Messages ?? []) {
        const body = JSON.parse(m.Body!);
        if (body['detail-type'] === 'AWS API Call via CloudTrail') names.push(body.detail.eventName);
      }
    }
    expect(names.sort()).toEqual(['CreateService', 'DeleteService', 'TagResource', 'UpdateService']);
    // Bad requests name the field at fault and change nothing.
    expect(await change({ change: 'update', arn: 'arn:aws:ecs:us-east-1:000000000000:service/default/none', desiredCount: -1 })).toEqual({
      status: 400,
      json: { message: 'desiredCount must be a whole number of at least 0' },
    });
    expect((await change({ change: 'rename' })).json.message).toBe('change must be one of create, update, delete, tag');
    expect((await change({ change: 'delete', arn: 'arn:aws:ecs:us-east-1:000000000000:service/default/none' })).status).toBe(400);
    emulator.configureEvents(undefined);
  });
});
