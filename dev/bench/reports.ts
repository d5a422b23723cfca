/**
 * Report benchmark: how the drift report's renderers grow with the report.
 *
 *   npm run bench:reports                    # 5,000 then 50,000 findings, one owner per 10
 *   npm run bench:reports -- --findings 2000
 *
 * Renders each format (JSON, Markdown for everyone and for one owner,
 * console table, HTML) for a report of n findings and one of 10n, both with
 * one owner per ten findings, and prints the best of three times and their growth. Linear
 * renderers grow about 10 times; the bound is 20 (room for n log n sorting
 * and noise), and a renderer that compares every owner with every finding
 * grows about 100 times. Exit code 0, or 1 when a renderer passes the bound.
 */
import { parseArgs } from 'node:util';
import type { DriftReport } from '../../src/report/driftReport';
import { renderDriftHtml } from '../../src/report/renderHtml';
import { renderDriftJson } from '../../src/report/renderJson';
import { renderDriftMarkdown } from '../../src/report/renderMarkdown';
import { renderDriftTable } from '../../src/report/renderTable';

const GROWTH_BOUND = 20;
const SCALE = 10;

/** A report of `findings` findings of every kind, spread over `findings / 10` owners. */
function report(findings: number): DriftReport {
  const owners = Math.max(1, Math.floor(findings / 10));
  const each = Math.ceil(findings / 7);
  const owner = (i: number) => `group:default/team-${String(i % owners).padStart(6, '0')}`;
  const arn = (kind: string, i: number) => `arn:aws:ecs:eu-west-1:${String(100000000000 + (i % 40))}:service/cluster-${kind}/service-${i}`;
  const entityRef = (i: number) => `component:default/service-${i}`;
  const annotation = 'aws.amazon.com/amazon-ecs-service-arn';
  const range = <T>(make: (i: number) => T) => Array.from({ length: each }, (_, i) => make(i));
  return {
    generatedAt: '2026-01-01T00:00:00.000Z',
    summary: {
      phantoms: each, unclaimed: each, ownerDrift: each, duplicateClaims: each, malformedClaims: each, tabMismatches: each, notVerified: each,
      alerts: 0, liveServices: 3 * each, claimedServices: each, coverage: 0.3333, complete: false,
    },
    phantoms: range(i => ({ entityRef: entityRef(i), annotation, arn: arn('p', i), reason: 'the service was deleted (status INACTIVE)', suggestion: i % 3 ? null : { arn: arn('q', i), why: 'same name in another cluster' }, owner: owner(i) })),
    unclaimed: range(i => ({ arn: arn('u', i), name: `service-${i}`, accountId: String(100000000000 + (i % 40)), region: 'eu-west-1', owner: 'unowned' })),
    ownerDrift: range(i => ({ arn: arn('o', i), entityRef: entityRef(i), entityOwner: owner(i), tagOwner: `team-${i}`, reason: `the owner tag says team-${i}, the claiming entity says ${owner(i)}`, owner: owner(i) })),
    duplicateClaims: range(i => ({ arn: arn('d', i), entityRefs: [entityRef(i), entityRef(i + 1)], owner: owner(i) })),
    malformedClaims: range(i => ({ entityRef: entityRef(i), annotation, value: `not-an-arn-${i}`, reason: 'not an ECS service ARN', owner: owner(i) })),
    tabMismatches: range(i => ({ entityRef: entityRef(i), annotation, value: `${arn('t', i)},${arn('t', i + 1)}`, reason: 'the tab reads the whole value as one ARN and does not split it at commas', suggestion: i % 2 ? null : { annotation, value: arn('t', i) }, owner: owner(i) })),
    notVerified: range(i => ({ entityRef: entityRef(i), annotation, value: arn('n', i), reason: 'account could not be read', owner: owner(i) })),
    alerts: [],
  };
}

const RENDERERS: Array<[string, (r: DriftReport) => string]> = [
  ['json', r => renderDriftJson(r)],
  ['markdown', r => renderDriftMarkdown(r)],
  ['markdown, one owner', r => renderDriftMarkdown(r, { owner: 'team-000003' })],
  ['table', r => renderDriftTable(r)],
  ['html', r => renderDriftHtml(r)],
];

/** The fastest of three renders: the others carry garbage collection and the machine's noise. */
function timed(render: (r: DriftReport) => string, r: DriftReport): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = process.hrtime.bigint();
    render(r);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return best;
}

function main(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { findings: { type: 'string', default: '5000' } }, strict: true });
  const n = Number(values.findings);
  if (!Number.isInteger(n) || n < 60) throw new Error(`--findings must be a whole number of at least 60, not ${values.findings}`);
  const small = report(n);
  const large = report(n * SCALE);
  // Warm the JIT on the small report, so the first measurement is not the compiler's.
  for (const [, render] of RENDERERS) render(small);

  const rows = RENDERERS.map(([format, render]) => {
    const smallMs = timed(render, small);
    const largeMs = timed(render, large);
    return { format, smallMs, largeMs, growth: largeMs / Math.max(smallMs, 0.001) };
  });
  console.log(`Drift report renderers, ${n.toLocaleString('en')} then ${(n * SCALE).toLocaleString('en')} findings (one owner per 10 findings):`);
  for (const r of rows) {
    const verdict = r.growth <= GROWTH_BOUND ? 'ok' : 'OVER';
    console.log(`  ${r.format.padEnd(20)} ${r.smallMs.toFixed(1).padStart(8)} ms -> ${r.largeMs.toFixed(1).padStart(8)} ms   growth ${r.growth.toFixed(1)}x (linear ${SCALE}x, bound ${GROWTH_BOUND}x) ${verdict}`);
  }
  console.log(`BENCH_JSON ${JSON.stringify({ findings: n, scale: SCALE, bound: GROWTH_BOUND, rows })}`);
  return rows.every(r => r.growth <= GROWTH_BOUND) ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
