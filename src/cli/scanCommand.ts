import type { Config } from '@backstage/config';
import { parseArgs } from 'node:util';
import { loadAppConfig } from '../config/loadAppConfig';
import { createCredentialsManager } from '../config/awsConfig';
import { ConfigError } from '../config/configError';
import { EcsProviderConfig, PROVIDERS_KEY, readProviderConfigs } from '../config/providerConfig';
import type { Inventory } from '../scan/inventory';
import { EcsScanner } from '../scan/scanner';
import { EXIT_INCOMPLETE, EXIT_OK } from './exitCodes';
import { renderScanJson, renderScanTable } from './renderScan';
import { UsageError } from './usageError';

export const SCAN_USAGE = 'ecs-catalog-sync scan --config <app-config.yaml> [--provider <id>] [--format json|table]';

export async function scanCommand(argv: string[], out: (text: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      provider: { type: 'string' },
      format: { type: 'string', default: 'table' },
    },
    strict: true,
  });
  if (!values.config) throw new UsageError(`--config is required\nusage: ${SCAN_USAGE}`);
  if (values.format !== 'json' && values.format !== 'table') {
    throw new UsageError(`--format must be json or table, not '${values.format}'`);
  }
  const root = await loadAppConfig(values.config);
  const provider = chooseProvider(readProviderConfigs(root), values.provider);
  const inventory = await scanProvider(root, provider);
  out(values.format === 'json' ? renderScanJson(inventory) : renderScanTable(inventory));
  return isComplete(inventory) ? EXIT_OK : EXIT_INCOMPLETE;
}

/** One scan of one provider's scope with credentials from the config's `aws` block. */
export function scanProvider(root: Config, provider: EcsProviderConfig): Promise<Inventory> {
  return withScanner(root, provider, scanner => scanner.scan());
}

/** A scanner for one command's work, closed when the work is done. */
export async function withScanner<T>(root: Config, provider: EcsProviderConfig, work: (scanner: EcsScanner) => Promise<T>): Promise<T> {
  const scanner = new EcsScanner(provider, { credentialsManager: createCredentialsManager(root) });
  try {
    return await work(scanner);
  } finally {
    scanner.close();
  }
}

export function isComplete(inventory: Inventory): boolean {
  return inventory.shards.every(s => s.status === 'ok') && inventory.discovery?.status !== 'failed';
}

export function chooseProvider(providers: EcsProviderConfig[], id: string | undefined): EcsProviderConfig {
  if (providers.length === 0) {
    throw new ConfigError(PROVIDERS_KEY, 'no provider is configured; add one such as catalog.providers.awsEcs.production with accounts and regions');
  }
  if (id === undefined) {
    if (providers.length > 1) {
      throw new UsageError(`the config has providers ${providers.map(p => p.id).join(', ')}: choose one with --provider`);
    }
    return providers[0];
  }
  const found = providers.find(p => p.id === id);
  if (!found) {
    throw new UsageError(`--provider ${id}: no such provider under ${PROVIDERS_KEY}; configured: ${providers.map(p => p.id).join(', ')}`);
  }
  return found;
}
