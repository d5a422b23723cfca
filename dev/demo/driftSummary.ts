import { printable } from '../../src/report/consoleTable';
import type { DriftReport } from '../../src/report/driftReport';

/** Where a person reads the drift report and its traces in the catalog. */
export function driftLinks(baseUrl: string, providerId: string) {
  const root = baseUrl.replace(/\/+$/, '');
  const provider = encodeURIComponent(providerId);
  return {
    markdown: `${root}/api/ecs-catalog-sync/drift?provider=${provider}&format=markdown`,
    page: `${root}/api/ecs-catalog-sync/drift/page?provider=${provider}`,
    unclaimed: `${root}/api/catalog/entities/by-query?filter=metadata.labels.aws.amazon.com/ecs-unclaimed=true`,
    drifting: `${root}/api/catalog/entities/by-query?filter=metadata.labels.aws.amazon.com/ecs-owner-drift=true`,
  };
}

/** One screen: counts per finding kind, one example of each, and the links to the rest. */
export function renderDriftSummary(report: DriftReport, links: ReturnType<typeof driftLinks>): string {
  const s = report.summary;
  const pct = Math.round(s.coverage * 100);
  const lines = [
    `Drift report (${report.generatedAt}): ${s.claimedServices} of ${s.liveServices} live services claimed (${pct}%)`,
    `  phantoms ${s.phantoms}, unclaimed ${s.unclaimed}, owner drift ${s.ownerDrift}, duplicate claims ${s.duplicateClaims}, malformed claims ${s.malformedClaims}, not readable by the AWS Labs ECS tab ${s.tabMismatches}, not verified ${s.notVerified}, alerts ${s.alerts}`,
  ];
  const example = (label: string, text: string | undefined) => {
    if (text !== undefined) lines.push(`  ${label.padEnd(10)} ${printable(text)}`);
  };
  const phantom = report.phantoms[0];
  example('phantom', phantom && `${phantom.entityRef} claims ${phantom.arn ?? phantom.selector}: ${phantom.reason}${phantom.suggestion ? `; try ${phantom.suggestion.arn}` : ''}`);
  const unclaimed = report.unclaimed[0];
  example('unclaimed', unclaimed && `${unclaimed.arn}`);
  const drift = report.ownerDrift[0];
  example('drift', drift && `${drift.arn}: ${drift.reason}`);
  const duplicate = report.duplicateClaims[0];
  example('duplicate', duplicate && `${duplicate.arn} claimed by ${duplicate.entityRefs.join(', ')}`);
  const malformed = report.malformedClaims[0];
  example('malformed', malformed && `${malformed.entityRef} ${malformed.annotation}: ${malformed.value} (${malformed.reason})`);
  const unverified = report.notVerified[0];
  example('unverified', unverified && `${unverified.entityRef}: ${unverified.reason}`);
  for (const alert of report.alerts) example('alert', `${alert.accountId}/${alert.region}: ${alert.error}`);
  lines.push(
    '',
    `  Markdown by owner:  ${links.markdown}`,
    `  HTML page:          ${links.page}`,
    `  Unclaimed services: ${links.unclaimed}`,
    `  Owner drift:        ${links.drifting}`,
    '  Claiming entities with findings show them as warnings (status.items) in the catalog.',
  );
  return lines.join('\n');
}
