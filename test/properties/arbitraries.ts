import fc from 'fast-check';
import type { EcsService, EcsServiceStatus } from '../../src/scan/inventory';

/**
 * Generators for the property tests: what ECS can really send (names, ARNs in
 * both formats, 12-digit account ids, regions) and what a tag, an annotation
 * or an error message can hold when someone means harm.
 */

/** Hand-picked strings that try every way out of a link, Markdown, HTML, YAML, a terminal or a parser. */
export const HOSTILE_PALETTE: readonly string[] = [
  // Empty, blank and whitespace.
  '', ' ', '   ', '\t', '\n', '\r\n', '\r', '\u000b\u000c', '\u00a0', '\u3000',
  // Terminal and other control characters.
  '\u0000', '\u0007', '\u0008', '\u001b[31mred\u001b[0m', '\u001b]0;title\u0007', '\u001b[2J\u001b[H', '\u007f', '\u0085', '\u009b31m', '\u0090',
  // Unicode trouble: line separators, bidi overrides (Trojan Source), zero-width, BOM, lone surrogates.
  '\u2028', '\u2029', '\u202eevil', '\u202a\u202b\u202c\u202d', '\u2066x\u2069', '\u2067\u2068', '\u200b', '\u200e\u200f\u061c', '\ufeff', 'lone \ud800', '\udc00 lone', '\udbff', '\ud83d', '\ud83d\ud83d\ude80',
  // URLs a link or attribute must never carry.
  'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'java\nscript:alert(1)', 'vbscript:msgbox(1)', 'javascript&#58;alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'data:image/svg+xml,<svg onload=alert(1)>', 'DATA:text/html,x', 'file:///etc/passwd',
  'https://evil.example/?q=1&r=2', 'http://169.254.169.254/latest/meta-data/', '//evil.example', 'www.evil.example', 'user@evil.example', 'mailto:user@evil.example',
  // Markdown.
  '[x](javascript:alert(1))', '![x](data:image/png;base64,AAAA)', '<https://evil.example>', '<javascript:alert(1)>', '[x]: javascript:alert(1)', '[x][y]', '[^1]',
  '`', '``', '```', '```js', '~~~', 'a`b``c```d', ' ` ', '` x', 'x `', '\\', '\\`', 'x\\', '\\[x\\](javascript:alert(1))',
  '**bold**', '__bold__', '*em*', '_em_', '~~strike~~', '# heading', '###### h6', '- item', '* item', '+ item', '1. item', '1) item', '> quote', '    code',
  '| a | b |', '|---|---|', '===', '---', '***', '$x$', '$$x$$', ':smile:', '@octocat', '@org/team', '#123', 'GH-1', 'a  ', 'a\\\nb',
  // HTML.
  '<script>alert(1)</script>', '<SCRIPT SRC=//evil.example/x.js></SCRIPT>', '</script><script>alert(1)</script>', '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>', "' onmouseover='alert(1)", '" onfocus="alert(1)" autofocus="', '</code></td></tr></table><script>alert(1)</script>',
  '<!-- x -->', '<![CDATA[x]]>', '<style>*{}</style>', '<a href="javascript:alert(1)">x</a>', '<iframe srcdoc="x">', '<base href="//evil.example/">',
  '&lt;script&gt;', '&#x3C;script&#x3E;', '&#60;', '&amp;', '&', '&quot;', '<', '>', '"', "'", '=', '%3Cscript%3E', '%',
  // YAML.
  '...', 'key: value', 'key:', '- a', '&anchor x', '*alias', '!!python/object:os.system', '!tag x', '? x', '%YAML 1.2', '{a: 1}', '[1, 2]', '|', '>-', '#comment',
  'yes', 'no', 'on', 'off', 'null', '~', 'true', '0x1F', '1e3', '.inf', '0777', '@at', '\'single\'', '"double"',
  // Template and prototype tricks.
  '{{constructor.constructor("alert(1)")()}}', '${process.exit(1)}', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf',
  // Look-alikes of what the mapping does read: entity references and lifecycles.
  'team-a', 'Team-A', 'TEAM-A', ' team-a ', 'group:default/team-a', 'Group:Default/Team-A', 'user:jdoe', 'user:default/j.doe', 'group:team-b', 'component:default/cart',
  'group:x/y/z', 'shop/cart', ':team', 'team:', '/team', 'team/', 'a:b:c', 'default/team-a', '-team', 'team-', 'team..a', 'a'.repeat(63), 'a'.repeat(64), `group:${'n'.repeat(64)}/x`,
  'production', 'Production', 'PROD', 'prod env', 'staging', 'dev-1', 'a.b_c-d', 'x_', '0',
  // Unicode that changes under case mapping or normalisation.
  'Zürich', '日本語', '🚀', 'e\u0301', 'İstanbul', '\u212a', '\u212bngstr\u00f6m', 'ß', 'ﬁ', 'Σσς', '\u0130\u0131', 'тест', 'עברית', 'العربية',
  // Long values: ECS allows 256 characters in a tag value.
  'x'.repeat(256), 'é'.repeat(256), '界'.repeat(256), '🚀'.repeat(128), `${'a'.repeat(255)}\n`, '`'.repeat(256), '<'.repeat(256),
];

/** A few code points that start, end or break syntax somewhere, as single units for random strings. */
const TROUBLE_CHARS = [
  '<', '>', '"', "'", '`', '&', '\\', '[', ']', '(', ')', '!', '*', '_', '#', '|', '~', ':', '/', '.', '-', '=', ',', '@', '$', '%', '{', '}',
  ' ', '\t', '\n', '\r', '\u0000', '\u001b', '\u007f', '\u0085', '\u2028', '\u202e', '\u2066', '\ufeff', '\ud800', '\udfff', 'a', 'Z', '0', 'é', '🚀',
];

/** Any single UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map(c => String.fromCharCode(c));

/**
 * Anything a tag key, tag value, annotation or error message could hold: the
 * hand-picked palette, concatenations of it, random strings over every code
 * point, over code units (lone surrogates), over syntax characters, and long
 * ones.
 */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_PALETTE) },
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...HOSTILE_PALETTE), { minLength: 2, maxLength: 4 }).map(parts => parts.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: codeUnit, maxLength: 24 }) },
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...TROUBLE_CHARS), maxLength: 32 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 256, maxLength: 256 }) },
);

/** A string no entity reference, label or ARN could contain (U+2063 INVISIBLE SEPARATOR), to trace where a value goes. */
export const MARKER = '\u2063';

/** A hostile string with the marker inside, so the test can tell whether any of it reached the output. */
export const markedString: fc.Arbitrary<string> = fc
  .tuple(hostileString, hostileString)
  .map(([before, after]) => `${before}${MARKER}${after}`);

/** Tag keys the default mapping reads, in every casing people type, plus anything at all. */
export const KNOWN_TAG_KEYS = [
  'owner', 'Owner', 'OWNER', 'oWnEr', 'team', 'Team', 'TEAM', 'system', 'System', 'SYSTEM', 'environment', 'Environment', 'stage', 'Stage', 'lifecycle', 'Lifecycle',
  'component', 'Component', 'COMPONENT', ' owner', 'owner ', 'aws:cloudformation:stack-name', 'Name',
  // Keys a careless mapping might copy into a title, description, link or annotation.
  'description', 'Description', 'title', 'url', 'link', 'href', 'docs', 'runbook', 'backstage.io/source-location',
];

export const tagKey: fc.Arbitrary<string> = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...KNOWN_TAG_KEYS) }, { weight: 2, arbitrary: hostileString });

/**
 * Tag values: anything at all, and often enough something the mapping does
 * read (a reference or a lifecycle word, in any case) so owners, systems and
 * components from tags are exercised too.
 */
export const tagValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.oneof(
          fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$/),
          fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/),
        ),
        fc.constantFrom('', 'group:', 'Group:', 'user:', 'system:', 'component:', 'group:default/', 'GROUP:Default/', 'group:team-ns/', 'group:Bad_NS/', ' ', '  \t'),
      )
      .map(([name, prefix]) => (prefix.trim() === '' ? `${prefix}${name}${prefix}` : `${prefix}${name}`)),
  },
);

/** Tags as ECS returns them: a list of distinct keys (so the same object can be built in any key order). */
export const tagEntries = (value: fc.Arbitrary<string> = tagValue): fc.Arbitrary<Array<[string, string]>> =>
  fc.uniqueArray(fc.tuple(tagKey, value), { selector: ([key]) => key, maxLength: 10 });

/** Own enumerable properties in the given order, `__proto__` included as a plain key. */
export function tagsOf(entries: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [key, value] of entries) Object.defineProperty(tags, key, { value, enumerable: true, writable: true, configurable: true });
  return tags;
}

/** ECS service and cluster names: 1 to 255 of `[A-Za-z0-9_-]`, short ones most of the time. */
export const ecsName: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{200,255}$/) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('a', 'Z', '0', '-', '_', '--', '_-_', '-a-', 'Checkout--V2__', 'A'.repeat(255), '0'.repeat(255), '-'.repeat(255), `${'x'.repeat(254)}-`, `a${'_'.repeat(254)}`),
  },
);

/** Names ECS would never send, to prove the mapping does not fall over: unicode, markup, controls (never empty). */
export const oddName: fc.Arbitrary<string> = hostileString.filter(s => s.length > 0);

export const PARTITIONS = ['aws', 'aws-us-gov', 'aws-cn'] as const;
export type Partition = (typeof PARTITIONS)[number];
export const CONSOLE_HOSTS: Record<Partition, string> = {
  aws: 'console.aws.amazon.com',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
  'aws-cn': 'console.amazonaws.cn',
};

export const region: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-2', 'ap-southeast-2', 'ap-northeast-3', 'me-south-1', 'il-central-1', 'ca-west-1', 'sa-east-1',
      'us-gov-west-1', 'us-gov-east-1', 'cn-north-1', 'cn-northwest-1',
    ),
  },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z]{2}(-[a-z]{1,9}){1,3}-[0-9]{1,2}$/) },
);

/** Always 12 digits; leading zeros are part of the id. */
export const accountId: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[0-9]{12}$/),
  fc.integer({ min: 0, max: 999_999 }).map(n => String(n).padStart(12, '0')),
  fc.constantFrom('000000000000', '000000000001', '012345678901', '999999999999'),
);

export const status: fc.Arbitrary<EcsServiceStatus> = fc.constantFrom('ACTIVE', 'ACTIVE', 'DRAINING', 'INACTIVE');

export interface ServiceParts {
  partition: Partition;
  region: string;
  accountId: string;
  cluster: string;
  name: string;
  /** The current ARN format (`service/CLUSTER/NAME`), or the old one (`service/NAME`). */
  longArn: boolean;
  /** Every part has the exact shape ECS gives it, so the console link can be built. */
  wellFormed: boolean;
}

export function serviceArn(p: Pick<ServiceParts, 'partition' | 'region' | 'accountId' | 'cluster' | 'name' | 'longArn'>): string {
  return `arn:${p.partition}:ecs:${p.region}:${p.accountId}:service/${p.longArn ? `${p.cluster}/` : ''}${p.name}`;
}

export function clusterArn(p: Pick<ServiceParts, 'partition' | 'region' | 'accountId' | 'cluster'>): string {
  return `arn:${p.partition}:ecs:${p.region}:${p.accountId}:cluster/${p.cluster}`;
}

/** What the console link of a service must be, computed independently of src/. */
export function expectedConsoleUrl(p: ServiceParts): string | undefined {
  if (!p.wellFormed) return undefined;
  return `https://${p.region}.${CONSOLE_HOSTS[p.partition]}/ecs/v2/clusters/${p.cluster}/services/${p.name}/health?region=${p.region}`;
}

/** The parts of a service ARN: mostly what ECS sends, sometimes names ECS would never allow. */
export const serviceParts: fc.Arbitrary<ServiceParts> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      partition: fc.constantFrom(...PARTITIONS),
      region,
      accountId,
      cluster: ecsName,
      name: ecsName,
      longArn: fc.boolean(),
      wellFormed: fc.constant(true),
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        partition: fc.constantFrom(...PARTITIONS),
        region: fc.oneof({ weight: 3, arbitrary: region }, { weight: 1, arbitrary: oddName }),
        accountId,
        cluster: fc.oneof(ecsName, oddName),
        name: fc.oneof({ weight: 3, arbitrary: oddName }, { weight: 1, arbitrary: ecsName }),
        longArn: fc.boolean(),
        wellFormed: fc.constant(false),
      })
      // Odd parts that happen to have the right shape simply make a valid service.
      .map(p => ({
        ...p,
        wellFormed: /^[A-Za-z0-9_-]{1,255}$/.test(p.name) && /^[A-Za-z0-9_-]{1,255}$/.test(p.cluster) && /^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/.test(p.region),
      })),
  },
);

export function serviceFrom(parts: ServiceParts, tags: Record<string, string>, extra: Partial<EcsService> = {}): EcsService {
  return {
    arn: serviceArn(parts),
    name: parts.name,
    clusterArn: clusterArn(parts),
    accountId: parts.accountId,
    region: parts.region,
    status: 'ACTIVE',
    tags,
    desiredCount: 1,
    runningCount: 1,
    launchType: 'FARGATE',
    taskDefinition: `arn:${parts.partition}:ecs:${parts.region}:${parts.accountId}:task-definition/td:1`,
    createdAt: '2025-01-01T00:00:00.000Z',
    ...extra,
  };
}

export const launchType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('FARGATE', 'EC2', 'EXTERNAL') },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: hostileString },
);

/** Catalog object names (`metadata.name`): 1 to 63 of `[A-Za-z0-9._-]`, alphanumeric at both ends. */
export const catalogName: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$/) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/) },
  { weight: 1, arbitrary: fc.constantFrom('a', 'Z9', 'x.y_z-w', 'A'.repeat(63), 'javascript', 'data', 'script', 'img', 'e' + '-'.repeat(61) + 'e') },
);

/** Catalog namespaces: DNS labels. */
export const catalogNamespace: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constant('default') },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}$/) },
);

/** A valid entity reference as `stringifyEntityRef` writes it (kind and name keep their case). */
export const entityRef: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('component', 'Component', 'system', 'API', 'resource', 'Domain'), catalogNamespace, catalogName)
  .map(([kind, namespace, name]) => `${kind}:${namespace}/${name}`);

/** Group-ish owners as people write them in spec.owner or in a tag: valid short and full refs. */
export const validOwner: fc.Arbitrary<string> = fc.oneof(
  catalogName,
  catalogName.map(name => `group:${name}`),
  fc.tuple(catalogNamespace, catalogName).map(([ns, name]) => `group:${ns}/${name}`),
  fc.tuple(catalogNamespace, catalogName).map(([ns, name]) => `User:${ns}/${name}`),
);
