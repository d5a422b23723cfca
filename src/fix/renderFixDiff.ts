import { createTwoFilesPatch } from 'diff';

/** A file before and after its fixes, named by the path the patch should carry. */
export interface FileChange {
  /** Relative, with forward slashes, so `git apply` and `patch -p1` find it from where the command ran. */
  path: string;
  before: string;
  after: string;
}

/**
 * One unified diff of every changed file, in the `a/` and `b/` form git
 * writes, so a reviewer reads it and `git apply` takes it as it is. Line
 * endings are part of each line: a CRLF file's lines keep their CR.
 */
export function renderFixDiff(changes: readonly FileChange[]): string {
  return changes
    .filter(c => c.before !== c.after)
    .map(c =>
      createTwoFilesPatch(`a/${c.path}`, `b/${c.path}`, c.before, c.after, undefined, undefined, {
        context: 3,
        headerOptions: { includeIndex: false, includeUnderline: false, includeFileHeaders: true },
      }),
    )
    .join('');
}
