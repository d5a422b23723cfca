/**
 * A mistake in the user's configuration. The message always starts with the
 * full key path, so the user can find the line to fix without reading code.
 */
export class ConfigError extends Error {
  readonly key: string;

  constructor(key: string, problem: string) {
    super(`Invalid configuration at ${key}: ${problem}`);
    this.name = 'ConfigError';
    this.key = key;
  }
}
