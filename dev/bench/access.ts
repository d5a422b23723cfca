/**
 * Access benchmark: the team policies and the access drift check over a large
 * fleet, pure functions on plain data.
 *
 *   npm run bench:access                     # 100,000 services, 40 accounts, 50 teams
 *   npm run bench:access -- --services 20000 --teams 10
 *
 * Prints, for the largest team: documents made and their time per service;
 * for the drift check of that team's documents against the whole fleet: its
 * time against a floor measured in the same run (one set lookup per service
 * and action, what any check must at least do), and that the generated
 * documents show no drift. Exit code 0, or 1 when the check finds drift in
 * its own documents or costs more than 20 times the floor.
 */
import { parseArgs } from 'node:util';
import { accessDriftCount, checkAccess } from '../../src/access/accessDrift';
import type { OwnedService } from '../../src/access/ownedServices';
import { PROFILE_ACTIONS } from '../../src/access/profiles';
import { buildTeamPolicies } from '../../src/access/teamPolicies';

const FLOOR_RATIO_TARGET = 20;

function fleet(services: number, accounts: number, teams: number): OwnedService[] {
  const list: OwnedService[] = [];
  for (let i = 0; i < services; i++) {
    const accountId = String(100000000000 + (i % accounts));
    const region = ['eu-west-1', 'us-east-1', 'ap-southeast-2', 'eu-central-1', 'us-west-2'][Math.floor(i / accounts) % 5];
    const cluster = `cluster-${Math.floor(i / (accounts * 5)) % 10}`;
    const base = `arn:aws:ecs:${region}:${accountId}`;
    // One team owns a tenth of the fleet; the rest is spread over the others.
    const owner = i % 10 === 0 ? 'group:default/team-0' : `group:default/team-${1 + (i % (teams - 1))}`;
    list.push({ arn: `${base}:service/${cluster}/service-${i}`, clusterArn: `${base}:cluster/${cluster}`, accountId, region, owner });
  }
  return list;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: { services: { type: 'string', default: '100000' }, accounts: { type: 'string', default: '40' }, teams: { type: 'string', default: '50' } },
    strict: true,
  });
  const services = fleet(Number(values.services), Number(values.accounts), Math.max(2, Number(values.teams)));
  const team = 'group:default/team-0';
  const owned = services.filter(s => s.owner === team).length;

  let t = process.hrtime.bigint();
  const { policies } = buildTeamPolicies({ services, team, profile: 'operate' });
  const buildSeconds = seconds(t);

  t = process.hrtime.bigint();
  const drift = checkAccess({ documents: policies.map(p => ({ source: p.name, document: p.document })), services, team, profile: 'operate' });
  const checkSeconds = seconds(t);

  // The floor: one set lookup per service and service action.
  const actions = [...new Set(PROFILE_ACTIONS.filter(a => a.scope === 'service').map(a => a.action))];
  const granted = new Set(services.filter(s => s.owner === team).map(s => s.arn));
  t = process.hrtime.bigint();
  let hits = 0;
  for (const s of services) for (const action of actions) if (granted.has(s.arn) && action.length > 0) hits++;
  const floorSeconds = Math.max(seconds(t), 1e-6);

  const ratio = checkSeconds / floorSeconds;
  const clean = accessDriftCount(drift) === 0;
  const pass = clean && ratio <= FLOOR_RATIO_TARGET;
  console.log(`fleet          ${services.length.toLocaleString('en')} services; ${team} owns ${owned.toLocaleString('en')}`);
  console.log(`policies       ${policies.length} documents (operate) in ${(buildSeconds * 1000).toFixed(0)} ms = ${((buildSeconds * 1e6) / owned).toFixed(1)} µs per owned service`);
  console.log(`drift check    ${(checkSeconds * 1000).toFixed(0)} ms over the whole fleet = ${ratio.toFixed(1)}x the floor of ${(floorSeconds * 1000).toFixed(1)} ms (target <= ${FLOOR_RATIO_TARGET}x)  ${ratio <= FLOOR_RATIO_TARGET ? 'OK' : 'MISSED'}`);
  console.log(`own documents  ${clean ? 'no drift  OK' : `drift found: ${accessDriftCount(drift)}  MISSED`} (${hits} grants checked by the floor)`);
  console.log(`BENCH_JSON ${JSON.stringify({ services: services.length, owned, documents: policies.length, buildSeconds, checkSeconds, floorSeconds, ratio, clean, pass })}`);
  return pass ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
