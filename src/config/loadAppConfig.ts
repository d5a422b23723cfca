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
  let appConfigs;
  try {
    ({ appConfigs } = await loadConfig({ configRoot: path.dirname(absolute), configTargets: [{ path: absolute }] }));
  } catch (error) {
    const message = (error as Error).message;
    // The loader names the file for some failures (missing) but not others (a directory, bad YAML).
    throw new Error(message.includes(absolute) ? message : `cannot read config file ${absolute}: ${message}`);
  }
  return ConfigReader.fromConfigs(appConfigs.map(c => ({ ...c, data: resolveRelativePaths(c.data, path.dirname(absolute)) })));
}
