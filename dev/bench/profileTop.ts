/**
 * Top self-time functions of a V8 CPU profile (from `node --cpu-prof`), and
 * the same grouped by package, to see what a scan spends its CPU on.
 *
 *   node --expose-gc --cpu-prof --cpu-prof-dir=/tmp/prof dev/dist/dev/bench/scan.js --accounts 10 --regions 4 --clusters 10 --services 50 --no-catalog
 *   node dev/dist/dev/bench/profileTop.js /tmp/prof/CPU.*.cpuprofile [--top 30]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** node_modules/@scope/name or node_modules/name, else our dist file, else the V8/node category. */
function packageOf(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const ours = /\/dist\/(.+)$/.exec(url);
  if (ours) return `(ours) ${ours[1].split('/')[0]}`;
  if (url.startsWith('node:')) return 'node core';
  return url === '' ? '(v8: gc/program/idle/native)' : url;
}

export function topOfProfile(file: string, top = 25): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map(n => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  let idle = 0;
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const name = n.callFrame.functionName || '(anonymous)';
    if (name === '(idle)') idle += us;
    const short = n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/');
    const key = `${name}  ${short}:${n.callFrame.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const k = name === '(idle)' ? '(idle)' : name === '(garbage collector)' ? '(garbage collector)' : packageOf(n.callFrame.url);
    pkg.set(k, (pkg.get(k) ?? 0) + us);
  }
  const busy = total - idle;
  const pct = (us: number) => `${((100 * us) / Math.max(1, busy)).toFixed(1).padStart(5)}%`;
  const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
  const lines = [`profile ${file}: ${ms(total)} sampled, ${ms(busy)} busy (percentages of busy time)`, '', 'by package:'];
  for (const [k, us] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, 20)) if (k !== '(idle)') lines.push(`  ${ms(us)} ${pct(us)}  ${k}`);
  lines.push('', `top ${top} functions by self time:`);
  for (const [k, us] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top + 1)) if (!k.startsWith('(idle)')) lines.push(`  ${ms(us)} ${pct(us)}  ${k}`);
  return lines.join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const topIdx = args.indexOf('--top');
  const top = topIdx >= 0 ? Number(args.splice(topIdx, 2)[1]) : 25;
  if (args.length === 0) {
    console.error('usage: node dev/dist/dev/bench/profileTop.js PROFILE.cpuprofile... [--top N]');
    process.exit(2);
  }
  for (const f of args) console.log(topOfProfile(f, top));
}
