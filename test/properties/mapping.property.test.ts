import { ANNOTATION_LOCATION, ANNOTATION_ORIGIN_LOCATION, type Entity } from '@backstage/catalog-model';
import fc from 'fast-check';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_CLUSTER_ARN,
  ANNOTATION_OWNER_SOURCE,
  ANNOTATION_REGION,
  ANNOTATION_REPORTED_SERVICE_ARN,
  ANNOTATION_SERVICE_ARN,
  ANNOTATION_TASK_DEFINITION_FAMILY,
} from '../../src/mapping/annotations';
import { type ClaimContext, mapService } from '../../src/mapping/mapService';
import { mapServices } from '../../src/mapping/mapServices';
import { DEFAULT_MAPPING_DEFAULTS, DEFAULT_TAG_KEYS, defaultMappingOptions, type MappingOptions } from '../../src/mapping/mappingOptions';
import type { MappingRule } from '../../src/mapping/rules';
import { validateEntity } from '../../src/mapping/validateEntity';
import { compareStrings, taskDefinitionFamily, type EcsService } from '../../src/scan/inventory';
import {
  catalogName,
  catalogNamespace,
  entityRef,
  expectedConsoleUrl,
  hostileString,
  launchType,
  MARKER,
  markedString,
  serviceArn,
  serviceFrom,
  serviceParts,
  status,
  tagEntries,
  tagKey,
  tagsOf,
  validOwner,
} from './arbitraries';
import { check, RUNS } from './support';

/**
 * Properties of the mapping from ECS services to catalog entities, over names
 * and ARNs ECS can send and tags that hold anything at all.
 */

/** The pattern of the brief, with groups: host partition, cluster, service, region. */
const CONSOLE_URL =
  /^https:\/\/[a-z0-9-]+\.console\.(aws\.amazon\.com|amazonaws-us-gov\.com|amazonaws\.cn)\/ecs\/v2\/clusters\/([A-Za-z0-9_-]+)\/services\/([A-Za-z0-9_-]+)\/health\?region=([a-z0-9-]+)$/;
const ENTITY_NAME = /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/;
/** A full entity reference as the mapping writes it from a tag: lower case, valid namespace and name. */
const NORMALISED_REF = /^[a-z0-9-]+:[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/;
const LIFECYCLE = /^[a-z0-9](?:[a-z0-9._-]{0,61}[a-z0-9])?$/;
const OWNER_SOURCES = ['tag', 'rule', 'claim', 'default'];
const KNOWN_ANNOTATIONS = [
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_SERVICE_ARN,
  ANNOTATION_CLUSTER_ARN,
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_REGION,
  ANNOTATION_OWNER_SOURCE,
].sort();

/** Mapping options without rules, as `readProviderConfig` would accept them (ids, keys, defaults validated there). */
const mappingOptions: fc.Arbitrary<MappingOptions> = fc.oneof(
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,20}$/).map(id => defaultMappingOptions(id)) },
  {
    weight: 1,
    arbitrary: fc.record({
      providerId: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/),
      tagKeys: fc.oneof(
        fc.constant(DEFAULT_TAG_KEYS),
        fc.record({
          owner: fc.array(tagKey.filter(k => k.trim() !== ''), { minLength: 1, maxLength: 3 }),
          system: fc.array(tagKey.filter(k => k.trim() !== ''), { minLength: 1, maxLength: 3 }),
          lifecycle: fc.array(tagKey.filter(k => k.trim() !== ''), { minLength: 1, maxLength: 3 }),
          component: fc.array(tagKey.filter(k => k.trim() !== ''), { minLength: 1, maxLength: 3 }),
        }),
      ),
      defaults: fc.oneof(
        fc.constant(DEFAULT_MAPPING_DEFAULTS),
        fc.record(
          {
            owner: validOwner,
            lifecycle: fc.constantFrom('production', 'experimental', 'deprecated', 'prod-1', 'a.b_c'),
            system: catalogName,
            namespace: catalogNamespace,
          },
          { requiredKeys: ['owner', 'lifecycle', 'namespace'] },
        ),
      ),
      rules: fc.constant<MappingRule[]>([]),
    }),
  },
);

/**
 * What the provider passes as claim context: claimants as `stringifyEntityRef`
 * writes them (sorted), and the first claimant's declared owner, which is a
 * normalised reference or, when the claimant's spec.owner is not one, that
 * spec.owner lower-cased (any non-empty string).
 */
const claimContext: fc.Arbitrary<ClaimContext> = fc.record(
  {
    claimedBy: fc.uniqueArray(entityRef, { maxLength: 4 }).map(refs => refs.sort(compareStrings)),
    claimantOwner: fc.oneof(validOwner.map(o => (o.includes(':') ? o : `group:default/${o}`).toLowerCase()), hostileString.filter(s => s !== '').map(s => s.toLowerCase())),
    ownerDrift: fc.boolean(),
  },
  { requiredKeys: ['claimedBy', 'ownerDrift'] },
);

/** Mostly the ARN ECS returns, sometimes none or anything at all. */
const taskDefinition = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: hostileString },
);

const service = fc
  .record({ parts: serviceParts, entries: tagEntries(), status, launchType, taskDefinition })
  .map(({ parts, entries, status, launchType, taskDefinition }) => ({
    parts,
    entries,
    service: serviceFrom(parts, tagsOf(entries), { status, launchType, ...(taskDefinition === undefined ? {} : { taskDefinition }) }),
  }));

/** Every string in a JSON-like value, keys included. */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, out);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      stringsIn(item, out);
    }
  }
  return out;
}

/** Everything of the entity that must not depend on tags at all. */
function tagFree(entity: Entity) {
  const { [ANNOTATION_OWNER_SOURCE]: ownerSource, ...annotations } = entity.metadata.annotations ?? {};
  return {
    name: entity.metadata.name,
    namespace: entity.metadata.namespace,
    title: entity.metadata.title,
    description: entity.metadata.description,
    links: entity.metadata.links,
    annotations,
    ownerSourceKnown: OWNER_SOURCES.includes(ownerSource),
    keys: Object.keys(entity.metadata).sort(),
  };
}

describe(`mapService properties (seed and runs in test/properties/support.ts; ${RUNS} runs)`, () => {
  it('maps every service, whatever its tags, to an entity the catalog accepts', async () => {
    await check(
      fc.asyncProperty(service, mappingOptions, fc.option(claimContext, { nil: undefined }), async ({ service }, options, claim) => {
        const entity = mapService(service, options, claim);
        const problem = await validateEntity(entity);
        if (problem !== undefined) throw new Error(`validateEntity rejected the entity: ${problem}\n${JSON.stringify(entity, null, 2)}`);
      }),
    );
  });

  it('puts tag values into spec only as normalised references and plain words', async () => {
    await check(
      fc.asyncProperty(service, mappingOptions, fc.option(claimContext, { nil: undefined }), async ({ service }, options, claim) => {
        const entity = mapService(service, options, claim);
        const spec = entity.spec as { owner: string; lifecycle: string; system?: string; dependencyOf?: string[] };
        const source = entity.metadata.annotations![ANNOTATION_OWNER_SOURCE];
        if (source === 'claim') expect(spec.owner).toBe(claim!.claimantOwner);
        else expect(spec.owner).toMatch(NORMALISED_REF);
        expect(spec.lifecycle).toMatch(LIFECYCLE);
        if (spec.system !== undefined) expect(spec.system).toMatch(NORMALISED_REF);
        for (const ref of spec.dependencyOf ?? []) {
          // Either a component tag made into a reference, or a claimant lower-cased.
          expect(ref === ref.toLowerCase() && (NORMALISED_REF.test(ref) || claim!.claimedBy.some(c => c.toLowerCase() === ref))).toBe(true);
        }
        expect(Object.keys(entity.spec!).every(key => ['type', 'owner', 'lifecycle', 'system', 'dependencyOf'].includes(key))).toBe(true);
      }),
    );
  });

  it('links only to the console page built from the ARN, and nothing a tag says reaches a title, description, link or annotation', async () => {
    await check(
      fc.asyncProperty(service, mappingOptions, fc.option(claimContext, { nil: undefined }), async ({ parts, service }, options, claim) => {
        const entity = mapService(service, options, claim);
        const links = entity.metadata.links ?? [];
        const expected = expectedConsoleUrl(parts);
        if (expected !== undefined) expect(links).toEqual([{ url: expected, title: 'AWS console', icon: 'cloud' }]);
        expect(links.length).toBeLessThanOrEqual(1);
        for (const link of links) {
          expect(link).toEqual({ url: link.url, title: 'AWS console', icon: 'cloud' });
          const url = CONSOLE_URL.exec(link.url);
          expect(url).not.toBeNull();
          // Odd names can still add up to an ARN of the right shape (a name `a/b` in the old format reads as
          // cluster a, service b): then the link must be exactly that ARN's page, nothing else.
          const [, , clusterInUrl, nameInUrl, regionInUrl] = url!;
          const resource = service.arn.slice(service.arn.indexOf(':service/') + ':service/'.length);
          expect(resource === `${clusterInUrl}/${nameInUrl}` || (resource === nameInUrl && service.clusterArn.endsWith(`:cluster/${clusterInUrl}`))).toBe(true);
          expect(regionInUrl).toBe(service.region);
          expect(link.url.startsWith(`https://${service.region}.`)).toBe(true);
        }

        // The same service without tags gives the same title, description, links and annotations.
        const untagged = mapService({ ...service, tags: {} }, options, claim);
        expect(tagFree(entity)).toEqual(tagFree(untagged));
        expect(entity.metadata.title).toBe(service.name);
        expect(entity.metadata.description).toBeUndefined();

        // Annotations: exactly the known keys, each from the service's own fields.
        const annotations = entity.metadata.annotations!;
        const family = taskDefinitionFamily(service);
        // A short ARN (service/NAME) is shown in the long form the AWS Labs ECS tab reads, beside the reported one.
        const short = !parts.longArn && parts.wellFormed;
        const cluster = service.clusterArn.split('/').pop();
        const expectedKeys = [...KNOWN_ANNOTATIONS, ...(family ? [ANNOTATION_TASK_DEFINITION_FAMILY] : []), ...(short ? [ANNOTATION_REPORTED_SERVICE_ARN] : [])];
        expect(Object.keys(annotations).sort()).toEqual(expectedKeys.sort());
        expect(annotations[ANNOTATION_TASK_DEFINITION_FAMILY]).toBe(family);
        expect(annotations[ANNOTATION_SERVICE_ARN]).toBe(short ? service.arn.replace(/service\/([^/]+)$/, `service/${cluster}/$1`) : service.arn);
        expect(annotations[ANNOTATION_REPORTED_SERVICE_ARN]).toBe(short ? service.arn : undefined);
        expect(annotations[ANNOTATION_CLUSTER_ARN]).toBe(service.clusterArn);
        expect(annotations[ANNOTATION_ACCOUNT_ID]).toBe(service.accountId);
        expect(annotations[ANNOTATION_REGION]).toBe(service.region);
        expect(annotations[ANNOTATION_LOCATION]).toBe(`aws-ecs:${options.providerId}`);
        expect(annotations[ANNOTATION_ORIGIN_LOCATION]).toBe(`aws-ecs:${options.providerId}`);
        expect(OWNER_SOURCES).toContain(annotations[ANNOTATION_OWNER_SOURCE]);
      }),
    );
  });

  it('lets no tag key or value that no reference can hold reach the entity anywhere', async () => {
    // Every tag key and value carries U+2063, which no reference, label or word can contain:
    // if any of it shows up in the entity, a tag leaked verbatim.
    const marked = fc
      .record({ parts: serviceParts, entries: fc.uniqueArray(fc.tuple(fc.oneof(tagKey, markedString), markedString), { selector: ([k]) => k, maxLength: 10 }) })
      .map(({ parts, entries }) => serviceFrom(parts, tagsOf(entries)));
    await check(
      fc.asyncProperty(marked, mappingOptions, fc.option(claimContext, { nil: undefined }), async (service, options, claim) => {
        const entity = mapService(service, options, claim);
        const leaked = stringsIn(entity).filter(s => s.includes(MARKER));
        expect(leaked).toEqual([]);
      }),
    );
  });

  it('is deterministic: the same service, twice or with its tags in another order, gives byte-identical JSON', async () => {
    const reordered = service.chain(({ parts, entries, service }) =>
      fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }).map(shuffled => ({ parts, service, shuffled })),
    );
    await check(
      fc.asyncProperty(reordered, mappingOptions, fc.option(claimContext, { nil: undefined }), async ({ service, shuffled }, options, claim) => {
        const first = JSON.stringify(mapService(service, options, claim));
        expect(JSON.stringify(mapService(service, options, claim))).toBe(first);
        const reversed = tagsOf(Object.entries(service.tags).reverse());
        expect(JSON.stringify(mapService({ ...service, tags: reversed }, options, claim))).toBe(first);
        expect(JSON.stringify(mapService({ ...service, tags: tagsOf(shuffled) }, options, claim))).toBe(first);
        // A structured clone (what a scan read back from the database is) maps the same too.
        expect(JSON.stringify(mapService(structuredClone(service), options, claim ? structuredClone(claim) : undefined))).toBe(first);
      }),
    );
  });

  it('names every entity validly (at most 63 characters) from the service alone', async () => {
    await check(
      fc.asyncProperty(service, mappingOptions, fc.option(claimContext, { nil: undefined }), tagEntries(), async ({ service }, options, claim, otherTags) => {
        const name = mapService(service, options, claim).metadata.name;
        expect(name.length).toBeLessThanOrEqual(63);
        expect(name).toMatch(ENTITY_NAME);
        // Stable: other tags, options or claims never rename it.
        expect(mapService({ ...service, tags: tagsOf(otherTags) }, defaultMappingOptions('other')).metadata.name).toBe(name);
      }),
    );
  });

  it('never gives two services with different ARNs the same name in a batch', async () => {
    const batch = fc
      .uniqueArray(serviceParts, { selector: serviceArn, minLength: 2, maxLength: 60 })
      .chain(parts => fc.tuple(fc.constant(parts), fc.array(tagEntries(), { minLength: parts.length, maxLength: parts.length })))
      .map(([parts, tags]) => parts.map((p, i) => serviceFrom(p, tagsOf(tags[i]))));
    await check(
      fc.asyncProperty(batch, mappingOptions, async (services: EcsService[], options) => {
        const names = services.map(s => mapService(s, options).metadata.name);
        expect(new Set(names).size).toBe(services.length);
        for (const name of names) {
          expect(name.length).toBeLessThanOrEqual(63);
          expect(name).toMatch(ENTITY_NAME);
        }
        // And the batch mapper keeps every one of them: none rejected, none renamed.
        const mapped = await mapServices(services, options);
        expect(mapped.rejected).toEqual([]);
        expect(mapped.entities.map(e => e.metadata.name)).toEqual(names);
      }),
      { numRuns: Math.max(1, Math.round(RUNS / 3)) },
    );
  });

  it('maps batches of services that ECS could never send without throwing: each one is an entity or a rejection with its reason', async () => {
    // Every field a string of anything: the empty name, the empty ARN and duplicate ARNs included.
    const anything = fc.oneof(hostileString, fc.constant(''));
    const junk = fc.record({
      arn: fc.oneof(anything, serviceParts.map(serviceArn)),
      name: anything,
      clusterArn: anything,
      accountId: fc.oneof(anything, fc.stringMatching(/^[0-9]{12}$/)),
      region: anything,
      status,
      tags: tagEntries().map(tagsOf),
      desiredCount: fc.integer(),
      runningCount: fc.integer(),
      launchType,
      taskDefinition: anything,
      createdAt: anything,
    });
    const batch = fc.array(junk, { maxLength: 8 }).chain(list => (list.length === 0 ? fc.constant(list) : fc.array(fc.constantFrom(...list), { maxLength: 2 }).map(dups => [...list, ...dups])));
    await check(
      fc.asyncProperty(batch, mappingOptions, fc.option(claimContext, { nil: undefined }), async (services: EcsService[], options, claim) => {
        const { entities, rejected } = await mapServices(services, options, () => claim ?? { claimedBy: [], ownerDrift: false });
        expect(entities.length + rejected.length).toBe(services.length);
        for (const r of rejected) expect(typeof r.reason === 'string' && r.reason.length > 0).toBe(true);
        for (const entity of entities) expect(await validateEntity(entity)).toBeUndefined();
        expect(new Set(entities.map(e => e.metadata.name)).size).toBe(entities.length);
      }),
      { numRuns: Math.max(1, Math.round(RUNS / 3)) },
    );
  });

  // Found by the property above with the empty ARN allowed, and shrunk: the guard against two services
  // getting one entity name must hold even when the first service's ARN is the empty string.
  it('gives one name to one service only, even two services with the empty ARN', async () => {
    const service: EcsService = {
      arn: '',
      name: '%',
      clusterArn: '',
      accountId: '000000000000',
      region: '',
      status: 'ACTIVE',
      tags: {},
      desiredCount: 0,
      runningCount: 0,
      launchType: 'FARGATE',
      taskDefinition: '',
      createdAt: '',
    };
    const { entities, rejected } = await mapServices([service, { ...service }], defaultMappingOptions('a'));
    expect(entities.map(e => e.metadata.name)).toHaveLength(1);
    expect(rejected).toEqual([{ arn: '', reason: expect.stringContaining('is already used by') }]);
  });

  it('names services that share a name in different clusters, regions or accounts apart', async () => {
    await check(
      fc.asyncProperty(serviceParts, serviceParts, async (a, b) => {
        const twin = { ...b, name: a.name };
        fc.pre(serviceArn(a) !== serviceArn(twin));
        expect(mapService(serviceFrom(a, {}), defaultMappingOptions('p')).metadata.name).not.toBe(
          mapService(serviceFrom(twin, {}), defaultMappingOptions('p')).metadata.name,
        );
      }),
    );
  });
});
