/**
 * Amazon SQS standard queues, in the JSON protocol (awsJson1_0, `X-Amz-Target:
 * AmazonSQS.<Operation>`) that current `@aws-sdk/client-sqs` speaks: enough
 * for a consumer that long-polls, deletes in batches and lets unacknowledged
 * messages come back after their visibility timeout.
 *
 * Queue URLs are `<emulator url>/<account>/<name>`; a request may name the
 * queue by any URL ending in `/<account>/<name>`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { InputReader, type Input } from './input';
import { AwsError } from './wire';

export const SQS_TARGET_PREFIX = 'AmazonSQS';
const INVALID = 'InvalidParameterValue';
const DEFAULT_VISIBILITY_SECONDS = 30;
const MAX_WAIT_SECONDS = 20;

interface Message {
  id: string;
  body: string;
  md5: string;
  /** Epoch ms from which a receive may return it. */
  visibleAt: number;
  receiptHandle?: string;
  receiveCount: number;
  sentAt: number;
}

interface Queue {
  accountId: string;
  name: string;
  messages: Message[];
  visibilitySeconds: number;
  /** Long polls waiting for a message. */
  waiters: Set<() => void>;
}

export interface QueueCounts {
  sent: number;
  received: number;
  deleted: number;
}

export class SqsQueues {
  private readonly queues = new Map<string, Queue>();
  private readonly counts = new Map<string, QueueCounts>();
  private closed = false;

  constructor(
    private readonly baseUrl: () => string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Creates the queue if needed and returns its URL. */
  createQueue(accountId: string, name: string, visibilitySeconds = DEFAULT_VISIBILITY_SECONDS): string {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new AwsError(INVALID, `Invalid queue name ${name}`);
    const key = `${accountId}/${name}`;
    if (!this.queues.has(key)) {
      this.queues.set(key, { accountId, name, messages: [], visibilitySeconds, waiters: new Set() });
      this.counts.set(key, { sent: 0, received: 0, deleted: 0 });
    }
    return `${this.baseUrl()}/${key}`;
  }

  /** Puts a message on the queue, visible after `delayMs`. */
  send(queueUrl: string, body: string, delayMs = 0): string {
    const queue = this.queue(queueUrl);
    const now = this.clock();
    const message: Message = { id: randomUUID(), body, md5: md5(body), visibleAt: now + delayMs, receiveCount: 0, sentAt: now };
    queue.messages.push(message);
    this.countsOf(queue).sent += 1;
    if (delayMs <= 0) this.wake(queue);
    else setTimeout(() => this.wake(queue), delayMs).unref();
    return message.id;
  }

  /** Messages not deleted yet, visible or in flight. */
  depth(queueUrl: string): number {
    return this.queue(queueUrl).messages.length;
  }

  stats(queueUrl: string): QueueCounts {
    return { ...this.countsOf(this.queue(queueUrl)) };
  }

  /** Ends every long poll: the server is closing. */
  close(): void {
    this.closed = true;
    for (const queue of this.queues.values()) this.wake(queue);
  }

  async handle(accountId: string | undefined, action: string, input: Input): Promise<unknown> {
    const r = new InputReader(input, INVALID);
    switch (action) {
      case 'CreateQueue': {
        const attributes = (input.Attributes ?? {}) as Record<string, string>;
        const visibility = attributes.VisibilityTimeout !== undefined ? Number(attributes.VisibilityTimeout) : DEFAULT_VISIBILITY_SECONDS;
        return { QueueUrl: this.createQueue(accountId ?? '000000000000', r.requiredString('QueueName'), visibility) };
      }
      case 'GetQueueUrl': {
        const url = `${this.baseUrl()}/${r.string('QueueOwnerAWSAccountId') ?? accountId ?? ''}/${r.requiredString('QueueName')}`;
        this.queue(url);
        return { QueueUrl: url };
      }
      case 'SendMessage': {
        const body = r.requiredString('MessageBody');
        const delay = r.int('DelaySeconds', 0, 900, 0);
        const id = this.send(r.requiredString('QueueUrl'), body, delay * 1000);
        return { MessageId: id, MD5OfMessageBody: md5(body) };
      }
      case 'ReceiveMessage':
        return this.receive(r);
      case 'DeleteMessage': {
        const queue = this.queue(r.requiredString('QueueUrl'));
        if (!this.delete(queue, r.requiredString('ReceiptHandle'))) throw new AwsError('ReceiptHandleIsInvalid', 'The input receipt handle is invalid.');
        return {};
      }
      case 'DeleteMessageBatch': {
        const queue = this.queue(r.requiredString('QueueUrl'));
        const entries = (r.list('Entries') ?? []) as Array<{ Id?: string; ReceiptHandle?: string }>;
        if (entries.length === 0) throw new AwsError('EmptyBatchRequest', 'There should be at least one DeleteMessageBatchRequestEntry in the request.');
        if (entries.length > 10) throw new AwsError('TooManyEntriesInBatchRequest', 'Maximum number of entries per request are 10.');
        const Successful: unknown[] = [];
        const Failed: unknown[] = [];
        for (const entry of entries) {
          if (entry.ReceiptHandle && this.delete(queue, entry.ReceiptHandle)) Successful.push({ Id: entry.Id });
          else Failed.push({ Id: entry.Id, SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The input receipt handle is invalid.' });
        }
        return { Successful, Failed };
      }
      case 'PurgeQueue': {
        this.queue(r.requiredString('QueueUrl')).messages.length = 0;
        return {};
      }
      case 'GetQueueAttributes': {
        const queue = this.queue(r.requiredString('QueueUrl'));
        const now = this.clock();
        const visible = queue.messages.filter(m => m.visibleAt <= now).length;
        return {
          Attributes: {
            ApproximateNumberOfMessages: String(visible),
            ApproximateNumberOfMessagesNotVisible: String(queue.messages.length - visible),
            VisibilityTimeout: String(queue.visibilitySeconds),
          },
        };
      }
      default:
        throw new AwsError('UnsupportedOperation', `Operation ${action} is not supported by the emulator.`);
    }
  }

  private async receive(r: InputReader): Promise<unknown> {
    const queue = this.queue(r.requiredString('QueueUrl'));
    const max = r.int('MaxNumberOfMessages', 1, 10, 1);
    const waitSeconds = r.int('WaitTimeSeconds', 0, MAX_WAIT_SECONDS, 0);
    const visibility = r.int('VisibilityTimeout', 0, 43_200, queue.visibilitySeconds);
    const deadline = this.clock() + waitSeconds * 1000;
    for (;;) {
      const now = this.clock();
      const taken = queue.messages.filter(m => m.visibleAt <= now).slice(0, max);
      if (taken.length > 0 || now >= deadline || this.closed) {
        for (const m of taken) {
          m.receiveCount += 1;
          m.receiptHandle = randomUUID();
          m.visibleAt = now + visibility * 1000;
          // A message whose visibility runs out becomes receivable again: wake a poll then.
          setTimeout(() => this.wake(queue), visibility * 1000 + 1).unref();
        }
        this.countsOf(queue).received += taken.length;
        return {
          Messages: taken.map(m => ({
            MessageId: m.id,
            ReceiptHandle: m.receiptHandle,
            MD5OfBody: m.md5,
            Body: m.body,
            Attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAt) },
          })),
        };
      }
      await new Promise<void>(resolve => {
        const timer = setTimeout(done, Math.max(1, deadline - now));
        function done() {
          clearTimeout(timer);
          queue.waiters.delete(done);
          resolve();
        }
        queue.waiters.add(done);
      });
    }
  }

  private delete(queue: Queue, receiptHandle: string): boolean {
    const index = queue.messages.findIndex(m => m.receiptHandle === receiptHandle);
    if (index < 0) return false;
    queue.messages.splice(index, 1);
    this.countsOf(queue).deleted += 1;
    return true;
  }

  private wake(queue: Queue): void {
    for (const waiter of [...queue.waiters]) waiter();
  }

  private queue(queueUrl: string): Queue {
    const match = /\/(\d{12})\/([A-Za-z0-9_-]{1,80})\/?$/.exec(queueUrl);
    const queue = match ? this.queues.get(`${match[1]}/${match[2]}`) : undefined;
    if (!queue) throw new AwsError('QueueDoesNotExist', 'The specified queue does not exist.');
    return queue;
  }

  private countsOf(queue: Queue): QueueCounts {
    return this.counts.get(`${queue.accountId}/${queue.name}`)!;
  }
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}
