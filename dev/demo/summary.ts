import { printable, renderTable } from '../../src/report/consoleTable';
import type { CatalogEntity } from './catalogApi';
import type { FileLocation, NotLoaded } from './fileLocations';

const SERVICE_ARN = 'aws.amazon.com/amazon-ecs-service-arn';
const SERVICE_TAGS = 'aws.amazon.com/amazon-ecs-service-tags';
const ACCOUNT_ID = 'aws.amazon.com/account-id';
const REGION = 'aws.amazon.com/region';
const ORIGIN_LOCATION = 'backstage.io/managed-by-origin-location';
export const FALLBACK_OWNER = 'group:default/unknown';

/**
 * The demo's one-screen summary of what the catalog holds, from entities read
 * back through the REST API: ECS service entities per account and region and
 * per owner, the hand-written entities per file they came from, and any
 * processing errors the catalog recorded.
 */
export interface SummaryExtras {
  /** The config's file locations, to count what each file holds. */
  fileLocations?: FileLocation[];
  /** Entities of those files that the catalog does not hold. */
  notLoaded?: NotLoaded[];
}

export function renderCatalogSummary(entities: CatalogEntity[], extras: SummaryExtras = {}): string {
  const services = entities.filter(isEcsService);
  const lines: string[] = [];

  lines.push(`ECS service entities in the catalog: ${services.length} (kind Resource, spec.type ecs-service)`, '');
  const places = countBy(services, e => `${annotation(e, ACCOUNT_ID) ?? '?'}\u0000${annotation(e, REGION) ?? '?'}`);
  lines.push(
    indent(
      renderTable(
        ['ACCOUNT', 'REGION', 'SERVICES'],
        [...places].map(([key, n]) => [...key.split('\u0000').map(printable), String(n)]),
      ),
    ),
    '',
  );

  const owners = countBy(services, e => (typeof e.spec?.owner === 'string' ? e.spec.owner : '(none)'));
  lines.push(
    indent(
      renderTable(
        ['OWNER', 'SERVICES', ''],
        [...owners].map(([owner, n]) => [printable(owner), String(n), owner === FALLBACK_OWNER ? 'fallback owner: no owner tag on the service' : '']),
      ),
    ),
  );
  const fallback = owners.get(FALLBACK_OWNER) ?? 0;
  lines.push(`  ${fallback} of ${services.length} services have the fallback owner ${FALLBACK_OWNER}`, '');

  const files = new Map<string, CatalogEntity[]>();
  for (const location of extras.fileLocations ?? []) files.set(location.path, []);
  for (const entity of entities) {
    const origin = annotation(entity, ORIGIN_LOCATION);
    // The Location entities themselves (generated from catalog.locations) are not hand-written.
    if (isEcsService(entity) || entity.kind === 'Location' || !origin?.startsWith('file:')) continue;
    const file = origin.slice('file:'.length);
    files.set(file, [...(files.get(file) ?? []), entity]);
  }
  if (files.size === 0) lines.push('Hand-written entities: none (catalog.locations has no file location)', '');
  for (const [file, fromFile] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const location = extras.fileLocations?.find(l => l.path === file);
    const inFile = location && !location.error ? ` of ${location.entities.length} in the file` : '';
    lines.push(`Hand-written entities from ${printable(file)}: ${fromFile.length}${inFile}`);
    if (location?.error) lines.push(`  the file could not be read: ${printable(firstLine(location.error))}`);
    const kinds = groupBy(fromFile, e => e.kind);
    if (kinds.size > 0) {
      lines.push(
        indent(
          renderTable(
            ['KIND', 'COUNT', 'NAMES'],
            [...kinds].map(([kind, list]) => [kind, String(list.length), nameList(list.map(e => e.metadata.name))]),
          ),
        ),
      );
      const byArn = fromFile.filter(e => annotation(e, SERVICE_ARN) !== undefined).length;
      const byTags = fromFile.filter(e => annotation(e, SERVICE_TAGS) !== undefined).length;
      lines.push(`  ${byArn} claim ECS services by ${SERVICE_ARN}, ${byTags} by ${SERVICE_TAGS}`);
    }
    const notLoaded = (extras.notLoaded ?? []).filter(n => n.file === file);
    for (const entity of notLoaded.slice(0, 5)) {
      const reason = entity.reasons.length > 0 ? firstLine(innermostCause(entity.reasons[0])) : 'the catalog gave no reason (still being processed?)';
      lines.push(`  NOT LOADED ${printable(entity.ref)}: ${printable(reason)}`);
    }
    if (notLoaded.length > 5) lines.push(`  NOT LOADED ... and ${notLoaded.length - 5} more`);
    lines.push('');
  }

  const errors = entities.flatMap(e =>
    (e.status?.items ?? []).filter(item => item.level === 'error').map(item => `${entityRef(e)}: ${firstLine(item.message)}`),
  );
  if (errors.length === 0) {
    lines.push('Catalog processing errors: none');
  } else {
    lines.push(`Catalog processing errors: ${errors.length}`);
    for (const error of errors.slice(0, 5)) lines.push(`  ${printable(error)}`);
    if (errors.length > 5) lines.push(`  ... and ${errors.length - 5} more`);
  }
  return lines.join('\n');
}

export function isEcsService(entity: CatalogEntity): boolean {
  return entity.kind.toLowerCase() === 'resource' && entity.spec?.type === 'ecs-service';
}

export function entityRef(entity: CatalogEntity): string {
  return `${entity.kind.toLowerCase()}:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`;
}

function annotation(entity: CatalogEntity, key: string): string | undefined {
  return entity.metadata.annotations?.[key];
}

/** Counts per key, sorted by key. */
function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return new Map([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Names sorted and joined, cut to one terminal line. */
function nameList(names: string[], width = 72): string {
  const sorted = [...names].sort();
  let text = '';
  for (let i = 0; i < sorted.length; i++) {
    const next = text ? `${text}, ${sorted[i]}` : sorted[i];
    const rest = sorted.length - i - 1;
    if (next.length + (rest > 0 ? 12 : 0) > width && text) return `${printable(text)}, ... (+${sorted.length - i} more)`;
    text = next;
  }
  return printable(text);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map(line => `  ${line}`)
    .join('\n');
}

/** "Processor X threw an error while validating the entity Y; caused by TypeError: /spec must ..." -> "TypeError: /spec must ..." */
function innermostCause(message: string): string {
  const at = message.lastIndexOf('caused by ');
  return at >= 0 ? message.slice(at + 'caused by '.length) : message;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
