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
    throw configFileError(error, absolute);
  }
  return ConfigReader.fromConfigs(appConfigs.map(c => ({ ...c, data: resolveRelativePaths(c.data, path.dirname(absolute)) })));
}

/**
 * Why a config file could not be read, naming the file. Only the first line
 * of the reason: the YAML parser adds a frame of the file's own text, which can
 * hold a secret; the line and column it names are enough.
 */
export function configFileError(error: unknown, file: string): Error {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0].replace(/:$/, '');
  // The loader names the file for some failures (missing) but not others (a directory, bad YAML).
  return new Error(message.includes(file) ? message : `cannot read config file ${file}: ${message}`);
}
