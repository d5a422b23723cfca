import { printable, renderTable } from './consoleTable';
import { type DriftReport, findingCount } from './driftReport';
import { countsInWords, coverageInWords, oneLine, plural } from './renderCommon';

/**
 * The drift report as plain text for terminals: one table per kind of finding
 * that has any, then the scopes that could not be read, then a summary line.
 * Values are put on one line and stripped of control characters, so a tag
 * cannot move the cursor, recolour the terminal or break the table.
 */
export function renderDriftTable(report: DriftReport): string {
  const t = (value: string | null | undefined) => (value === null || value === undefined || value === '' ? '-' : cell(value));
  const sections: string[] = [];
  const section = (title: string, headers: string[], rows: string[][]) => {
    if (rows.length > 0) sections.push(`${title} (${rows.length})\n${renderTable(headers, rows)}`);
  };

  section(
    'PHANTOMS',
    ['OWNER', 'ENTITY', 'CLAIM', 'REASON', 'SUGGESTION'],
    report.phantoms.map(p => [
      t(p.owner),
      t(p.entityRef),
      p.arn !== undefined ? t(p.arn) : `tags ${t(p.selector)}`,
      t(p.reason),
      p.suggestion ? `${t(p.suggestion.arn)} (${t(p.suggestion.why)})` : '-',
    ]),
  );
  section(
    'UNCLAIMED',
    ['OWNER', 'ACCOUNT', 'REGION', 'SERVICE', 'ARN'],
    report.unclaimed.map(u => [t(u.owner), t(u.accountId), t(u.region), t(u.name), t(u.arn)]),
  );
  section(
    'OWNER DRIFT',
    ['OWNER', 'SERVICE', 'ENTITY', 'ENTITY OWNER', 'TAG OWNER', 'REASON'],
    report.ownerDrift.map(d => [t(d.owner), t(d.arn), t(d.entityRef), t(d.entityOwner), t(d.tagOwner), t(d.reason)]),
  );
  section(
    'DUPLICATE CLAIMS',
    ['OWNER', 'SERVICE', 'ENTITIES'],
    report.duplicateClaims.map(d => [t(d.owner), t(d.arn), d.entityRefs.map(t).join(', ')]),
  );
  section(
    'MALFORMED CLAIMS',
    ['OWNER', 'ENTITY', 'ANNOTATION', 'VALUE', 'REASON'],
    report.malformedClaims.map(m => [t(m.owner), t(m.entityRef), t(m.annotation), t(m.value), t(m.reason)]),
  );
  section(
    'NOT READABLE BY THE AWS LABS ECS TAB',
    ['OWNER', 'ENTITY', 'ANNOTATION', 'VALUE', 'REASON', 'WRITE INSTEAD'],
    report.tabMismatches.map(m => [
      t(m.owner),
      t(m.entityRef),
      t(m.annotation),
      t(m.value),
      t(m.reason),
      m.suggestion ? `${t(m.suggestion.annotation)}: ${t(m.suggestion.value)}` : '-',
    ]),
  );
  section(
    'NOT VERIFIED',
    ['OWNER', 'ENTITY', 'ANNOTATION', 'VALUE', 'REASON'],
    report.notVerified.map(n => [t(n.owner), t(n.entityRef), t(n.annotation), t(n.value), t(n.reason)]),
  );
  section(
    'ALERTS',
    ['ACCOUNT', 'REGION', 'ERROR'],
    report.alerts.map(a => [t(a.accountId), t(a.region), t(a.error)]),
  );

  const s = report.summary;
  const count = findingCount(report);
  const summary = [
    `${cell(report.generatedAt)}: ${count === 0 ? 'no drift' : plural(count, 'finding')} (${countsInWords(report)}); ${coverageInWords(report)}`,
  ];
  if (!s.complete) {
    summary.push(
      s.alerts > 0
        ? `INCOMPLETE: ${plural(s.alerts, 'scope')} could not be read; claims there are neither confirmed nor phantoms`
        : 'INCOMPLETE: some claims could not be verified',
    );
  }
  return [...sections, summary.join('\n')].join('\n\n');
}

/** One line, no terminal control characters (C0, C1, DEL) and no bidi overrides. */
function cell(value: string): string {
  return oneLine(printable(value)).replace(/\uFFFD/g, '?');
}
