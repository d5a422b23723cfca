import { ACTIONABLE_LISTS, type DriftReport, findingCount, findingsByOwner, type OwnerFindings, sortOwners } from './driftReport';
import { countsInWords, coverageInWords, FINDING_KINDS, isEverywhere, oneLine, ownerMatches, plural } from './renderCommon';

export interface DriftMarkdownOptions {
  /** Only this owner's section: an owner as the report names it, or a short group name (`team-a`). */
  owner?: string;
}

/**
 * The drift report as Markdown for tickets and pull-request comments: a
 * summary, the scopes that could not be read, then one section per owner
 * telling them what is wrong, which annotation to change and to what.
 *
 * Every value from tags, annotations, entity refs or ARNs is untrusted: it is
 * shown in a code span (`markdownCode`) or, in prose, escaped
 * (`escapeMarkdownText`), and always on one line (`oneLine`), so no value can
 * become a link, an image, HTML, a heading or a list item.
 */
export function renderDriftMarkdown(report: DriftReport, options: DriftMarkdownOptions = {}): string {
  const lines: string[] = [];
  const s = report.summary;
  const when = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$/.test(report.generatedAt) ? report.generatedAt : escapeMarkdownText(report.generatedAt);
  lines.push(`# ECS drift report, ${when}`, '');
  const count = findingCount(report);
  lines.push(
    `**${plural(count, 'finding')} to act on:** ${escapeMarkdownText(countsInWords(report))}. ` +
      `Coverage: ${escapeMarkdownText(coverageInWords(report))}.`,
    '',
  );

  if (!s.complete) {
    lines.push('> **This report is incomplete.** What runs in these scopes could not be read, so claims there are neither confirmed nor called phantoms:');
    for (const a of report.alerts) {
      const scope = isEverywhere(a) ? 'every account (account discovery)' : `account ${markdownCode(a.accountId)}, region ${markdownCode(a.region)}`;
      lines.push(`> - ${scope}: ${escapeMarkdownText(a.error)}`);
    }
    if (report.alerts.length === 0) lines.push('> - some claims could not be verified (see “Not verified” below).');
    lines.push('');
  }

  const byOwner = findingsByOwner(report);
  const owners = sortOwners(byOwner.keys()).filter(o => options.owner === undefined || ownerMatches(o, options.owner));
  if (options.owner !== undefined && owners.length > 0) {
    const mine = (key: keyof OwnerFindings) => owners.reduce((n, o) => n + byOwner.get(o)![key].length, 0);
    const toAct = ACTIONABLE_LISTS.reduce((n, key) => n + mine(key), 0);
    const unverified = mine('notVerified');
    lines.push(
      `Below, only what is addressed to ${owners.map(o => markdownCode(o)).join(', ')}: ${plural(toAct, 'finding')} to act on` +
        `${unverified > 0 ? `; ${plural(unverified, 'claim not verified', 'claims not verified')}` : ''}.`,
      '',
    );
  }
  if (options.owner !== undefined && owners.length === 0) {
    lines.push(`Nothing for ${markdownCode(options.owner)} to act on.`, '');
  } else if (owners.length === 0) {
    lines.push(s.complete ? 'No drift: every claim matches a live service and every live service has an owner.' : 'No drift in the scopes that were read.', '');
  }

  for (const owner of owners) {
    lines.push(`## ${owner === '' ? '*no owner named*' : escapeMarkdownText(owner)}`, '');
    for (const kind of FINDING_KINDS) {
      const items = itemsFor(byOwner.get(owner)!, kind.key);
      if (items.length === 0) continue;
      lines.push(`### ${kind.title} (${items.length})`, '');
      for (const item of items) lines.push(`- ${item}`);
      lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** One owner's findings of one kind, as Markdown list items. */
function itemsFor(mine: OwnerFindings, kind: (typeof FINDING_KINDS)[number]['key']): string[] {
  const code = markdownCode;
  const text = escapeMarkdownText;
  switch (kind) {
    case 'phantoms':
      return mine.phantoms.map(p => {
        if (p.arn !== undefined) {
          const fix = p.suggestion
            ? `In ${code(p.annotation)}, change ${code(p.arn)} to ${code(p.suggestion.arn)} (${text(p.suggestion.why)}).`
            : `Remove ${code(p.arn)} from ${code(p.annotation)}, or replace it with the ARN of the service that took its place.`;
          return `${code(p.entityRef)} claims ${code(p.arn)}, but ${text(p.reason)}. ${fix}`;
        }
        return (
          `${code(p.entityRef)} selects services by the tags ${code(p.selector ?? '')}, but ${text(p.reason)}. ` +
          `Correct ${code(p.annotation)} to tags the service carries, or remove it.`
        );
      });
    case 'unclaimed':
      return mine.unclaimed.map(
        u =>
          `${code(u.arn)} (service ${code(u.name)}, account ${code(u.accountId)}, region ${code(u.region)}) runs, but no entity claims it and neither a valid owner tag nor a rule names its owner. ` +
          `Claim it from its component with ${code('aws.amazon.com/amazon-ecs-service-arn')} set to ${code(u.arn)}, or tag the service with its owner.`,
      );
    case 'ownerDrift':
      return mine.ownerDrift.map(d =>
        d.entityRef
          ? `${code(d.arn)} (owner tag ${code(d.tagOwner)}, claimed by ${code(d.entityRef)}${d.entityOwner ? ` with owner ${code(d.entityOwner)}` : ''}): ${text(d.reason)}. ` +
            `Make the service's owner tag and the ${code('spec.owner')} of ${code(d.entityRef)} name the same group of the catalog.`
          : `${code(d.arn)} (owner tag ${code(d.tagOwner)}, claimed by no entity): ${text(d.reason)}. ` +
            `Change the owner tag to a group of the catalog, or add that group to the catalog.`,
      );
    case 'duplicateClaims':
      return mine.duplicateClaims.map(
        d => `${code(d.arn)} is claimed by ${d.entityRefs.map(code).join(', ')}. Keep the claim in one of them and remove it from the others.`,
      );
    case 'malformedClaims':
      return mine.malformedClaims.map(
        m => `${code(m.entityRef)} has ${code(m.annotation)} set to ${code(m.value)}, which cannot be read: ${text(m.reason)}. Correct the value of ${code(m.annotation)}.`,
      );
    case 'tabMismatches':
      return mine.tabMismatches.map(
        m =>
          `${code(m.entityRef)} has ${code(m.annotation)} set to ${code(m.value)}, which the AWS Labs ECS tab does not read as we do: ${text(m.reason)}. ` +
          (m.suggestion
            ? `Write ${code(m.suggestion.annotation)} set to ${code(m.suggestion.value)} instead, and no other ECS claim annotation.`
            : 'No one annotation claims the same services for both: split the claim over entities, one service each, or tag the services alike and claim them by tags.'),
      );
    case 'notVerified':
      return mine.notVerified.map(
        n => `${code(n.entityRef)} claims ${code(n.value)} in ${code(n.annotation)}, which could not be verified: ${text(n.reason)}. Nothing to change yet; it is checked again once the scope can be read.`,
      );
  }
}

/**
 * Untrusted text for Markdown prose: on one line, with every character that
 * could start Markdown syntax backslash-escaped (including `:` and `.`, so no
 * `javascript:` link, URL or e-mail autolink forms) and `&`, `<`, `>` written as
 * entities, so no HTML survives.
 */
export function escapeMarkdownText(value: string): string {
  return oneLine(value)
    .replace(/[\\`*_{}[\]()#+\-.!|~:$]/g, c => `\\${c}`)
    .replace(/[&<>]/g, c => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/**
 * Untrusted text as an inline code span, which Markdown never interprets: the
 * fence is one backtick longer than the longest run of backticks in the value,
 * and padded with a space when the value starts or ends with a backtick or a
 * space (CommonMark strips exactly one space from each side). The value is put
 * on one line first; an empty value is shown as *empty*.
 */
export function markdownCode(value: string): string {
  const content = oneLine(value);
  if (content === '') return '*empty*';
  // A loop, not Math.max(...runs): a value with a hundred thousand runs would overflow the stack.
  let longest = 0;
  for (const run of content.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const allSpaces = /^ +$/.test(content);
  const pad = !allSpaces && /^[ `]|[ `]$/.test(content) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}
