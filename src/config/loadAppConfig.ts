import { ConfigReader, type Config } from '@backstage/config';
import { loadConfig } from '@backstage/config-loader';
import path from 'node:path';
import { resolveRelativePaths } from './relativePaths';

/**
 * Reads an app-config file as a Backstage backend would (environment
 * substitution, `$file`, `$env` and includes), and that file alone; relative
 * file paths in it are read from the file's own directory.
 */
export async function loadAppConfig(file: string): Promise<Config> {
  const absolute = path.resolve(file);
  const { appConfigs } = await loadConfig({
    configRoot: path.dirname(absolute),
    configTargets: [{ path: absolute }],
  });
  return ConfigReader.fromConfigs(appConfigs.map(c => ({ ...c, data: resolveRelativePaths(c.data, path.dirname(absolute)) })));
}
