import type { Entity } from '@backstage/catalog-model';
import fc from 'fast-check';
import { ANNOTATION_SERVICE_ARN } from '../../src/mapping/annotations';
import { toEntityRef } from '../../src/mapping/entityRefs';
import { defaultMappingOptions } from '../../src/mapping/mappingOptions';
import { mapService } from '../../src/mapping/mapService';
import { ANNOTATION_SERVICE_TAGS } from '../../src/mapping/annotations';
import { reconcile } from '../../src/reconcile/reconcile';
import { buildDriftReport, type DriftReport, FINDING_LISTS } from '../../src/report/driftReport';
import { oneLine } from '../../src/report/renderCommon';
import { DRIFT_HTML_SCRIPT, renderDriftHtml } from '../../src/report/renderHtml';
import { renderDriftJson } from '../../src/report/renderJson';
import { renderDriftMarkdown } from '../../src/report/renderMarkdown';
import { renderDriftTable } from '../../src/report/renderTable';
import type { EcsService, Inventory, ShardResult } from '../../src/scan/inventory';
import {
  accountId,
  catalogName,
  catalogNamespace,
  clusterArn,
  ecsName,
  hostileString,
  type Partition,
  PARTITIONS,
  region,
  serviceArn,
  status,
  tagsOf,
  validOwner,
} from './arbitraries';
import { type MarkedToken, type MdToken, marked, markdownIt } from './markdownParsers';
import { check, RUNS } from './support';

/**
 * Properties of the drift report renderers over whole scans and catalogs in
 * which every tag, annotation, spec.owner and AWS error message may be
 * hostile: the real `reconcile` and `buildDriftReport` make the report, then
 * every renderer must keep all of it inert.
 */

const GENERATED_AT = new Date('2025-03-14T09:26:53.000Z');
const mapping = defaultMappingOptions('props');

// ---------------------------------------------------------------------------
// Scenario: a scan and a catalog.
// ---------------------------------------------------------------------------

interface Scenario {
  inventory: Inventory;
  entities: Entity[];
  knownEntityRefs?: Set<string>;
}

const ownerValue = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('team-a', 'Team-B', 'group:default/team-a', 'group:default/team-c', 'user:jdoe', 'group:ops/sre') },
  { weight: 3, arbitrary: hostileString },
);
const ownerKey = fc.constantFrom('owner', 'Owner', 'OWNER', 'team', 'Team');
const tagPair = fc.tuple(fc.oneof(fc.constantFrom('app', 'env', 'component', 'system', 'environment'), hostileString), hostileString);

/** The resource type of another ECS ARN (`task`, `cluster`, `container-instance`, or made up). Built once: building a regex arbitrary is slow. */
const arnResourceKind = fc.oneof(fc.constantFrom('task', 'cluster', 'task-definition', 'container-instance', 'service'), fc.stringMatching(/^[a-z][a-z-]{0,12}$/));

const shardSeed = fc.record({
  accountId,
  region,
  failed: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  error: hostileString,
});

const serviceSeed = fc.record({
  shard: fc.nat(),
  partition: fc.constantFrom<Partition>(...PARTITIONS),
  cluster: fc.oneof(fc.constantFrom('shop', 'edge'), ecsName),
  // A small pool of names, so the same name runs in several places and suggestions are made.
  name: fc.oneof(fc.constantFrom('cart', 'checkout', 'web'), ecsName),
  longArn: fc.boolean(),
  status,
  owner: fc.option(fc.tuple(ownerKey, ownerValue), { nil: undefined }),
  tags: fc.array(tagPair, { maxLength: 4 }),
});

const base = fc.record({
  shards: fc.uniqueArray(shardSeed, { selector: s => `${s.accountId}/${s.region}`, minLength: 1, maxLength: 3 }),
  // A failed account discovery (with AWS's message) now and then.
  discovery: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileString }),
  services: fc.array(serviceSeed, { maxLength: 7 }),
  groups: fc.subarray(['team-a', 'team-b', 'team-c'].map(name => ({ name, namespace: 'default' }))),
  knownEntityRefs: fc.option(fc.constant(new Set(['group:ops/sre'])), { nil: undefined }),
  outsideAccount: accountId,
  outsideRegion: region,
});

function shardResult(s: { accountId: string; region: string; failed: boolean; error: string }): ShardResult {
  return {
    accountId: s.accountId,
    region: s.region,
    status: s.failed ? 'failed' : 'ok',
    ...(s.failed ? { error: { name: 'AccessDeniedException', message: s.error } } : {}),
    clusters: 1,
    services: 1,
    apiCalls: 1,
    throttled: 0,
    retries: 0,
    credentialRefreshes: 0,
  };
}

const scenario: fc.Arbitrary<Scenario> = base.chain(b => {
  const shards = b.shards.map(shardResult);
  const seen = new Set<string>();
  const services: EcsService[] = [];
  for (const s of b.services) {
    const shard = shards[s.shard % shards.length];
    const parts = { partition: s.partition, region: shard.region, accountId: shard.accountId, cluster: s.cluster, name: s.name, longArn: s.longArn };
    const arn = serviceArn(parts);
    if (seen.has(arn)) continue;
    seen.add(arn);
    const entries: Array<[string, string]> = [];
    for (const [key, value] of [...(s.owner ? [s.owner] : []), ...s.tags]) if (!entries.some(([k]) => k === key)) entries.push([key, value]);
    services.push({
      arn,
      name: s.name,
      clusterArn: clusterArn(parts),
      accountId: shard.accountId,
      region: shard.region,
      status: s.status,
      tags: tagsOf(entries),
      desiredCount: 1,
      runningCount: 1,
      launchType: 'FARGATE',
      taskDefinition: 'td',
      createdAt: '2025-01-01T00:00:00.000Z',
    });
  }

  // ARN claims: live, deleted, other format, unknown in a read shard, outside the scope, another ECS ARN kind, garbage.
  const someService = services.length > 0 ? fc.constantFrom(...services) : fc.constant(undefined);
  const someShard = fc.constantFrom(...shards);
  const arnItem: fc.Arbitrary<string> = fc.oneof(
    someService.map(s => s?.arn ?? 'arn:aws:ecs:eu-west-1:111111111111:service/none'),
    someService.map(s => (s ? (s.arn.split('/').length === 3 ? s.arn.replace(/service\/[^/]+\//, 'service/') : s.arn.replace('service/', `service/${s.clusterArn.slice(s.clusterArn.lastIndexOf('/') + 1)}/`)) : '')),
    fc.tuple(someShard, ecsName, fc.oneof(fc.constantFrom('cart', 'checkout', 'web'), ecsName), fc.boolean()).map(([sh, cluster, name, longArn]) =>
      serviceArn({ partition: 'aws', region: sh.region, accountId: sh.accountId, cluster, name, longArn }),
    ),
    fc.tuple(ecsName, ecsName).map(([cluster, name]) => serviceArn({ partition: 'aws', region: b.outsideRegion, accountId: b.outsideAccount, cluster, name, longArn: true })),
    fc.tuple(someShard, arnResourceKind, hostileString).map(([sh, kind, rest]) => `arn:aws:ecs:${sh.region}:${sh.accountId}:${kind}/${rest}`),
    fc.tuple(someService, hostileString).map(([s, junk]) => `${s?.arn ?? ''}${junk}`),
    hostileString,
  );
  const arnAnnotation = fc
    .tuple(fc.array(arnItem, { minLength: 1, maxLength: 4 }), fc.constantFrom(',', ', ', ' , ', ',\n', ',,'))
    .map(([items, sep]) => items.join(sep));

  // Selectors: pairs a service carries, hostile pairs, and garbage.
  const carriedPair = someService.chain(s => {
    const entries = s ? Object.entries(s.tags) : [];
    return entries.length > 0 ? fc.constantFrom(...entries).map(([k, v]) => `${k}=${v}`) : fc.constant('app=none');
  });
  const selectorAnnotation = fc.oneof(
    { weight: 3, arbitrary: fc.array(fc.oneof(carriedPair, fc.tuple(hostileString, hostileString).map(([k, v]) => `${k}=${v}`)), { minLength: 1, maxLength: 3 }).map(p => p.join(',')) },
    { weight: 1, arbitrary: hostileString },
  );

  const claimant = fc.record(
    {
      kind: fc.constantFrom('Component', 'System', 'API', 'Resource', 'Domain'),
      namespace: catalogNamespace,
      name: catalogName,
      owner: fc.oneof(validOwner, ownerValue.filter(o => o !== '')),
      arns: arnAnnotation,
      selector: selectorAnnotation,
    },
    { requiredKeys: ['kind', 'name'] },
  );
  const claimants = fc.uniqueArray(claimant, { selector: c => `${c.kind}:${c.namespace ?? 'default'}/${c.name}`.toLowerCase(), maxLength: 6 });

  return claimants.map(cs => {
    const entities: Entity[] = [
      ...b.groups.map(g => ({ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: g.name, namespace: g.namespace }, spec: { type: 'team', children: [] } })),
      // The provider's own entities are in the catalog too, and are never read as claims.
      ...services.filter(s => s.status !== 'INACTIVE').map(s => mapService(s, mapping)),
      ...cs.map(c => {
        const annotations: Record<string, string> = {};
        if (c.arns !== undefined) annotations[ANNOTATION_SERVICE_ARN] = c.arns;
        if (c.selector !== undefined) annotations[ANNOTATION_SERVICE_TAGS] = c.selector;
        return {
          apiVersion: 'backstage.io/v1alpha1',
          kind: c.kind,
          metadata: { name: c.name, ...(c.namespace !== undefined ? { namespace: c.namespace } : {}), annotations },
          spec: { type: 'service', lifecycle: 'production', ...(c.owner !== undefined ? { owner: c.owner } : {}) },
        };
      }),
    ];
    const inventory: Inventory = {
      shards,
      services,
      ...(b.discovery !== undefined ? { discovery: { status: 'failed' as const, accounts: 0, error: { name: 'AccessDenied', message: b.discovery } } } : {}),
    };
    return { inventory, entities, ...(b.knownEntityRefs ? { knownEntityRefs: b.knownEntityRefs } : {}) };
  });
});

function reportOf(s: Scenario): DriftReport {
  return buildDriftReport(reconcile({ inventory: s.inventory, entities: s.entities, mapping, knownEntityRefs: s.knownEntityRefs }), GENERATED_AT);
}

// The report's own list, so a new finding kind is checked here without being named.
const LISTS = FINDING_LISTS;

/** Every value in the report that came from data (tags, annotations, refs, ARNs, AWS messages, reasons made of them). */
function dataValues(report: DriftReport): string[] {
  const out: string[] = [];
  const add = (v: string | null | undefined) => {
    if (typeof v === 'string') out.push(v);
  };
  for (const p of report.phantoms) [p.owner, p.entityRef, p.annotation, p.arn, p.selector, p.reason, p.suggestion?.arn, p.suggestion?.why].forEach(add);
  for (const u of report.unclaimed) [u.owner, u.arn, u.name, u.accountId, u.region].forEach(add);
  for (const d of report.ownerDrift) [d.owner, d.arn, d.entityRef, d.entityOwner, d.tagOwner, d.reason].forEach(add);
  for (const d of report.duplicateClaims) [d.owner, d.arn, ...d.entityRefs].forEach(add);
  for (const m of report.malformedClaims) [m.owner, m.entityRef, m.annotation, m.value, m.reason].forEach(add);
  for (const t of report.tabMismatches) [t.owner, t.entityRef, t.annotation, t.value, t.reason, t.suggestion?.annotation, t.suggestion?.value].forEach(add);
  for (const n of report.notVerified) [n.owner, n.entityRef, n.annotation, n.value, n.reason].forEach(add);
  for (const a of report.alerts) [a.error, ...(a.accountId === '*' && a.region === '*' ? [] : [a.accountId, a.region])].forEach(add);
  return out;
}

function ownersOf(report: DriftReport): Set<string> {
  return new Set(LISTS.flatMap(key => (report[key] as Array<{ owner: string }>).map(item => item.owner)));
}

const findingTotal = (report: DriftReport) => LISTS.reduce((sum, key) => sum + report[key].length, 0);

/**
 * The block structure the Markdown must have, computed from the report: one
 * list item per finding of the owners shown and per alert, one h2 per owner
 * shown, one h3 per owner and kind with findings. `filter` is the owner option
 * (an owner as written, or a short group name).
 */
function markdownShape(report: DriftReport, filter?: string) {
  const shown = (owner: string) => filter === undefined || owner === filter || owner === toEntityRef(filter, 'group', 'default');
  const owners = new Set([...ownersOf(report)].filter(shown));
  const pairs = new Set<string>();
  let items = 0;
  for (const key of LISTS) {
    for (const item of report[key] as Array<{ owner: string }>) {
      if (!owners.has(item.owner)) continue;
      items += 1;
      pairs.add(`${key}\u0000${item.owner}`);
    }
  }
  const alertItems = report.summary.complete ? 0 : Math.max(1, report.alerts.length);
  return { items: items + alertItems, h2: owners.size, h3: pairs.size, blockquotes: report.summary.complete ? 0 : 1 };
}

/**
 * A reasonably hostile scenario is not rare: check the generator really makes
 * reports with findings of every kind (a property that only ever sees empty
 * reports proves nothing).
 */
function coverageOf(report: DriftReport): string[] {
  return [...LISTS.filter(key => report[key].length > 0), ...(report.alerts.length > 0 ? ['alerts'] : [])];
}

// ---------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------

/** Node types that would let data become a link, an image or markup. */
const FORBIDDEN_MD = new Set(['link_open', 'image', 'html_inline', 'html_block', 'fence', 'code_block', 'hr', 'table_open', 's_open', 'lheading']);
const FIXED_CODE = new Set(['aws.amazon.com/amazon-ecs-service-arn', 'spec.owner']);
const STRONG_TEXT = /^(\d+ findings? to act on:|This report is incomplete\.)$/;
const EM_TEXT = /^(empty|no owner named)$/;

function flatten(tokens: MdToken[], out: MdToken[] = []): MdToken[] {
  for (const t of tokens) {
    out.push(t);
    if (t.children) flatten(t.children, out);
  }
  return out;
}

/** Texts inside strong and em, from the inline children of every inline token. */
function emphasised(tokens: MdToken[]): Array<{ kind: 'strong' | 'em'; text: string }> {
  const out: Array<{ kind: 'strong' | 'em'; text: string }> = [];
  for (const t of tokens) {
    if (!t.children) continue;
    const stack: Array<{ kind: 'strong' | 'em'; text: string }> = [];
    for (const c of t.children) {
      if (c.type === 'strong_open' || c.type === 'em_open') stack.push({ kind: c.type === 'strong_open' ? 'strong' : 'em', text: '' });
      else if (c.type === 'strong_close' || c.type === 'em_close') out.push(stack.pop()!);
      else for (const open of stack) open.text += c.content;
    }
  }
  return out;
}

/** Code span contents the Markdown may hold: one whole data value on one line, the owner option, or a fixed name. */
function allowedCode(report: DriftReport, filter?: string): Set<string> {
  return new Set([...dataValues(report), ...(filter !== undefined ? [filter] : [])].map(oneLine).concat([...FIXED_CODE]));
}

function checkWithMarkdownIt(markdown: string, report: DriftReport, filter?: string) {
  const tokens = markdownIt!.parse(markdown, {});
  const all = flatten(tokens);
  const forbidden = all.filter(t => FORBIDDEN_MD.has(t.type) || (t.type === 'heading_open' && (t.markup === '=' || t.markup === '-')));
  expect(forbidden.map(t => `${t.type}: ${t.content}`)).toEqual([]);

  // Structure: one item per finding (and per alert), one h2 per owner, one h3 per owner and kind.
  const count = (type: string, tag?: string) => all.filter(t => t.type === type && (tag === undefined || t.tag === tag)).length;
  const shape = markdownShape(report, filter);
  expect({
    items: count('list_item_open'),
    h2: count('heading_open', 'h2'),
    h3: count('heading_open', 'h3'),
    blockquotes: count('blockquote_open'),
  }).toEqual(shape);
  expect(count('heading_open', 'h1')).toBe(1);
  expect(count('heading_open', 'h4') + count('heading_open', 'h5') + count('heading_open', 'h6')).toBe(0);

  // Every code span holds one whole value (normalised to one line) or a fixed name: none swallowed prose or split.
  // (markdown-it strips one space from each end of an all-space span too, unlike CommonMark: `   ` reads as ` `.)
  const allowed = allowedCode(report, filter);
  for (const v of [...allowed]) if (/^ +$/.test(v)) allowed.add(v.replace(/^ (.+) $/, '$1'));
  expect(all.filter(t => t.type === 'code_inline' && !allowed.has(t.content)).map(t => t.content)).toEqual([]);

  // Emphasis is the report's own, never made by data.
  expect(emphasised(tokens).filter(e => !(e.kind === 'strong' ? STRONG_TEXT : EM_TEXT).test(e.text))).toEqual([]);
}

const FORBIDDEN_MARKED = new Set(['link', 'image', 'html', 'code', 'hr', 'table', 'del', 'def']);

function checkWithMarked(markdown: string, report: DriftReport, filter?: string) {
  const tokens = marked!.lexer(markdown, { gfm: true });
  const all: MarkedToken[] = [];
  const walk = (list: MarkedToken[] | undefined) => {
    for (const t of list ?? []) {
      all.push(t);
      walk(t.tokens);
      walk(t.items);
    }
  };
  walk(tokens);
  expect(all.filter(t => FORBIDDEN_MARKED.has(t.type)).map(t => `${t.type}: ${t.raw}`)).toEqual([]);
  // marked reads code spans exactly as CommonMark does (its lexer hands them over HTML-escaped).
  const allowed = allowedCode(report, filter);
  expect(all.filter(t => t.type === 'codespan' && !allowed.has(decodeEntities(t.text ?? ''))).map(t => t.text)).toEqual([]);
  const shape = markdownShape(report, filter);
  expect(all.filter(t => t.type === 'list_item').length).toBe(shape.items);
  expect(all.filter(t => t.type === 'heading').map(t => t.depth).sort()).toEqual([1, ...Array(shape.h2).fill(2), ...Array(shape.h3).fill(3)].sort());
}

/**
 * Code spans of one line as CommonMark finds them: a run of n backticks opens,
 * the next run of exactly n closes; backslash escapes apply outside spans only.
 */
function splitCodeSpans(line: string): { outside: string; spans: string[] } {
  let outside = '';
  const spans: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === '\\' && i + 1 < line.length) {
      outside += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (line[i] !== '`') {
      outside += line[i];
      i += 1;
      continue;
    }
    let n = 0;
    while (line[i + n] === '`') n += 1;
    let close = -1;
    for (let j = i + n; j < line.length; ) {
      if (line[j] !== '`') {
        j += 1;
        continue;
      }
      let m = 0;
      while (line[j + m] === '`') m += 1;
      if (m === n) {
        close = j;
        break;
      }
      j += m;
    }
    if (close < 0) {
      outside += '`'.repeat(n);
      i += n;
      continue;
    }
    spans.push(line.slice(i + n, close));
    outside += '\u0000CODE\u0000';
    i = close + n;
  }
  return { outside, spans };
}

/** Text with every backslash-escaped character removed, to see what is live. */
function live(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else out += text[i];
  }
  return out;
}

/** Parser-free checks, which hold whichever parser is installed. */
function checkStructurally(markdown: string) {
  const problems: string[] = [];
  for (const raw of markdown.split('\n')) {
    const line = raw.replace(/^> /, '');
    const { outside } = splitCodeSpans(line);
    const bare = live(outside);
    if (
      outside.includes('](') ||
      outside.includes('<') ||
      /[\r\u2028\u2029]/.test(outside) ||
      /javascript:|vbscript:|data:|:\/\/|www\./i.test(bare) ||
      /[[\]<>|~`]/.test(bare) ||
      outside.replace(/&(amp|lt|gt);/g, '').includes('&')
    ) {
      problems.push(raw);
    }
  }
  expect(problems).toEqual([]);
}

// ---------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------

const ALLOWED_TAGS = new Set([
  'html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'p', 'time', 'section', 'dl', 'dt', 'dd', 'ul', 'li',
  'label', 'select', 'option', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'span',
]);
const ALLOWED_ATTRIBUTES = new Set([
  'lang', 'charset', 'name', 'content', 'class', 'aria-label', 'role', 'id', 'hidden', 'for', 'value', 'selected', 'data-kind', 'data-owner', 'scope', 'colspan',
]);
/** One tag of the page's own form; sticky, so it is matched where a `<` is found without copying the page. */
const TAG = /<(\/?)([a-z0-9]+)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>/y;

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
}

/** What an escaped value must look like in the page: on one line, `& < > " '` as entities. */
function escaped(value: string): string {
  return oneLine(value).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function checkHtml(page: string, report: DriftReport) {
  expect(page.match(/<script/gi) ?? []).toHaveLength(1);
  expect(page.match(/<\/script/gi) ?? []).toHaveLength(1);
  const parts = page.split(`<script>${DRIFT_HTML_SCRIPT}</script>`);
  expect(parts).toHaveLength(2);
  const markup = parts.join('').replace(/^<!doctype html>\n/, '').replace(/<style>[^<]*<\/style>/, '<style></style>');

  // Problems are collected and compared with [] once: an expect per tag would make the test slow.
  const problems: string[] = [];
  const texts: string[] = [];
  const ownerKeys: string[] = [];
  let last = 0;
  for (let i = markup.indexOf('<'); i >= 0; i = markup.indexOf('<', i + 1)) {
    texts.push(markup.slice(last, i));
    TAG.lastIndex = i;
    const match = TAG.exec(markup);
    if (!match) {
      problems.push(`stray < at ${JSON.stringify(markup.slice(i, i + 80))}`);
      break;
    }
    if (!ALLOWED_TAGS.has(match[2])) problems.push(`tag ${match[2]}`);
    for (const a of match[3].matchAll(/([a-z-]+)(?:="([^"]*)")?/g)) {
      const [, name, value = ''] = a;
      if (!ALLOWED_ATTRIBUTES.has(name)) problems.push(`attribute ${name}`);
      const decoded = decodeEntities(value).replace(/[\s\u0000-\u001f]/g, '');
      if (/javascript:|vbscript:|data:/i.test(decoded) || /[<>"'`]/.test(value)) problems.push(`${name}="${value}"`);
      if (name === 'data-owner' || (name === 'value' && match[2] === 'option' && value !== '')) ownerKeys.push(value);
    }
    last = i + match[0].length;
  }
  texts.push(markup.slice(last));
  // Text between tags: no raw < (the tokenizer would have stopped), > or " anywhere, whatever the data.
  for (const text of texts) if (/[<>"]/.test(text)) problems.push(`raw markup in text ${JSON.stringify(text)}`);

  // Every value is there, escaped; and the owner keys decode back to the owners the filter compares.
  for (const value of dataValues(report)) if (oneLine(value) !== '' && !page.includes(escaped(value))) problems.push(`value missing or not escaped: ${JSON.stringify(value)}`);
  const owners = new Set([...ownersOf(report)].map(o => oneLine(o)));
  for (const key of ownerKeys) if (!owners.has(decodeURIComponent(decodeEntities(key)))) problems.push(`owner key ${key} names no owner`);
  expect(problems).toEqual([]);
}

// ---------------------------------------------------------------------------
// Console table
// ---------------------------------------------------------------------------

const TABLE_TITLES = ['PHANTOMS', 'UNCLAIMED', 'OWNER DRIFT', 'DUPLICATE CLAIMS', 'MALFORMED CLAIMS', 'NOT READABLE BY THE AWS LABS ECS TAB', 'NOT VERIFIED', 'ALERTS'];

function checkTable(text: string, report: DriftReport) {
  // No C0 (but \n), DEL or C1 controls, no line or paragraph separators, no bidi overrides or isolates, no lone surrogates.
  expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
  expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  // One line per row: a title, a header, the rows; sections apart by a blank line; one or two summary lines.
  const rows = [...LISTS.map(key => report[key].length), report.alerts.length];
  const sections = rows.filter(n => n > 0);
  const expectedLines = sections.reduce((sum, n) => sum + 2 + n, 0) + sections.length + (report.summary.complete ? 1 : 2);
  expect(text.split('\n')).toHaveLength(expectedLines);
  const titles = text.split('\n').filter(line => /^[A-Z ]+ \(\d+\)$/.test(line));
  expect(titles).toEqual(TABLE_TITLES.filter((_t, i) => rows[i] > 0).map((t, i) => `${t} (${sections[i]})`));
}

// ---------------------------------------------------------------------------

describe(`drift report renderers over hostile scans and catalogs (${RUNS} runs)`, () => {
  it('the generator makes reports with findings of every kind', () => {
    const seen = new Set<string>();
    for (const s of fc.sample(scenario, { numRuns: 300, seed: 1 })) for (const kind of coverageOf(reportOf(s))) seen.add(kind);
    expect([...seen].sort()).toEqual([...LISTS, 'alerts'].sort());
  });

  it('Markdown: no link, image, raw HTML or structure comes out of the data', async () => {
    if (!markdownIt || !marked) {
      // Only the parser-free checks below run; see markdownParsers.ts.
      console.warn(`Markdown parser missing (markdown-it: ${!!markdownIt}, marked: ${!!marked}); only structural checks run`);
    }
    await check(
      fc.asyncProperty(scenario, async s => {
        const report = reportOf(s);
        const markdown = renderDriftMarkdown(report);
        checkStructurally(markdown);
        if (markdownIt) checkWithMarkdownIt(markdown, report);
        if (marked) checkWithMarked(markdown, report);
      }),
    );
  });

  it('Markdown for one owner (`--owner`, which is typed by a person and may be anything): just as inert', async () => {
    const withFilter = scenario.chain(s => {
      const owners = [...ownersOf(reportOf(s))];
      const short = owners.filter(o => o.startsWith('group:default/')).map(o => o.slice('group:default/'.length));
      return fc.tuple(fc.constant(s), fc.oneof(...[...owners, ...short].map(o => fc.constant(o)), hostileString));
    });
    await check(
      fc.asyncProperty(withFilter, async ([s, owner]) => {
        const report = reportOf(s);
        const markdown = renderDriftMarkdown(report, { owner });
        checkStructurally(markdown);
        if (markdownIt) checkWithMarkdownIt(markdown, report, owner);
        if (marked) checkWithMarked(markdown, report, owner);
      }),
      { numRuns: Math.max(1, Math.round(RUNS / 2)) },
    );
  });

  it('HTML: one script, the page’s own; no javascript: or data: in any attribute; every value escaped', async () => {
    await check(
      fc.asyncProperty(scenario, async s => {
        const report = reportOf(s);
        checkHtml(renderDriftHtml(report), report);
      }),
    );
  });

  it('console table: no control characters, one line per row', async () => {
    await check(
      fc.asyncProperty(scenario, async s => {
        const report = reportOf(s);
        checkTable(renderDriftTable(report), report);
      }),
    );
  });

  it('JSON: parses back to the same report, and renders again byte for byte', async () => {
    await check(
      fc.asyncProperty(scenario, async s => {
        const report = reportOf(s);
        const json = renderDriftJson(report);
        const parsed = JSON.parse(json) as DriftReport;
        expect(parsed).toEqual(report);
        expect(renderDriftJson(parsed)).toBe(json);
      }),
    );
  });

  it('the report does not depend on the order of shards, services or entities', async () => {
    const shuffled = scenario.chain(s =>
      fc
        .tuple(
          fc.shuffledSubarray(s.inventory.shards, { minLength: s.inventory.shards.length }),
          fc.shuffledSubarray(s.inventory.services, { minLength: s.inventory.services.length }),
          fc.shuffledSubarray(s.entities, { minLength: s.entities.length }),
        )
        .map(([shards, services, entities]) => ({ s, t: { ...s, inventory: { ...s.inventory, shards, services }, entities } })),
    );
    await check(
      fc.asyncProperty(shuffled, async ({ s, t }) => {
        expect(renderDriftJson(reportOf(t))).toBe(renderDriftJson(reportOf(s)));
      }),
    );
  });
});
