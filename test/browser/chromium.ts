import { existsSync } from 'node:fs';

/** Moves the browser tests to another Chromium (or Chrome) binary. */
export const CHROMIUM_VARIABLE = 'ECS_CATALOG_SYNC_CHROMIUM';

/** Debian's Chromium, which `.ci/run` installs; `ECS_CATALOG_SYNC_CHROMIUM` overrides it. */
export const CHROMIUM = process.env[CHROMIUM_VARIABLE] || '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  return `${CHROMIUM} is missing (apt-get install -y chromium, or ${CHROMIUM_VARIABLE}=<path to chromium>)`;
}

/** Flags for a headless browser in a container: no sandbox (no user namespaces as root), no calls home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-proxy-server',
];
