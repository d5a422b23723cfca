import { createHash } from 'node:crypto';
import { type DriftReport, findingCount, ownersIn } from './driftReport';
import { countsInWords, coverageInWords, FINDING_KINDS, type FindingKind, isEverywhere, oneLine, plural } from './renderCommon';

/**
 * The page's only script: filters the finding rows by owner. Rows carry
 * `data-owner` (the owner, percent-encoded, as in the options' values); rows
 * of other owners get the `hidden` attribute. The initial filter comes from the
 * URL fragment, `#owner=<owner>` (the owner as the report names it, or a short
 * group name: `#owner=team-a` selects `group:default/team-a`), and choosing an
 * owner writes the fragment back so the view can be linked.
 *
 * Served under `script-src 'sha256-…'` (see `driftHtmlScriptHash`), so this
 * exact text is the only script the page can run: the markup has no inline
 * event handlers and nothing from the report is ever put in a script, URL or
 * style.
 */
export const DRIFT_HTML_SCRIPT = `
(function () {
  'use strict';
  var select = document.getElementById('owner-filter');
  if (!select) return;
  var rows = document.querySelectorAll('tr[data-owner]');
  var sections = document.querySelectorAll('section[data-kind]');
  function ownerAt(i) {
    try { return decodeURIComponent(select.options[i].value); } catch (e) { return null; }
  }
  function fromHash() {
    var match = /^#owner=(.*)$/.exec(location.hash);
    var wanted = null;
    if (match) {
      try { wanted = decodeURIComponent(match[1]); } catch (e) { wanted = null; }
    }
    select.selectedIndex = 0;
    if (wanted === null) return;
    var candidates = [wanted, 'group:default/' + wanted.toLowerCase()];
    for (var c = 0; c < candidates.length; c++) {
      for (var i = 1; i < select.options.length; i++) {
        if (ownerAt(i) === candidates[c]) { select.selectedIndex = i; return; }
      }
    }
  }
  function apply() {
    var all = select.selectedIndex <= 0;
    for (var i = 0; i < rows.length; i++) {
      if (all || rows[i].getAttribute('data-owner') === select.value) rows[i].removeAttribute('hidden');
      else rows[i].setAttribute('hidden', '');
    }
    for (var j = 0; j < sections.length; j++) {
      var shown = sections[j].querySelectorAll('tr[data-owner]:not([hidden])').length;
      var none = sections[j].querySelector('tr.none');
      if (none) {
        if (shown === 0) none.removeAttribute('hidden');
        else none.setAttribute('hidden', '');
      }
      var count = sections[j].querySelector('.count');
      if (count) count.textContent = String(shown);
    }
  }
  select.addEventListener('change', function () {
    apply();
    try {
      history.replaceState(null, '', select.selectedIndex > 0 ? '#owner=' + select.value : location.pathname + location.search);
    } catch (e) {}
  });
  window.addEventListener('hashchange', function () { fromHash(); apply(); });
  fromHash();
  apply();
  var filter = document.getElementById('filter');
  if (filter) filter.removeAttribute('hidden');
})();
`;

/** The CSP source that allows exactly `DRIFT_HTML_SCRIPT`: `'sha256-<base64>'`. */
export function driftHtmlScriptHash(): string {
  return SCRIPT_HASH;
}

const SCRIPT_HASH = `'sha256-${createHash('sha256').update(DRIFT_HTML_SCRIPT, 'utf8').digest('base64')}'`;

const STYLE = `
:root { color-scheme: light dark; --line: #8884; --muted: #777; --alert: #b3261e; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 90rem; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: 0.25rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; }
.muted { color: var(--muted); }
.count { font-weight: normal; color: var(--muted); }
.count::before { content: "("; }
.count::after { content: ")"; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
td { overflow-wrap: anywhere; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.alerts { border-left: 4px solid var(--alert); padding: 0.25rem 1rem; }
.alerts h2 { color: var(--alert); margin-top: 0.5rem; }
.summary dt { font-weight: 600; }
.summary dl { display: grid; grid-template-columns: max-content auto; gap: 0.1rem 1rem; }
#filter { margin-top: 1.5rem; }
tr.none td { color: var(--muted); font-style: italic; }
`;

interface Column<T> {
  header: string;
  /** Plain text; escaped here. `code` cells are values, other cells are words. */
  value: (item: T) => string | string[] | null;
  code?: boolean;
}

/**
 * The drift report as one self-contained HTML page for people: summary,
 * unread scopes, then a table per kind of finding, filterable by owner.
 * No external resources; inline CSS and one inline script whose hash is
 * `driftHtmlScriptHash()`. Every value is HTML-escaped and put on one line;
 * values appear only as element text and, percent-encoded, in `data-owner`
 * and `<option value>`.
 */
export function renderDriftHtml(report: DriftReport): string {
  const s = report.summary;
  const count = findingCount(report);
  const owners = ownersIn(report);
  const title = `ECS drift report, ${report.generatedAt}`;
  const body: string[] = [];

  body.push(`<h1>ECS drift report</h1>`);
  body.push(`<p class="muted">Generated <time>${html(report.generatedAt)}</time></p>`);
  body.push(
    `<section class="summary" aria-label="Summary"><dl>`,
    `<dt>To act on</dt><dd>${count === 0 ? 'no drift' : html(plural(count, 'finding'))}</dd>`,
    `<dt>Findings</dt><dd>${html(countsInWords(report))}</dd>`,
    `<dt>Coverage</dt><dd>${html(coverageInWords(report))}</dd>`,
    `<dt>Complete</dt><dd>${s.complete ? 'yes: every scope was read' : 'no: see below'}</dd>`,
    `</dl></section>`,
  );

  if (!s.complete) {
    body.push(`<section class="alerts" role="alert"><h2>This report is incomplete</h2>`);
    body.push(`<p>What runs in these scopes could not be read, so claims there are neither confirmed nor called phantoms.</p><ul>`);
    for (const a of report.alerts) {
      const scope = isEverywhere(a) ? 'every account (account discovery)' : `account <code>${html(a.accountId)}</code>, region <code>${html(a.region)}</code>`;
      body.push(`<li>${scope}: ${html(a.error)}</li>`);
    }
    if (report.alerts.length === 0) body.push(`<li>some claims could not be verified (see “Not verified”)</li>`);
    body.push(`</ul></section>`);
  }

  if (owners.length > 0) {
    body.push(`<p id="filter" hidden><label for="owner-filter">Owner</label> <select id="owner-filter">`);
    body.push(`<option value="" selected>all owners</option>`);
    for (const owner of owners) body.push(`<option value="${ownerKey(owner)}">${owner === '' ? '(no owner named)' : html(owner)}</option>`);
    body.push(`</select></p>`);
  } else {
    body.push(`<p>${s.complete ? 'No drift: every claim matches a live service and every live service has an owner.' : 'No drift in the scopes that were read.'}</p>`);
  }

  const kinds: { [K in FindingKind['key']]: (kind: FindingKind) => string } = {
    phantoms: kind =>
      table(kind, report.phantoms, [
        { header: 'Entity', value: p => p.entityRef, code: true },
        { header: 'Annotation', value: p => p.annotation, code: true },
        { header: 'Claim', value: p => (p.arn !== undefined ? p.arn : p.selector ?? ''), code: true },
        { header: 'What is wrong', value: p => p.reason },
        { header: 'Suggested value', value: p => p.suggestion?.arn ?? null, code: true },
        { header: 'Why', value: p => p.suggestion?.why ?? null },
      ]),
    unclaimed: kind =>
      table(kind, report.unclaimed, [
        { header: 'Service', value: u => u.name, code: true },
        { header: 'Account', value: u => u.accountId, code: true },
        { header: 'Region', value: u => u.region, code: true },
        { header: 'ARN', value: u => u.arn, code: true },
      ]),
    ownerDrift: kind =>
      table(kind, report.ownerDrift, [
        { header: 'Service', value: d => d.arn, code: true },
        { header: 'Entity', value: d => d.entityRef, code: true },
        { header: 'Entity owner', value: d => d.entityOwner, code: true },
        { header: 'Owner tag', value: d => d.tagOwner, code: true },
        { header: 'What is wrong', value: d => d.reason },
      ]),
    duplicateClaims: kind =>
      table(kind, report.duplicateClaims, [
        { header: 'Service', value: d => d.arn, code: true },
        { header: 'Claimed by', value: d => d.entityRefs, code: true },
      ]),
    malformedClaims: kind =>
      table(kind, report.malformedClaims, [
        { header: 'Entity', value: m => m.entityRef, code: true },
        { header: 'Annotation', value: m => m.annotation, code: true },
        { header: 'Value', value: m => m.value, code: true },
        { header: 'What is wrong', value: m => m.reason },
      ]),
    tabMismatches: kind =>
      table(kind, report.tabMismatches, [
        { header: 'Entity', value: m => m.entityRef, code: true },
        { header: 'Annotation', value: m => m.annotation, code: true },
        { header: 'Value', value: m => m.value, code: true },
        { header: 'What the tab does', value: m => m.reason },
        { header: 'Write instead', value: m => (m.suggestion ? `${m.suggestion.annotation}: ${m.suggestion.value}` : null), code: true },
      ]),
    notVerified: kind =>
      table(kind, report.notVerified, [
        { header: 'Entity', value: n => n.entityRef, code: true },
        { header: 'Annotation', value: n => n.annotation, code: true },
        { header: 'Claim', value: n => n.value, code: true },
        { header: 'Why not verified', value: n => n.reason },
      ]),
  };
  for (const kind of FINDING_KINDS) {
    if (report[kind.key].length > 0) body.push(kinds[kind.key](kind));
  }

  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${html(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body,
    `<script>${DRIFT_HTML_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function table<T extends { owner: string }>(kind: FindingKind, items: T[], columns: Array<Column<T>>): string {
  const all: Array<Column<T>> = [{ header: 'Owner', value: item => item.owner, code: true }, ...columns];
  const lines = [
    `<section data-kind="${kind.key}"><h2>${html(kind.title)} <span class="count">${items.length}</span></h2>`,
    `<table><thead><tr>${all.map(c => `<th scope="col">${html(c.header)}</th>`).join('')}</tr></thead><tbody>`,
  ];
  for (const item of items) {
    const cells = all.map(c => {
      const value = c.value(item);
      if (value === null) return '<td class="muted">none</td>';
      if (value === '') return '<td class="muted">empty</td>';
      if (Array.isArray(value)) return `<td>${value.map(v => `<code>${html(v)}</code>`).join(', ')}</td>`;
      return c.code ? `<td><code>${html(value)}</code></td>` : `<td>${html(value)}</td>`;
    });
    lines.push(`<tr data-owner="${ownerKey(item.owner)}">${cells.join('')}</tr>`);
  }
  lines.push(`<tr class="none" hidden><td colspan="${all.length}">Nothing here for this owner.</td></tr>`);
  lines.push('</tbody></table></section>');
  return lines.join('\n');
}

/** Untrusted text as HTML text or attribute content: on one line, `& < > " '` escaped. */
export function escapeHtml(value: string): string {
  return oneLine(value).replace(/[&<>"']/g, c => HTML_ENTITIES[c]);
}
const html = escapeHtml;

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * An owner as an attribute value: percent-encoded (after `oneLine`, so it is
 * well-formed), then HTML-escaped. It is compared, never interpreted, but this
 * way no attribute ever carries `javascript:`, `<` or a quote from the data.
 */
function ownerKey(owner: string): string {
  return escapeHtml(encodeURIComponent(oneLine(owner)));
}
