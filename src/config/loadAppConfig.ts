import { ConfigReader, type Config } from '@backstage/config';
import { loadConfig } from '@backstage/config-loader';
import path from 'node:path';

/**
 * Reads an app-config file exactly as a Backstage backend would (environment
 * substitution, `$file`, `$env` and includes), and that file alone.
 */
export async function loadAppConfig(file: string): Promise<Config> {
  const absolute = path.resolve(file);
  const { appConfigs } = await loadConfig({
    configRoot: path.dirname(absolute),
    configTargets: [{ path: absolute }],
  });
  return ConfigReader.fromConfigs(appConfigs);
}
