import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const PRODUCT = 'backstage-plugin-catalog-backend-module-aws-ecs';

/**
 * The repository's root folder, found by walking up to the product's
 * package.json: the tooling runs both from its sources (tests) and from
 * `dev/dist/dev/...` (compiled), which sit at different depths.
 */
export function repoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PRODUCT) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json of ${PRODUCT} above ${from}`);
  }
}

/** The example fleet, app-config and catalog files. */
export function examplesDir(): string {
  return path.join(repoRoot(), 'examples');
}
