import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { EntitiesError } from './loadEntities';

/** The names Backstage gives the files people keep beside their code. */
const CATALOG_FILES = new Set(['catalog-info.yaml', 'catalog-info.yml']);
/** Folders that hold no one's own catalog files, only copies of others'. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);

/**
 * The entity files that `--entities` arguments name: a file as given, a
 * folder as every `catalog-info.yaml` / `catalog-info.yml` below it (not
 * inside `.git` or `node_modules`, symbolic links not followed), in path
 * order; a file named twice is read once.
 */
export async function findEntityFiles(args: readonly string[]): Promise<{ files: string[]; emptyFolders: string[] }> {
  const files: string[] = [];
  const emptyFolders: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    const resolved = path.resolve(file);
    if (seen.has(resolved)) return;
    seen.add(resolved);
    files.push(file);
  };
  for (const arg of args) {
    let isFolder: boolean;
    try {
      isFolder = (await stat(arg)).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new EntitiesError(`--entities ${arg}: cannot read the file or folder${code ? ` (${code})` : ''}`);
    }
    if (!isFolder) {
      add(arg);
      continue;
    }
    const found = await catalogFilesBelow(arg);
    if (found.length === 0) emptyFolders.push(arg);
    found.forEach(add);
  }
  return { files, emptyFolders };
}

async function catalogFilesBelow(folder: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EntitiesError(`--entities: cannot read the folder ${folder}${code ? ` (${code})` : ''}`);
  }
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) found.push(...(await catalogFilesBelow(full)));
    else if (entry.isFile() && CATALOG_FILES.has(entry.name)) found.push(full);
  }
  return found;
}
