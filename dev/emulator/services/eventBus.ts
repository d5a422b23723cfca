/**
 * An EventBridge-like fan-out: each ECS change made through the emulator puts
 * the events AWS would deliver to an SQS target onto a configured queue, in
 * the shape EventBridge gives them (`version, id, detail-type, source,
 * account, time, region, resources, detail`): native ECS events and
 * CloudTrail API calls. Knobs drop, duplicate, delay and reorder them, as a
 * real bus may (CloudTrail delivery is best effort and can take minutes).
 */
import { randomUUID } from 'node:crypto';
import { mulberry32, type Random } from '../prng';
import type { SqsQueues } from './sqs';

export type ServiceChangeKind = 'create' | 'update' | 'tag' | 'untag' | 'delete';

/** What changed, as the fan-out needs it. */
export interface ServiceChange {
  kind: ServiceChangeKind;
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  clusterName: string;
  accountId: string;
  region: string;
  /** The service's PRIMARY deployment after the change. */
  deploymentId?: string;
}

export type EventStyle = 'native' | 'cloudtrail';

export interface EventBusOptions {
  /** The queue every event goes to (a URL the emulator's SQS serves). */
  queueUrl: string;
  /** Delay before an event is on the queue, as EventBridge and CloudTrail take a moment. Default 0. */
  delayMs?: number;
  /** Up to this much more delay, at random per event: events then arrive out of order. Default 0. */
  reorderMs?: number;
  /** Share of events lost, 0..1. Default 0. */
  drop?: number;
  /** Share of events delivered twice (same id), 0..1. Default 0. */
  duplicate?: number;
  /** Which kinds of events to put. Default both. */
  styles?: EventStyle[];
  /** Seed of the randomness behind drop, duplicate, reorder and the request forms. Default 1. */
  seed?: number;
}

export interface EventBusStats {
  /** Events the changes called for (before drops). */
  produced: number;
  dropped: number;
  duplicated: number;
  /** Messages put on the queue, duplicates included. */
  delivered: number;
}

export class EcsEventBus {
  private options?: Required<EventBusOptions>;
  private random: Random = mulberry32(1);
  private counts: EventBusStats = { produced: 0, dropped: 0, duplicated: 0, delivered: 0 };
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly sqs: SqsQueues) {}

  /** Starts, changes or (with undefined) stops the fan-out. */
  configure(options: EventBusOptions | undefined): void {
    if (!options) {
      this.options = undefined;
      return;
    }
    for (const [key, value] of Object.entries({ drop: options.drop, duplicate: options.duplicate })) {
      if (value !== undefined && !(value >= 0 && value <= 1)) throw new Error(`event bus ${key} must be from 0 to 1, got ${value}`);
    }
    this.options = { delayMs: 0, reorderMs: 0, drop: 0, duplicate: 0, styles: ['native', 'cloudtrail'], seed: 1, ...options };
    this.random = mulberry32(this.options.seed);
  }

  get stats(): EventBusStats {
    return { ...this.counts };
  }

  resetStats(): void {
    this.counts = { produced: 0, dropped: 0, duplicated: 0, delivered: 0 };
  }

  /** Events waiting out their delay. */
  get inFlight(): number {
    return this.timers.size;
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  changed(change: ServiceChange): void {
    const options = this.options;
    if (!options) return;
    for (const event of eventsFor(change, options.styles, this.random)) {
      this.counts.produced += 1;
      if (this.random() < options.drop) {
        this.counts.dropped += 1;
        continue;
      }
      const copies = this.random() < options.duplicate ? 2 : 1;
      if (copies === 2) this.counts.duplicated += 1;
      for (let i = 0; i < copies; i++) {
        const delay = options.delayMs + (options.reorderMs > 0 ? Math.floor(this.random() * options.reorderMs) : 0);
        const body = JSON.stringify(event);
        const put = () => {
          try {
            this.sqs.send(options.queueUrl, body);
            this.counts.delivered += 1;
          } catch {
            // The queue is gone: the event is lost, as it would be.
          }
        };
        if (delay <= 0) {
          put();
          continue;
        }
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          put();
        }, delay);
        timer.unref();
        this.timers.add(timer);
      }
    }
  }
}

/** The events one change calls for, in the shapes EventBridge delivers. */
export function eventsFor(change: ServiceChange, styles: readonly EventStyle[], random: Random): object[] {
  const events: object[] = [];
  if (styles.includes('cloudtrail')) events.push(cloudTrailEvent(change, random));
  if (styles.includes('native')) {
    if (change.kind === 'create') events.push(nativeEvent(change, 'ECS Service Action', { eventType: 'INFO', eventName: 'SERVICE_STEADY_STATE', clusterArn: change.clusterArn }));
    if (change.kind === 'update') {
      // Drawn even when the change names its deployment, so a seed gives the same drops and duplicates as before.
      const drawnId = `ecs-svc/${Math.floor(random() * 1e16)}`;
      events.push(
        nativeEvent(change, 'ECS Deployment State Change', {
          eventType: 'INFO',
          eventName: 'SERVICE_DEPLOYMENT_IN_PROGRESS',
          deploymentId: change.deploymentId ?? drawnId,
          updatedAt: new Date().toISOString(),
          reason: 'ECS deployment in progress.',
        }),
      );
    }
  }
  return events;
}

function envelope(change: ServiceChange, detailType: string, source: string, resources: string[], detail: object): object {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source,
    account: change.accountId,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: change.region,
    resources,
    detail,
  };
}

function nativeEvent(change: ServiceChange, detailType: string, detail: object): object {
  return envelope(change, detailType, 'aws.ecs', [change.serviceArn], detail);
}

const CALLS: Record<ServiceChangeKind, string> = {
  create: 'CreateService',
  update: 'UpdateService',
  tag: 'TagResource',
  untag: 'UntagResource',
  delete: 'DeleteService',
};

/**
 * A CloudTrail record of the call, naming the service in one of the forms a
 * caller may use: a name with the cluster's name, its ARN or (for `default`)
 * nothing, or the service's ARN; CreateService's answer carries the ARN.
 */
function cloudTrailEvent(change: ServiceChange, random: Random): object {
  const call = CALLS[change.kind];
  let requestParameters: Record<string, unknown>;
  let responseElements: Record<string, unknown> | null = null;
  if (change.kind === 'tag' || change.kind === 'untag') {
    requestParameters = change.kind === 'tag' ? { resourceArn: change.serviceArn, tags: [] } : { resourceArn: change.serviceArn, tagKeys: [] };
  } else {
    const forms: Array<Record<string, unknown>> = [
      { service: change.serviceName, cluster: change.clusterName },
      { service: change.serviceName, cluster: change.clusterArn },
      { service: change.serviceArn, cluster: change.clusterName },
    ];
    if (change.clusterName === 'default') forms.push({ service: change.serviceName });
    requestParameters = forms[Math.floor(random() * forms.length)] as Record<string, unknown>;
    if (change.kind === 'create') {
      requestParameters = { serviceName: change.serviceName, cluster: change.clusterName };
      responseElements = { service: { serviceArn: change.serviceArn, serviceName: change.serviceName, clusterArn: change.clusterArn, status: 'ACTIVE' } };
    }
  }
  return envelope(change, 'AWS API Call via CloudTrail', 'aws.ecs', [], {
    eventVersion: '1.08',
    eventTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'ecs.amazonaws.com',
    eventName: call,
    awsRegion: change.region,
    sourceIPAddress: '127.0.0.1',
    userAgent: 'aws-emulator',
    requestParameters,
    responseElements,
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: change.accountId,
    eventCategory: 'Management',
  });
}
