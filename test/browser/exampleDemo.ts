import { appBundlePaths, ensureAppBundle } from '../../dev/webapp/appBundle';
import { demoEnv, freePort, startCli, type RunningCli } from '../demo/childProcess';
import { DEV_CLI, ROOT } from '../support/builtCli';

/** Waiting limits, not expectations about speed: start-up, the first scan and the reconciliation. */
const DEMO_READY_TIMEOUT_MS = 240_000;
const EXIT_TIMEOUT_MS = 20_000;

export interface RunningDemo {
  /** The backend's origin, which also serves the web app, e.g. `http://127.0.0.1:41234`. */
  readonly baseUrl: string;
  /** The demo's AWS emulator, as the demo printed it, e.g. `http://127.0.0.1:41235`. */
  readonly emulatorUrl: string;
  readonly cli: RunningCli;
  /** SIGINT, as Ctrl-C would; resolves once the process exited. */
  stop(): Promise<void>;
}

/**
 * `npm start` as a person runs it, on a free port: the emulator with
 * examples/fleet.yaml, the example backend serving the catalog, the drift
 * report and the example web app. Resolves once the demo printed that the
 * reconciliation is done, so the drift findings are in place. Builds the web
 * app first when its bundle is missing or older than its sources.
 */
export async function startDemo(): Promise<RunningDemo> {
  await ensureAppBundle(appBundlePaths(ROOT));
  const port = await freePort();
  const cli = startCli(DEV_CLI, ['demo'], {
    cwd: ROOT,
    env: demoEnv({ ECS_CATALOG_SYNC_DEMO_PORT: String(port) }),
  });
  try {
    await cli.waitForStdout(/Press Ctrl-C to stop\./, DEMO_READY_TIMEOUT_MS);
  } catch (error) {
    cli.kill();
    throw error;
  }
  const emulatorUrl = /AWS emulator serving \S+ at (http:\/\/\S+)/.exec(cli.stdout())?.[1];
  if (!emulatorUrl) {
    cli.kill();
    throw new Error(`the demo did not say where its emulator serves\n--- stdout ---\n${cli.stdout()}`);
  }
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    emulatorUrl,
    cli,
    async stop() {
      cli.child.kill('SIGINT');
      try {
        await cli.waitForExit(EXIT_TIMEOUT_MS);
      } finally {
        cli.kill();
      }
    },
  };
}
