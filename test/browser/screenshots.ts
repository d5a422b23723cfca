import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/builtCli';

/** Where the browser tests leave their screenshots for a person to look at (gitignored). */
export const SCREENSHOT_DIR = process.env.ECS_CATALOG_SYNC_SCREENSHOTS || path.join(ROOT, 'test-results', 'screenshots');

/** `<SCREENSHOT_DIR>/<name>.png`, the folder created on first use. */
export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9._-]+/gi, '-')}.png`);
}
