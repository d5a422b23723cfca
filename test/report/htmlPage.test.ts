import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FINDING_LISTS, ownersIn } from '../../src/report/driftReport';
import { driftHtmlScriptHash, renderDriftHtml } from '../../src/report/renderHtml';
import { CHROMIUM, chromiumMissing } from '../browser/chromium';
import { fixtureReport, GENERATED_AT } from './fixture';

/**
 * The HTML report in a real browser: Debian's Chromium, headless, loading the
 * page from a server on 127.0.0.1 and dumping the DOM after the page's script
 * has run (`--dump-dom`, so no DevTools client is needed). Every hostile value
 * in the fixture tries to set document.title to PWNED.
 */
const HAVE_CHROMIUM = chromiumMissing() === undefined;
const describeWithChromium = HAVE_CHROMIUM ? describe : describe.skip;
const SUITE = HAVE_CHROMIUM
  ? 'the HTML drift report in headless Chromium'
  : `the HTML drift report in headless Chromium (SKIPPED: ${chromiumMissing()})`;
if (!HAVE_CHROMIUM) console.warn(`Skipping the HTML report browser test: ${chromiumMissing()}`);

const TITLE = `ECS drift report, ${GENERATED_AT.toISOString()}`;
const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src ${driftHtmlScriptHash()}`;

interface Row {
  owner: string;
  hidden: boolean;
  text: string;
}

function rowsOf(dom: string): Row[] {
  return [...dom.matchAll(/<tr\b([^>]*)>(.*?)<\/tr>/gs)]
    .filter(m => /\bdata-owner="/.test(m[1]))
    .map(m => ({
      owner: decodeURIComponent(decodeEntities(/\bdata-owner="([^"]*)"/.exec(m[1])![1])),
      hidden: /\shidden(="")?(\s|$)/.test(m[1]),
      text: m[2],
    }));
}

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
}

function titleOf(dom: string): string {
  return decodeEntities(/<title>(.*?)<\/title>/s.exec(dom)![1]);
}

describeWithChromium(SUITE, () => {
  const report = fixtureReport();
  const page = renderDriftHtml(report);
  let server: http.Server;
  let base: string;
  const requests: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
      if (req.url === '/report') {
        res.writeHead(200, { ...headers, 'content-security-policy': CSP });
        res.end(page);
      } else if (req.url === '/report-without-csp') {
        // Escaping alone must keep the page inert; the CSP is only a second wall.
        res.writeHead(200, headers);
        res.end(page);
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
      }
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>(resolve => server.close(() => resolve()));
  });

  /** Loads a URL and returns the DOM as it is once the page's script has run. */
  async function dumpDom(url: string): Promise<string> {
    const profile = mkdtempSync(path.join(os.tmpdir(), 'drift-report-chromium-'));
    try {
      const args = [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
        '--no-proxy-server',
        `--user-data-dir=${profile}`,
        '--virtual-time-budget=5000',
        '--dump-dom',
        url,
      ];
      return await new Promise<string>((resolve, reject) => {
        execFile(CHROMIUM, args, { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
          if (error) reject(new Error(`chromium failed: ${error.message}\n${stderr}`));
          else resolve(stdout);
        });
      });
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  }

  const findings = FINDING_LISTS.reduce((n, key) => n + report[key].length, 0);

  it('renders the findings, runs its own script under the CSP, and runs nothing from the data', async () => {
    const dom = await dumpDom(`${base}/report`);
    expect(titleOf(dom)).toBe(TITLE);
    const rows = rowsOf(dom);
    expect(rows).toHaveLength(findings);
    expect(rows.filter(r => r.hidden)).toEqual([]);
    // The page's script ran (it reveals the filter), so the hash in the CSP is right.
    expect(dom).toMatch(/<p id="filter">/);
    expect(dom).toContain('component:default/checkout');
    expect(dom).toContain('arn:aws:ecs:eu-west-1:111111111111:service/shop/checkout');
    // Hostile values are text, not elements.
    expect(dom).toContain('&lt;img src=x onerror=');
    expect(dom).toContain('&lt;script&gt;document.title=');
    expect(dom).not.toMatch(/<(img|svg|a|iframe|object|embed)\b/i);
    expect(dom.match(/<script\b/gi)).toHaveLength(1);
  });

  it('shows only the rows of the owner named in the fragment: #owner=team-a', async () => {
    const dom = await dumpDom(`${base}/report#owner=team-a`);
    expect(titleOf(dom)).toBe(TITLE);
    const rows = rowsOf(dom);
    const teamA = rows.filter(r => r.owner === 'group:default/team-a');
    expect(teamA.length).toBeGreaterThan(3);
    expect(teamA.every(r => !r.hidden)).toBe(true);
    expect(rows.filter(r => r.owner !== 'group:default/team-a').every(r => r.hidden)).toBe(true);
    // The unclaimed services (all unowned) leave an explanation instead of an empty table.
    const unclaimed = /<section data-kind="unclaimed">(.*?)<\/section>/s.exec(dom)![1];
    expect(unclaimed).toMatch(/<tr class="none">/);
    expect(unclaimed).toMatch(/<span class="count">0<\/span>/);
  });

  it('stays inert without the CSP, and filters by a hostile owner as plain text', async () => {
    const hostile = ownersIn(report).find(o => o.startsWith('<img'))!;
    const dom = await dumpDom(`${base}/report-without-csp#owner=${encodeURIComponent(hostile)}`);
    expect(titleOf(dom)).toBe(TITLE);
    expect(dom).not.toMatch(/<(img|svg|a|iframe|object|embed)\b/i);
    expect(dom.match(/<script\b/gi)).toHaveLength(1);
    const rows = rowsOf(dom);
    expect(rows.filter(r => !r.hidden).map(r => r.owner)).toEqual([hostile]);
    // Nothing tried to load what the data names (an injected <img src=x> would fetch /x).
    expect(requests.filter(url => !['/report', '/report-without-csp', '/favicon.ico'].includes(url))).toEqual([]);
  });
});
