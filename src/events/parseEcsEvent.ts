/**
 * Reads an EventBridge event, as delivered to an SQS target and published on
 * the events topic, into the ECS services it names. An event is only a hint:
 * it says which services to describe again, never what they now look like.
 */

/** A service an event names: where it lives and how to ask ECS about it. */
export interface ServiceReference {
  accountId: string;
  region: string;
  /** The cluster's name (`default` when the call named none). */
  cluster: string;
  /** The service's name: DescribeServices takes it whatever the ARN's format. */
  name: string;
}

/** Why an event names nothing to refresh; each is counted and logged at debug level. */
export type IgnoreReason = 'malformed' | 'not-ecs' | 'unhandled-detail-type' | 'unhandled-api-call' | 'failed-api-call' | 'no-service';

export type ParsedEcsEvent =
  | { kind: 'services'; id: string; services: ServiceReference[]; detailType: string }
  | { kind: 'ignored'; reason: IgnoreReason; detail: string };

const SERVICE_ACTION = 'ECS Service Action';
const DEPLOYMENT_STATE_CHANGE = 'ECS Deployment State Change';
const API_CALL = 'AWS API Call via CloudTrail';
/** The CloudTrail calls that create, change, retag or delete a service. */
const SERVICE_CALLS = new Set(['CreateService', 'UpdateService', 'DeleteService']);
const TAG_CALLS = new Set(['TagResource', 'UntagResource']);

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const NAME = /^[A-Za-z0-9_-]{1,255}$/;
/** Long (`service/CLUSTER/NAME`) or short (`service/NAME`) service ARN. */
const SERVICE_ARN = /^arn:[a-z-]+:ecs:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):(\d{12}):service\/(?:([A-Za-z0-9_-]{1,255})\/)?([A-Za-z0-9_-]{1,255})$/;
const CLUSTER_ARN = /^arn:[a-z-]+:ecs:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):(\d{12}):cluster\/([A-Za-z0-9_-]{1,255})$/;

/**
 * The services one event names, or why it names none. Pure and total: any
 * JSON value comes back as one or the other, never as an exception.
 */
export function parseEcsEvent(payload: unknown): ParsedEcsEvent {
  if (!isRecord(payload)) return ignored('malformed', 'the event is not a JSON object');
  const detailType = payload['detail-type'];
  const { source, id, account, region } = payload;
  if (typeof detailType !== 'string' || typeof source !== 'string') return ignored('malformed', 'the event has no detail-type or source');
  if (typeof id !== 'string' || id === '') return ignored('malformed', 'the event has no id');
  if (typeof account !== 'string' || !ACCOUNT.test(account) || typeof region !== 'string' || !REGION.test(region)) {
    return ignored('malformed', `event ${id} has no valid account or region`);
  }
  const detail = payload.detail;
  if (detailType === SERVICE_ACTION || detailType === DEPLOYMENT_STATE_CHANGE) {
    if (source !== 'aws.ecs') return ignored('not-ecs', `event ${id} comes from ${source}, not aws.ecs`);
    const resources = Array.isArray(payload.resources) ? payload.resources : [];
    const first = resources[0];
    const service = typeof first === 'string' ? fromServiceArn(first, undefined) : undefined;
    if (!service) return ignored('no-service', `event ${id} (${detailType}) names no service ARN in resources[0]`);
    return named(id, detailType, service, account, region);
  }
  if (detailType === API_CALL) {
    if (!isRecord(detail)) return ignored('malformed', `event ${id} has no detail`);
    if (detail.eventSource !== 'ecs.amazonaws.com') return ignored('not-ecs', `event ${id} is a call to ${String(detail.eventSource)}`);
    const call = detail.eventName;
    if (typeof call !== 'string' || !(SERVICE_CALLS.has(call) || TAG_CALLS.has(call))) {
      return ignored('unhandled-api-call', `event ${id} is ecs:${String(call)}, which changes no service`);
    }
    // A refused call changed nothing.
    if (typeof detail.errorCode === 'string' && detail.errorCode !== '') return ignored('failed-api-call', `event ${id}: ecs:${call} failed (${detail.errorCode})`);
    const request = isRecord(detail.requestParameters) ? detail.requestParameters : {};
    const service = TAG_CALLS.has(call) ? fromTagCall(request) : fromServiceCall(request, detail.responseElements, account, region);
    if (!service) return ignored('no-service', `event ${id} (ecs:${call}) names no service`);
    return named(id, `${detailType}: ${call}`, service, account, region);
  }
  return ignored('unhandled-detail-type', `event ${id} has detail-type '${detailType}'`);
}

/**
 * `responseElements.service.serviceArn` when ECS answered with it; else
 * `requestParameters.service` as an ARN, or as a name with `cluster` (a name,
 * an ARN, or absent for `default`).
 */
function fromServiceCall(request: Record<string, unknown>, response: unknown, account: string, region: string): Partial<ServiceReference> | undefined {
  const answered = isRecord(response) && isRecord(response.service) ? response.service : undefined;
  const cluster = clusterName(request.cluster, answered?.clusterArn);
  if (typeof answered?.serviceArn === 'string') {
    const fromArn = fromServiceArn(answered.serviceArn, cluster);
    if (fromArn) return fromArn;
  }
  // CreateService names its service `serviceName`; the other calls `service`.
  const given = typeof request.service === 'string' ? request.service : request.serviceName;
  if (typeof given !== 'string') return undefined;
  if (given.startsWith('arn:')) return fromServiceArn(given, cluster);
  if (!NAME.test(given) || cluster === null) return undefined;
  return { accountId: account, region, cluster: cluster ?? 'default', name: given };
}

function fromTagCall(request: Record<string, unknown>): Partial<ServiceReference> | undefined {
  // Tag calls on clusters, task definitions and the like name no service.
  return typeof request.resourceArn === 'string' ? fromServiceArn(request.resourceArn, undefined) : undefined;
}

/** The cluster's name from a name or an ARN; `null` when given but of no valid shape, `undefined` when absent. */
function clusterName(...candidates: unknown[]): string | null | undefined {
  for (const value of candidates) {
    if (typeof value !== 'string' || value === '') continue;
    if (value.startsWith('arn:')) return CLUSTER_ARN.exec(value)?.[3] ?? null;
    return NAME.test(value) ? value : null;
  }
  return undefined;
}

/** A short ARN names no cluster: the cluster given beside it does, or the caller finds it. */
function fromServiceArn(arn: string, cluster: string | null | undefined): Partial<ServiceReference> | undefined {
  const match = SERVICE_ARN.exec(arn);
  if (!match) return undefined;
  const [, region, accountId, fromArn, name] = match;
  const reference: Partial<ServiceReference> = { accountId, region, name };
  const inCluster = fromArn ?? (cluster === null ? undefined : cluster);
  if (inCluster) reference.cluster = inCluster;
  return reference;
}

function named(id: string, detailType: string, service: Partial<ServiceReference>, account: string, region: string): ParsedEcsEvent {
  // An ARN of another account or region than the event's own is not trusted.
  if (service.accountId !== account || service.region !== region) {
    return ignored('malformed', `event ${id} of ${account}/${region} names a service of ${service.accountId}/${service.region}`);
  }
  return { kind: 'services', id, detailType, services: [{ accountId: account, region, cluster: service.cluster ?? '', name: service.name! }] };
}

function ignored(reason: IgnoreReason, detail: string): ParsedEcsEvent {
  return { kind: 'ignored', reason, detail };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
