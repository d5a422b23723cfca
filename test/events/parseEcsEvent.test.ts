import { parseEcsEvent } from '../../src/events/parseEcsEvent';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const LONG = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/shop/cart`;
const SHORT = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/cart`;
const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/shop`;

function envelope(detailType: string, detail: object, resources: string[] = []): object {
  return { version: '0', id: 'e-1', 'detail-type': detailType, source: 'aws.ecs', account: ACCOUNT, time: '2026-01-01T00:00:00Z', region: REGION, resources, detail };
}

function apiCall(eventName: string, requestParameters: object, responseElements: object | null = null, extra: object = {}): object {
  return envelope('AWS API Call via CloudTrail', { eventSource: 'ecs.amazonaws.com', eventName, requestParameters, responseElements, ...extra });
}

const cart = (cluster: string) => ({ kind: 'services', id: 'e-1', services: [{ accountId: ACCOUNT, region: REGION, cluster, name: 'cart' }] });

describe('parseEcsEvent', () => {
  it.each([
    ['ECS Service Action with a long ARN', envelope('ECS Service Action', { eventName: 'SERVICE_STEADY_STATE' }, [LONG]), 'shop'],
    ['ECS Deployment State Change with a long ARN', envelope('ECS Deployment State Change', { eventName: 'SERVICE_DEPLOYMENT_COMPLETED' }, [LONG]), 'shop'],
    ['a native event with a short ARN (cluster left to the caller)', envelope('ECS Service Action', {}, [SHORT]), ''],
    ['CreateService answered with the ARN', apiCall('CreateService', { serviceName: 'cart', cluster: 'shop' }, { service: { serviceArn: LONG, clusterArn: CLUSTER_ARN } }), 'shop'],
    ['CreateService of a short ARN, cluster from the answer', apiCall('CreateService', { serviceName: 'cart' }, { service: { serviceArn: SHORT, clusterArn: CLUSTER_ARN } }), 'shop'],
    ['UpdateService by name with the cluster by name', apiCall('UpdateService', { service: 'cart', cluster: 'shop' }), 'shop'],
    ['UpdateService by name with the cluster by ARN', apiCall('UpdateService', { service: 'cart', cluster: CLUSTER_ARN }), 'shop'],
    ['UpdateService by name without a cluster (default)', apiCall('UpdateService', { service: 'cart' }), 'default'],
    ['DeleteService by long ARN', apiCall('DeleteService', { service: LONG }), 'shop'],
    ['DeleteService by short ARN with the cluster by name', apiCall('DeleteService', { service: SHORT, cluster: 'shop' }), 'shop'],
    ['TagResource on a service', apiCall('TagResource', { resourceArn: LONG, tags: [{ key: 'owner', value: 'x' }] }), 'shop'],
    ['UntagResource on a service', apiCall('UntagResource', { resourceArn: LONG, tagKeys: ['owner'] }), 'shop'],
  ])('reads %s', (_what, event, cluster) => {
    expect(parseEcsEvent(event)).toMatchObject(cart(cluster));
  });

  it.each([
    ['a string', 'hello', 'malformed'],
    ['an array', [1, 2], 'malformed'],
    ['an event without an id', { ...(envelope('ECS Service Action', {}, [LONG]) as object), id: undefined }, 'malformed'],
    ['an event with a bad account', { ...(envelope('ECS Service Action', {}, [LONG]) as object), account: '12' }, 'malformed'],
    ['a native event from another source', { ...(envelope('ECS Service Action', {}, [LONG]) as object), source: 'custom.app' }, 'not-ecs'],
    ['a native event without resources', envelope('ECS Service Action', {}), 'no-service'],
    ['a native event naming a task', envelope('ECS Task State Change', {}, [`arn:aws:ecs:${REGION}:${ACCOUNT}:task/shop/abc`]), 'unhandled-detail-type'],
    ['a call to another AWS service', envelope('AWS API Call via CloudTrail', { eventSource: 's3.amazonaws.com', eventName: 'PutObject' }), 'not-ecs'],
    ['an ECS call that changes no service', apiCall('RegisterTaskDefinition', {}), 'unhandled-api-call'],
    ['a refused call', apiCall('UpdateService', { service: 'cart' }, null, { errorCode: 'AccessDenied' }), 'failed-api-call'],
    ['a tag call on a cluster', apiCall('TagResource', { resourceArn: CLUSTER_ARN }), 'no-service'],
    ['a service name of no valid shape', apiCall('UpdateService', { service: '<script>' }), 'no-service'],
    ['a cluster of no valid shape', apiCall('UpdateService', { service: 'cart', cluster: 'a b' }), 'no-service'],
    ['an ARN of another account than the event', apiCall('DeleteService', { service: `arn:aws:ecs:${REGION}:222222222222:service/shop/cart` }), 'malformed'],
  ])('ignores %s', (_what, event, reason) => {
    expect(parseEcsEvent(event)).toMatchObject({ kind: 'ignored', reason });
  });
});
