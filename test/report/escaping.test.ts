import { type DriftReport, UNOWNED } from '../../src/report/driftReport';
import { oneLine } from '../../src/report/renderCommon';
import { DRIFT_HTML_SCRIPT, escapeHtml, renderDriftHtml } from '../../src/report/renderHtml';
import { renderDriftJson } from '../../src/report/renderJson';
import { escapeMarkdownText, markdownCode, renderDriftMarkdown } from '../../src/report/renderMarkdown';
import { renderDriftTable } from '../../src/report/renderTable';
import { fixtureReport, HOSTILE } from './fixture';

/** Strings that try every way out of Markdown, HTML and terminal text. */
const HOSTILE_STRINGS = [
  ...Object.values(HOSTILE),
  '[click](javascript:alert(1))',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  '![x](data:image/svg+xml,<svg onload=alert(1)>)',
  '<javascript:alert(1)>',
  '<https://evil.example>',
  '[x]: javascript:alert(1)',
  '[x][y]\n\n[y]: javascript:alert(1)',
  'https://evil.example/path?q=1',
  'www.evil.example',
  'user@evil.example',
  '`',
  '``',
  'a`b``c```d',
  ' ` ',
  '` leading',
  'trailing `',
  '   ',
  '\\',
  '\\`',
  'x\\',
  '\\[x\\](javascript:alert(1))',
  'line\n# heading',
  '\r\n\r\n- item\n> quote',
  '\n\n<script>alert(1)</script>',
  '**bold** _em_ ~~strike~~ | pipe | {curly} #hash +plus -minus .dot !bang ~tilde',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#x3C;script&#x3E;',
  '"><script>alert(1)</script>',
  "' onmouseover='alert(1)",
  '</code></td></tr></table><script>alert(1)</script>',
  '<!-- comment --><![CDATA[x]]>',
  '$\\href{javascript:alert(1)}{x}$',
  '{{constructor.constructor("alert(1)")()}}',
  '\u202Eevil\u2066x\u2069',
  'line\u2028separator\u2029paragraph',
  'lone \uD800 surrogate \uDC00',
  '\u0000\u001b[31mred\u001b[0m\u0007\u009b',
  'Zürich ✓ 日本語 🚀',
  '',
];

/** A report in which every string that comes from tags, annotations, refs or ARNs is `value`. */
function reportOf(value: string, benignOwner = UNOWNED): DriftReport {
  const v = value;
  return {
    generatedAt: '2025-03-14T09:26:53.000Z',
    summary: {
      phantoms: 2, unclaimed: 1, ownerDrift: 2, duplicateClaims: 1, malformedClaims: 1, tabMismatches: 2, notVerified: 1, alerts: 1,
      liveServices: 4, claimedServices: 2, coverage: 0.5, complete: false,
    },
    phantoms: [
      { owner: v, entityRef: v, annotation: v, arn: v, reason: v, suggestion: { arn: v, why: v } },
      { owner: benignOwner, entityRef: v, annotation: v, selector: v, reason: v, suggestion: null },
    ],
    unclaimed: [{ owner: v, arn: v, name: v, accountId: v, region: v }],
    ownerDrift: [
      { owner: v, arn: v, entityRef: v, entityOwner: v, tagOwner: v, reason: v },
      { owner: v, arn: v, entityRef: null, entityOwner: null, tagOwner: v, reason: v },
    ],
    duplicateClaims: [{ owner: v, arn: v, entityRefs: [v, v] }],
    malformedClaims: [{ owner: v, entityRef: v, annotation: v, value: v, reason: v }],
    tabMismatches: [
      { owner: v, entityRef: v, annotation: v, value: v, reason: v, suggestion: { annotation: v, value: v } },
      { owner: v, entityRef: v, annotation: v, value: v, reason: v, suggestion: null },
    ],
    notVerified: [{ owner: v, entityRef: v, annotation: v, value: v, reason: v }],
    alerts: [{ accountId: v, region: v, error: v }],
  };
}

const BENIGN = 'x';

/**
 * Code spans as CommonMark finds them on one line: a run of n backticks opens,
 * the next run of exactly n closes. Returns the text with each span replaced
 * by `CODE`, and the spans' contents (one space stripped from each side when
 * both are spaces and the content is not all spaces).
 */
function splitCodeSpans(line: string): { outside: string; spans: string[] } {
  let outside = '';
  const spans: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) {
      outside += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== '`') {
      outside += c;
      i += 1;
      continue;
    }
    let n = 0;
    while (line[i + n] === '`') n += 1;
    let j = i + n;
    let close = -1;
    while (j < line.length) {
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
    let content = line.slice(i + n, close);
    if (content.length >= 2 && content.startsWith(' ') && content.endsWith(' ') && !/^ +$/.test(content)) content = content.slice(1, -1);
    spans.push(content);
    outside += 'CODE';
    i = close + n;
  }
  return { outside, spans };
}

/** Characters of `text` that are not backslash-escaped. */
function unescaped(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else out += text[i];
  }
  return out;
}

/** What a line's block structure is: heading level, blockquote, list item, blank. */
const shape = (line: string) => /^(#{1,6} |> - |> |- |$)?/.exec(line)![0] || 'text';

describe('Markdown escaping', () => {
  it.each(HOSTILE_STRINGS.map(s => [JSON.stringify(s), s]))('a code span holds %s exactly, and nothing else', (_name, value) => {
    const span = markdownCode(value);
    if (oneLine(value) === '') {
      expect(span).toBe('*empty*');
      return;
    }
    const { outside, spans } = splitCodeSpans(span);
    expect(outside).toBe('CODE');
    expect(spans).toEqual([oneLine(value)]);
  });

  it.each(HOSTILE_STRINGS.map(s => [JSON.stringify(s), s]))('prose escaping leaves %s inert', (_name, value) => {
    const escaped = escapeMarkdownText(value);
    expect(escaped).not.toMatch(/[\n\r<>]/);
    const bare = unescaped(escaped);
    expect(bare).not.toMatch(/[\\`*_{}[\]()#+\-.!|~:$<>]/);
    expect(escaped.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
  });

  it.each(HOSTILE_STRINGS.map(s => [JSON.stringify(s), s]))('the report with every value %s keeps its structure and has no live syntax outside code spans', (_name, value) => {
    const hostile = renderDriftMarkdown(reportOf(value));
    const benign = renderDriftMarkdown(reportOf(BENIGN));
    const lines = hostile.split('\n');
    expect(lines.map(shape)).toEqual(benign.split('\n').map(shape));

    for (const line of lines) {
      const { outside, spans } = splitCodeSpans(line.replace(/^> /, ''));
      // No code span swallowed prose or escaped its fence: each holds the value, a fixed name, or nothing hostile.
      for (const span of spans) expect([oneLine(value), 'aws.amazon.com/amazon-ecs-service-arn', 'spec.owner', 'team-z']).toContain(span);
      expect(outside).not.toContain('](');
      expect(outside).not.toContain('<');
      const bare = unescaped(outside);
      // Escaped `:` and `.` break every link form: no scheme, no URL or e-mail autolink survives.
      expect(bare).not.toMatch(/javascript:|data:|:\/\/|www\.|@evil\.example/i);
      expect(bare).not.toMatch(/[[\]<>|~$`]/);
      expect(outside.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
    }
  });

  it('fences a value of a hundred and sixty thousand backtick runs without overflowing the stack', () => {
    const value = `k=${'`a'.repeat(160_000)}`;
    expect(markdownCode(value)).toBe(`\`\`${value}\`\``);
  });

  it('shows newlines and control characters as visible symbols, never as line breaks', () => {
    expect(markdownCode('a\nb\r\nc\u001b[0m')).toBe('`a␊b␍␊c␛[0m`');
    expect(escapeMarkdownText('a\n# b')).toBe('a␊\\# b');
  });
});

/** Every tag in a page, script removed; data never makes a tag. */
const ALLOWED_TAGS = new Set([
  'html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'p', 'time', 'section', 'dl', 'dt', 'dd', 'ul', 'li',
  'label', 'select', 'option', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'span',
]);
const ALLOWED_ATTRIBUTES = new Set([
  'lang', 'charset', 'name', 'content', 'class', 'aria-label', 'role', 'id', 'hidden', 'for', 'value', 'selected', 'data-kind', 'data-owner', 'scope', 'colspan',
]);
const TAG = /^<(\/?)([a-z0-9]+)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>/;

function tagsOf(page: string): Array<{ name: string; attributes: Array<[string, string]> }> {
  const [head, ...rest] = page.split(`<script>${DRIFT_HTML_SCRIPT}</script>`);
  expect(rest).toHaveLength(1);
  const markup = (head + rest[0]).replace(/^<!doctype html>\n/, '').replace(/<style>[^<]*<\/style>/, '<style></style>');
  const tags = [];
  for (let i = markup.indexOf('<'); i >= 0; i = markup.indexOf('<', i + 1)) {
    const match = TAG.exec(markup.slice(i));
    if (!match) throw new Error(`stray < at ${JSON.stringify(markup.slice(i, i + 60))}`);
    const attributes = [...match[3].matchAll(/([a-z-]+)(?:="([^"]*)")?/g)].map(a => [a[1], a[2] ?? ''] as [string, string]);
    tags.push({ name: match[2], attributes });
  }
  return tags;
}

describe('HTML escaping', () => {
  it.each(HOSTILE_STRINGS.map(s => [JSON.stringify(s), s]))('the page with every value %s has only its own markup and its one script', (_name, value) => {
    const page = renderDriftHtml(reportOf(value));
    expect(page.match(/<script/gi)).toHaveLength(1);
    expect(page.match(/<\/script/gi)).toHaveLength(1);
    const tags = tagsOf(page);
    for (const tag of tags) {
      expect(ALLOWED_TAGS).toContain(tag.name);
      for (const [name, attribute] of tag.attributes) {
        expect(ALLOWED_ATTRIBUTES).toContain(name);
        expect(attribute).not.toMatch(/javascript:|data:|vbscript:|[<>"'`]/i);
      }
    }
    // Same markup as with a benign value: nothing was opened, closed or added by the data.
    // (An empty value is shown as a muted word instead of a code element.)
    const names = (list: typeof tags) => list.map(t => t.name).filter(name => name !== 'code');
    expect(names(tags)).toEqual(names(tagsOf(renderDriftHtml(reportOf(BENIGN)))));
    // Every value is there, escaped; no raw < or " from it.
    if (oneLine(value) !== '') expect(page).toContain(escapeHtml(value));
    if (/[<>"']/.test(value)) expect(page).not.toContain(value);
  });

  it('escapes & < > " \' and neutralises controls', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>\n`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;␊');
  });

  it('passes the fixture the same checks', () => {
    const page = renderDriftHtml(fixtureReport());
    for (const tag of tagsOf(page)) {
      expect(ALLOWED_TAGS).toContain(tag.name);
      for (const [name, attribute] of tag.attributes) {
        expect(ALLOWED_ATTRIBUTES).toContain(name);
        expect(attribute).not.toMatch(/javascript:|data:|[<>"'`]/i);
      }
    }
  });
});

describe('console table escaping', () => {
  it.each(HOSTILE_STRINGS.map(s => [JSON.stringify(s), s]))('the table with every value %s has no control characters and keeps its lines', (_name, value) => {
    const text = renderDriftTable(reportOf(value));
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(text.split('\n')).toHaveLength(renderDriftTable(reportOf(BENIGN)).split('\n').length);
  });
});

describe('JSON', () => {
  it.each(HOSTILE_STRINGS.map(s => [JSON.stringify(s), s]))('keeps %s verbatim', (_name, value) => {
    const report = reportOf(value);
    expect(JSON.parse(renderDriftJson(report))).toEqual(report);
  });
});
