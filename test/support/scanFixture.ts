import { ConfigReader } from '@backstage/config';
import { parse } from 'yaml';
import { createCredentialsManager } from '../../src/config/awsConfig';
import { readProviderConfigs } from '../../src/config/providerConfig';
import { Emulator, Fleet, startEmulator } from '../../dev/emulator';
import type { Inventory } from '../../src/scan/inventory';
import { EcsScanner } from '../../src/scan/scanner';
import { useAwsEnvironment } from './awsEnv';

/**
 * Starts the emulator for a test file and points the SDK at it through the
 * standard environment variables, signing as the fleet's first principal.
 * Rate limits are off unless a test turns them on.
 */
export function useEmulator(fleet: Fleet): () => Emulator {
  let emulator: Emulator | undefined;
  let restoreEnv = () => {};
  beforeAll(async () => {
    emulator = await startEmulator({ fleet, faults: { rateLimit: false } });
    const principal = emulator.principal();
    restoreEnv = useAwsEnvironment({
      AWS_ENDPOINT_URL: emulator.url,
      AWS_ACCESS_KEY_ID: principal.accessKeyId,
      AWS_SECRET_ACCESS_KEY: principal.secretAccessKey,
      AWS_REGION: 'us-east-1',
    });
  });
  afterAll(async () => {
    restoreEnv();
    await emulator?.close();
  });
  return () => {
    if (!emulator) throw new Error('the emulator is not started yet');
    return emulator;
  };
}

/** A scanner for the first provider of an app-config given as YAML text. */
export function scannerFor(configYaml: string, options: { now?: () => number } = {}): EcsScanner {
  const root = new ConfigReader(parse(configYaml));
  const [provider] = readProviderConfigs(root);
  return new EcsScanner(provider, { credentialsManager: createCredentialsManager(root), ...options });
}

export async function scanOnce(configYaml: string): Promise<Inventory> {
  const scanner = scannerFor(configYaml);
  try {
    return await scanner.scan();
  } finally {
    scanner.close();
  }
}
