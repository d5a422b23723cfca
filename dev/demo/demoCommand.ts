import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../src/cli/usageError';
import { examplesDir } from '../repoRoot';
import { startEmulator } from '../emulator/emulator';
import { loadFleetFile } from '../emulator/fleet';
import { PortInUseError, startExampleBackend } from './backend';
import { CatalogApi, catalogLinks } from './catalogApi';
import { waitForDriftReport, waitForEcsEntities, waitForReadiness } from './waitForCatalog';
import { renderCatalogSummary } from './summary';
import { readFileLocations, readSettledCatalog } from './fileLocations';
import { exitSoon, listenForStop, stopInOrder } from './shutdown';
import { driftLinks, renderDriftSummary } from './driftSummary';
import { webAppLine } from '../webapp/webAppLine';
import { loadAppConfig } from '../../src/config/loadAppConfig';
import { demoOperateRoles } from './demoOperateRoles';

const EXAMPLES = examplesDir();

/** Moves the demo off 127.0.0.1:7007 (tests, or a machine where 7007 is taken). */
export const DEMO_PORT_VARIABLE = 'ECS_CATALOG_SYNC_DEMO_PORT';
const DEFAULT_PORT = 7007;
const READY_TIMEOUT_MS = 60_000;
const FIRST_SCAN_TIMEOUT_MS = 120_000;
/** How long the hand-written entities may take to be processed after the ECS ones. */
const SETTLE_TIMEOUT_MS = 20_000;

/**
 * The main job on a fresh machine: the local emulator serves the example
 * fleet, a real Backstage backend (catalog + this module) reads it with the
 * example app-config exactly as it would read AWS, the endpoint variable being
 * the only difference. Prints where to look and a summary read back from the
 * catalog REST API, then runs until Ctrl-C.
 */
export async function demoCommand(argv: string[], out: (text: string) => void): Promise<number> {
  parseArgs({ args: argv, options: {}, strict: true, allowPositionals: false });
  const port = demoPort(process.env[DEMO_PORT_VARIABLE]);

  const log = (line: string) => process.stderr.write(`${line}\n`);
  const emulator = await startEmulator({ fleet: loadFleetFile(path.join(EXAMPLES, 'fleet.yaml')) });
  const stop = listenForStop(log);
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
  delete process.env.AWS_WEB_IDENTITY_TOKEN_FILE;
  delete process.env.AWS_ROLE_ARN;
  // Backstage logs every request and task at info; the demo's own output is the summary.
  process.env.LOG_LEVEL ||= 'warn';

  let backend: Awaited<ReturnType<typeof startExampleBackend>> | undefined;
  let failure: unknown;
  try {
    out(`AWS emulator serving examples/fleet.yaml at ${emulator.url}`);
    // Before the backend starts, so no operation can meet a team without its role.
    const roles = await demoOperateRoles(await loadAppConfig(path.join(EXAMPLES, 'app-config.yaml')), path.join(EXAMPLES, 'catalog-info.yaml'));
    for (const { accountId, role } of roles) emulator.putRole(accountId, role);
    out(`Operate roles put into the emulator for ${new Set(roles.map(r => r.team)).size} teams in ${new Set(roles.map(r => r.accountId)).size} accounts, as iam-policy --profile operate --role-trust prints them`);
    out(`Starting the example Backstage backend with examples/app-config.yaml on 127.0.0.1:${port} (backend log level ${process.env.LOG_LEVEL}; LOG_LEVEL=info npm start shows more)...`);
    backend = await startExampleBackend({
      configFile: path.join(EXAMPLES, 'app-config.yaml'),
      configOverrides: port === DEFAULT_PORT ? undefined : { backend: { baseUrl: `http://127.0.0.1:${port}`, listen: { host: '127.0.0.1', port } } },
    });
    const api = new CatalogApi(backend.listenUrl);
    await waitForReadiness(api, { timeoutMs: READY_TIMEOUT_MS, signal: stop.signal });
    out('Backend ready; waiting for the first ECS scan to land in the catalog...');
    await waitForEcsEntities(api, { timeoutMs: FIRST_SCAN_TIMEOUT_MS, signal: stop.signal });
    const fileLocations = readFileLocations(backend.config);
    const { entities, notLoaded } = await readSettledCatalog(api, fileLocations, { timeoutMs: SETTLE_TIMEOUT_MS, signal: stop.signal });
    const links = catalogLinks(backend.baseUrl);
    out(
      [
        '',
        webAppLine(backend.config),
        `Backstage catalog at ${backend.baseUrl}:`,
        `  ${links.entities}`,
        `  ${links.byQuery}`,
        '',
        renderCatalogSummary(entities, { fileLocations, notLoaded }),
      ].join('\n'),
    );
    // The first scan ran before catalog-info.yaml was processed, so it saw no claims;
    // scanning again now reconciles the fleet with them.
    for (const providerId of backend.config.getOptionalConfig('catalog.providers.awsEcs')?.keys() ?? []) {
      out(`\nReconciling provider ${providerId} with the claims of the hand-written entities...`);
      const report = await waitForDriftReport(api, providerId, { timeoutMs: FIRST_SCAN_TIMEOUT_MS, signal: stop.signal });
      out(`\n${renderDriftSummary(report, driftLinks(backend.baseUrl, providerId))}`);
    }
    out('\nThe backend keeps scanning on its schedule. Press Ctrl-C to stop.');
    const signal = await stop.received;
    out(`${signal}: stopping the backend and the emulator...`);
  } catch (error) {
    if (stop.signal.aborted) {
      out(`${await stop.received}: stopping the backend and the emulator...`);
    } else if (error instanceof PortInUseError) {
      failure = new Error(
        port === DEFAULT_PORT
          ? `${error.message}; ${DEMO_PORT_VARIABLE}=<port> npm start moves the demo`
          : `127.0.0.1:${port} (${DEMO_PORT_VARIABLE}) is already in use: stop what listens there, or choose another port`,
      );
    } else {
      failure = error;
    }
  }
  const steps: Array<[string, () => Promise<void>]> = [];
  if (backend) steps.push(['backend', backend.stop]);
  steps.push(['emulator', () => emulator.close()]);
  const code = await stopInOrder(steps, log);
  stop.dispose();
  exitSoon();
  if (failure !== undefined) throw failure;
  out(code === 0 ? 'Stopped.' : 'Stopped, with errors.');
  return code;
}

function demoPort(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`${DEMO_PORT_VARIABLE} must be a TCP port number (1-65535), not '${value}'`);
  }
  return port;
}
