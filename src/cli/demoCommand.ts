import path from 'node:path';
import { scanCommand } from './scanCommand';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');

/**
 * The main job on a fresh machine: the local emulator serves the example
 * fleet, and the scan reads it with the example app-config exactly as it would
 * read AWS, the endpoint variable being the only difference.
 */
export async function demoCommand(_argv: string[], out: (text: string) => void): Promise<number> {
  const { startEmulator } = await import('../dev/emulator');
  const { loadFleetFile } = await import('../dev/fleet');
  const emulator = await startEmulator({ fleet: loadFleetFile(path.join(EXAMPLES, 'fleet.yaml')) });
  const principal = emulator.principal();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulator.url,
    AWS_ACCESS_KEY_ID: principal.accessKeyId,
    AWS_SECRET_ACCESS_KEY: principal.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    // The demo runs on whatever Node the machine has; the SDK's notice about future Node versions is not news here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  try {
    out(`AWS emulator serving examples/fleet.yaml at ${emulator.url}\n`);
    return await scanCommand(['--config', path.join(EXAMPLES, 'app-config.yaml'), '--format', 'table'], out);
  } finally {
    await emulator.close();
  }
}
