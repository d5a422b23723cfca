import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { analyseFleet } from '../analysis/analyseFleet';
import { loadAppConfig } from '../config/loadAppConfig';
import { readProviderConfigs } from '../config/providerConfig';
import { editAnnotations } from '../fix/editAnnotations';
import { type Fix, type LeftAlone, type LocatedEntity, planFixes } from '../fix/planFixes';
import { type FileChange, renderFixDiff } from '../fix/renderFixDiff';
import { oneLine, plural } from '../report/renderCommon';
import { findEntityFiles } from './entityFiles';
import { EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK } from './exitCodes';
import { loadLocatedEntitiesFile } from './loadEntities';
import { chooseProvider, isComplete, withScanner } from './scanCommand';
import { UsageError } from './usageError';

export const FIX_USAGE = 'ecs-catalog-sync fix --config <app-config.yaml> --entities <file|folder> [--entities <file|folder> ...] [--provider <id>] [--write]';

/**
 * Scans like `drift`, finds the claims in entity files that have a certain
 * fix (see `planFixes`) and rewrites only those annotation values, every
 * other byte of the files kept. Without `--write` it prints the change as
 * a unified diff on stdout and touches nothing; what it leaves alone, and
 * why, goes to stderr.
 *
 * Exit codes: 0 nothing to fix, or every fix written; 1 fixes proposed (a dry
 * run); 2 the command could not run, a file could not be edited, or some
 * scope could not be read (fixes in the scopes that were read are still
 * proposed, or written with `--write`).
 */
export async function fixCommand(argv: string[], out: (text: string) => void, err: (text: string) => void = text => process.stderr.write(`${text}\n`)): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      entities: { type: 'string', multiple: true },
      provider: { type: 'string' },
      write: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.config) throw new UsageError(`--config is required\nusage: ${FIX_USAGE}`);
  if (!values.entities || values.entities.length === 0) throw new UsageError(`--entities is required (a file, or a folder of catalog-info.yaml files)\nusage: ${FIX_USAGE}`);

  const root = await loadAppConfig(values.config);
  const provider = chooseProvider(readProviderConfigs(root), values.provider);

  // The files first: a typo in a path should not cost a whole scan.
  const { files, emptyFolders } = await findEntityFiles(values.entities);
  for (const folder of emptyFolders) err(`warning: no catalog-info.yaml or catalog-info.yml below ${oneLine(folder)}`);
  const texts = new Map<string, string>();
  const located: LocatedEntity[] = [];
  for (const file of files) {
    const read = await loadLocatedEntitiesFile(file);
    texts.set(file, read.text);
    located.push(...read.entities);
  }

  const { inventory, analysis } = await withScanner(root, provider, async scanner => {
    const scanned = await scanner.scan();
    const entities = located.map(l => l.entity);
    return { inventory: scanned, analysis: await analyseFleet({ inventory: scanned, entities, mapping: provider.mapping, lookUp: targets => scanner.lookUp(targets), now: new Date() }) };
  });
  const plan = planFixes({ findings: analysis.reconciliation.findings, inventory, entities: located });

  let failed = false;
  const leftAlone: LeftAlone[] = [...plan.leftAlone];
  const changes: Array<FileChange & { file: string; fixes: Fix[] }> = [];
  for (const [file, fixes] of groupByFile(plan.fixes)) {
    const before = texts.get(file)!;
    try {
      const edited = editAnnotations(before, fixes);
      const refused = new Set(edited.refused.map(r => r.change));
      for (const r of edited.refused) {
        const fix = r.change as Fix;
        leftAlone.push({ entityRef: fix.entityRef, file, annotation: fix.annotation, value: fix.oldValue, reason: `${fix.why.join('; ')}; cannot be edited in place: ${r.reason}` });
      }
      changes.push({ file, path: shownPath(file), before, after: edited.text, fixes: fixes.filter(f => !refused.has(f)) });
    } catch (error) {
      err(`error: ${oneLine(shownPath(file))}: ${oneLine((error as Error).message)}`);
      failed = true;
    }
  }
  const changed = changes.filter(c => c.before !== c.after);
  const fixCount = changed.reduce((n, c) => n + c.fixes.length, 0);

  if (values.write) {
    for (const change of changed) {
      // Someone may have edited the file during the scan; their edit wins.
      if ((await readFile(change.file, 'utf8')) !== change.before) {
        err(`error: ${oneLine(change.path)} changed while the fix ran; not written`);
        failed = true;
        continue;
      }
      try {
        await writeFile(change.file, change.after, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        err(`error: ${oneLine(change.path)}: cannot write the file${code ? ` (${code})` : ''}`);
        failed = true;
        continue;
      }
      for (const fix of change.fixes) out(`fixed ${oneLine(change.path)}: ${oneLine(fix.entityRef)} ${fix.annotation}: ${oneLine(fix.oldValue)} -> ${oneLine(fix.newValue)}`);
    }
  } else if (changed.length > 0) {
    // The diff's own last line break is part of it; out() adds one.
    out(renderFixDiff(changed).replace(/\n$/, ''));
  }

  // Why each value changes, for whoever reviews the diff or the pull request.
  for (const change of changed) {
    for (const fix of change.fixes) err(`why: ${oneLine(fix.entityRef)} in ${oneLine(change.path)}: ${fix.annotation}: ${oneLine(fix.why.join('; '))}`);
  }
  for (const l of leftAlone) {
    err(`left alone: ${oneLine(l.entityRef)}${l.file ? ` in ${oneLine(shownPath(l.file))}` : ''}: ${l.annotation} ${oneLine(l.value)}: ${oneLine(l.reason)}`);
  }
  const complete = analysis.report.summary.complete && isComplete(inventory);
  if (inventory.discovery?.status === 'failed') {
    err(`warning: ${inventory.discovery.error?.message ?? 'account discovery failed'}; accounts it would have found were not compared`);
  }
  if (!complete) err('warning: some scopes could not be read; claims into them were not touched');
  err(
    `${plural(fixCount, 'fix', 'fixes')} in ${plural(changed.length, 'file')} ${values.write ? 'written' : 'proposed'}` +
      `${leftAlone.length > 0 ? `, ${plural(leftAlone.length, 'claim')} left alone` : ''}`,
  );

  if (failed || !complete) return EXIT_INCOMPLETE;
  return !values.write && changed.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}

function groupByFile(fixes: readonly Fix[]): Map<string, Fix[]> {
  const byFile = new Map<string, Fix[]>();
  for (const fix of fixes) byFile.set(fix.file, [...(byFile.get(fix.file) ?? []), fix]);
  return byFile;
}

/** The file as the diff names it: relative to where the command runs, with forward slashes. */
function shownPath(file: string): string {
  return path.relative(process.cwd(), path.resolve(file)).split(path.sep).join('/');
}
