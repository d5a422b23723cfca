/**
 * Resource Groups Tagging API (awsJson1_1, X-Amz-Target
 * ResourceGroupsTaggingAPI_20170126.GetResources) over the ECS resources of the
 * caller's account and region. Unlike ECS, this API capitalises its members
 * (`ResourceARN`, `Tags: [{Key, Value}]`), only returns resources that carry at
 * least one tag, and signals the last page with PaginationToken ''.
 */
import type { ScopeContext } from './ecs';
import { InputReader, type Input } from './input';
import { decodeToken, encodeToken } from './paging';
import { upperBound } from './sorted';
import type { ClusterRecord, ServiceRecord, TagPairs } from './state';
import { AwsError } from './wire';

export const TAGGING_TARGET_PREFIX = 'ResourceGroupsTaggingAPI_20170126';

interface TagFilter {
  key: string;
  values: readonly string[];
}

const INVALID = 'InvalidParameterException';

function matches(tags: TagPairs, filters: readonly TagFilter[]): boolean {
  if (tags.length === 0) return false;
  for (const f of filters) {
    const pair = tags.find(([k]) => k === f.key);
    if (!pair) return false;
    if (f.values.length > 0 && !f.values.includes(pair[1])) return false;
  }
  return true;
}

function mapping(arn: string, tags: TagPairs): unknown {
  return { ResourceARN: arn, Tags: tags.map(([Key, Value]) => ({ Key, Value })) };
}

function readTagFilters(r: InputReader): TagFilter[] {
  const raw = r.list('TagFilters') ?? [];
  if (raw.length > 50) r.fail('TagFilters can have at most 50 items.');
  return raw.map((f) => {
    const o = (f ?? {}) as { Key?: unknown; Values?: unknown };
    if (typeof o.Key !== 'string' || o.Key === '') r.fail('Each TagFilter needs a Key.');
    const values = o.Values ?? [];
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) r.fail('TagFilter Values must be a list of strings.');
    return { key: o.Key, values: values as string[] };
  });
}

/** Which of our two resource types the ResourceTypeFilters select. */
function readTypes(r: InputReader): { clusters: boolean; services: boolean } {
  const types = r.stringList('ResourceTypeFilters');
  if (!types || types.length === 0) return { clusters: true, services: true };
  return {
    clusters: types.includes('ecs') || types.includes('ecs:cluster'),
    services: types.includes('ecs') || types.includes('ecs:service'),
  };
}

export function handleTagging(ctx: ScopeContext, action: string, input: Input): unknown {
  if (action !== 'GetResources') {
    throw new AwsError('UnknownOperationException', `Operation ${action} is not supported by the emulator.`, 400);
  }
  const r = new InputReader(input, INVALID);
  const perPage = r.int('ResourcesPerPage', 1, 100, 100);
  const filters = readTagFilters(r);
  const types = readTypes(r);
  const arnList = r.stringList('ResourceARNList');
  const reg = ctx.state.region(ctx.caller.accountId, ctx.region);

  if (arnList) {
    if (filters.length > 0 || r.stringList('ResourceTypeFilters')) r.fail('ResourceARNList cannot be combined with TagFilters or ResourceTypeFilters.');
    if (arnList.length > 100) r.fail('ResourceARNList can have at most 100 items.');
    const list: unknown[] = [];
    for (const arn of arnList) {
      const res = ctx.state.service(arn) ?? ctx.state.cluster(arn);
      const owner = res && 'cluster' in res ? res.cluster.region : res?.region;
      if (res && owner === reg && res.tags.length > 0) list.push(mapping(arn, res.tags));
    }
    return { ResourceTagMappingList: list, PaginationToken: '' };
  }

  const scope = `${ctx.caller.accountId}/${ctx.region}`;
  const token = r.string('PaginationToken');
  let last: string | undefined;
  if (token) {
    last = decodeToken(token, 'resources', scope);
    if (last === undefined) r.fail('The specified pagination token is invalid.');
  }
  // Resources are walked in ARN order. Every ...:cluster/ ARN sorts before every
  // ...:service/ ARN of the same account and region, so clusters come first and
  // one "last ARN" resumes either list.
  const clusters: readonly ClusterRecord[] = types.clusters ? (reg?.clusters ?? []) : [];
  const services: readonly ServiceRecord[] = types.services ? (reg?.services ?? []) : [];
  const out: unknown[] = [];
  let lastArn: string | undefined;
  let ci = last === undefined ? 0 : upperBound(clusters, last);
  for (; ci < clusters.length && out.length < perPage; ci++) {
    const c = clusters[ci] as ClusterRecord;
    lastArn = c.arn;
    if (matches(c.tags, filters)) out.push(mapping(c.arn, c.tags));
  }
  let si = last === undefined ? 0 : upperBound(services, last);
  for (; si < services.length && out.length < perPage; si++) {
    const s = services[si] as ServiceRecord;
    lastArn = s.arn;
    if (s.status !== 'INACTIVE' && matches(s.tags, filters)) out.push(mapping(s.arn, s.tags));
  }
  const more = ci < clusters.length || si < services.length;
  return {
    ResourceTagMappingList: out,
    PaginationToken: more && lastArn !== undefined ? encodeToken('resources', scope, lastArn) : '',
  };
}
