import { createHash } from 'node:crypto';
import path from 'node:path';
import { type DriftReport, FINDING_LISTS, ownersIn, UNOWNED } from '../../src/report/driftReport';
import { DRIFT_HTML_SCRIPT, driftHtmlScriptHash, renderDriftHtml } from '../../src/report/renderHtml';
import { renderDriftJson } from '../../src/report/renderJson';
import { renderDriftMarkdown } from '../../src/report/renderMarkdown';
import { renderDriftTable } from '../../src/report/renderTable';
import { expectGolden } from '../support/golden';
import { fixtureReport } from './fixture';

const golden = (name: string) => path.join(__dirname, 'golden', name);

describe('the fixture', () => {
  it('holds every kind of finding, an alert and hostile owners', () => {
    const r = fixtureReport();
    expect(r.phantoms.some(p => p.arn && p.suggestion)).toBe(true);
    expect(r.phantoms.some(p => p.arn && !p.suggestion)).toBe(true);
    expect(r.phantoms.some(p => p.selector !== undefined)).toBe(true);
    expect(r.unclaimed.length).toBeGreaterThan(0);
    expect(r.ownerDrift.some(d => d.entityRef !== null)).toBe(true);
    expect(r.ownerDrift.some(d => d.entityRef === null)).toBe(true);
    expect(r.duplicateClaims.length).toBeGreaterThan(0);
    expect(r.malformedClaims.length).toBeGreaterThan(0);
    expect(r.notVerified.length).toBeGreaterThan(0);
    expect(r.alerts.length).toBeGreaterThan(0);
    expect(r.summary.complete).toBe(false);
    expect(ownersIn(r)).toEqual(expect.arrayContaining(['group:default/team-a', 'group:default/team-b', UNOWNED]));
    expect(ownersIn(r).some(o => o.includes('<img'))).toBe(true);
  });
});

describe('renderDriftJson', () => {
  it('matches the golden file', () => {
    expectGolden(golden('report.json'), renderDriftJson(fixtureReport()));
  });

  it('has a stable key order whatever order the report was built in, and loses nothing', () => {
    const report = fixtureReport();
    const shuffled = Object.fromEntries(Object.entries(report).reverse()) as typeof report;
    shuffled.summary = Object.fromEntries(Object.entries(report.summary).reverse()) as typeof report.summary;
    const json = renderDriftJson(shuffled);
    expect(json).toBe(renderDriftJson(report));
    expect(Object.keys(JSON.parse(json))).toEqual([
      'generatedAt', 'summary', 'phantoms', 'unclaimed', 'ownerDrift', 'duplicateClaims', 'malformedClaims', 'tabMismatches', 'notVerified', 'alerts',
    ]);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(report)));
    const parsed = JSON.parse(json);
    expect(parsed.phantoms.map((p: { suggestion: unknown }) => p.suggestion)).toContainEqual(null);
    expect(parsed.ownerDrift.map((d: { entityRef: unknown }) => d.entityRef)).toContainEqual(null);
  });
});

describe('renderDriftMarkdown', () => {
  it('matches the golden file', () => {
    expectGolden(golden('report.md'), renderDriftMarkdown(fixtureReport()));
  });

  it('filters to one owner, by full reference or short group name', () => {
    const report = fixtureReport();
    const md = renderDriftMarkdown(report, { owner: 'team-a' });
    expectGolden(golden('report-team-a.md'), md);
    expect(renderDriftMarkdown(report, { owner: 'group:default/team-a' })).toBe(md);
    expect(md.match(/^## .*$/gm)).toEqual(['## group\\:default/team\\-a']);
  });

  it('says so when an owner has nothing to act on', () => {
    expect(renderDriftMarkdown(fixtureReport(), { owner: 'team-z' })).toContain('Nothing for `team-z` to act on.');
  });

  it('puts unowned findings last', () => {
    const headings = renderDriftMarkdown(fixtureReport()).match(/^## .*$/gm)!;
    expect(headings[headings.length - 1]).toBe('## unowned');
  });
});

describe('renderDriftTable', () => {
  it('matches the golden file', () => {
    expectGolden(golden('report.txt'), renderDriftTable(fixtureReport()));
  });
});

describe('renderDriftHtml', () => {
  it('matches the golden file', () => {
    expectGolden(golden('report.html'), renderDriftHtml(fixtureReport()));
  });

  it('carries exactly the script whose hash it exports, and no event handler', () => {
    const page = renderDriftHtml(fixtureReport());
    expect(page.split('<script').length - 1).toBe(1);
    expect(page).toContain(`<script>${DRIFT_HTML_SCRIPT}</script>`);
    const expected = createHash('sha256').update(Buffer.from(DRIFT_HTML_SCRIPT, 'utf8')).digest('base64');
    expect(driftHtmlScriptHash()).toBe(`'sha256-${expected}'`);
    const markup = page.replace(`<script>${DRIFT_HTML_SCRIPT}</script>`, '');
    const tags = markup.match(/<[a-z][^>]*>/gi)!;
    expect(tags.length).toBeGreaterThan(50);
    expect(tags.filter(tag => /\son[a-z]+\s*=/i.test(tag))).toEqual([]);
    expect(page).toContain('<meta charset="utf-8">');
  });

  it('offers every owner in the filter, and tags every row with its owner', () => {
    const report = fixtureReport();
    const page = renderDriftHtml(report);
    const options = [...page.matchAll(/<option value="([^"]*)"/g)].map(m => m[1]);
    expect(options).toEqual(['', ...ownersIn(report).map(o => encodeURIComponent(o).replace(/'/g, '&#39;'))]);
    const rows = [...page.matchAll(/<tr data-owner="/g)].length;
    const findings = FINDING_LISTS.reduce((n, key) => n + report[key].length, 0);
    expect(rows).toBe(findings);
  });
});

describe('edge cases', () => {
  const clean = (): DriftReport => ({
    generatedAt: '2025-03-14T09:26:53.000Z',
    summary: {
      phantoms: 0, unclaimed: 0, ownerDrift: 0, duplicateClaims: 0, malformedClaims: 0, tabMismatches: 0, notVerified: 0, alerts: 0,
      liveServices: 0, claimedServices: 0, coverage: 1, complete: true,
    },
    phantoms: [], unclaimed: [], ownerDrift: [], duplicateClaims: [], malformedClaims: [], tabMismatches: [], notVerified: [], alerts: [],
  });

  it('say "no drift" when there is none', () => {
    const report = clean();
    expect(renderDriftMarkdown(report)).toContain('No drift: every claim matches a live service');
    expect(renderDriftMarkdown(report)).not.toContain('incomplete');
    expect(renderDriftTable(report)).toBe('2025-03-14T09:26:53.000Z: no drift (0 phantoms, 0 unclaimed services, 0 owner drifts, 0 duplicate claims, 0 malformed claims, 0 claims the AWS Labs ECS tab reads otherwise; 0 claims not verified); 0 of 0 live services claimed (100%)');
    const page = renderDriftHtml(report);
    expect(page).toContain('No drift: every claim matches a live service');
    expect(page).not.toContain('<select');
    expect(page).not.toContain('<table');
  });

  it('name a failed account discovery as such', () => {
    const report = clean();
    report.alerts = [{ accountId: '*', region: '*', error: 'organizations:ListAccounts failed: AccessDeniedException' }];
    report.summary = { ...report.summary, alerts: 1, complete: false };
    expect(renderDriftMarkdown(report)).toContain('> - every account (account discovery): organizations\\:ListAccounts failed\\: AccessDeniedException');
    expect(renderDriftHtml(report)).toContain('<li>every account (account discovery): organizations:ListAccounts failed: AccessDeniedException</li>');
    expect(renderDriftTable(report)).toContain('INCOMPLETE: 1 scope could not be read');
  });
});
