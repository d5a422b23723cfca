import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../src/cli/usageError';
import { startExampleBackend } from './backend';
import { catalogLinks } from './catalogApi';
import { exitSoon, listenForStop, stopInOrder } from './shutdown';
import { webAppLine } from '../webapp/webAppLine';

export const BACKEND_USAGE = 'npm run backend -- --config <app-config.yaml>';

/**
 * `backend`: the example Backstage backend (catalog + this module) with one
 * app-config file, against whatever AWS the standard variables name. Runs until
 * SIGINT or SIGTERM.
 */
export async function backendCommand(argv: string[], out: (text: string) => void): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string' } }, strict: true, allowPositionals: false });
  if (!values.config) throw new UsageError(`--config is required\nusage: ${BACKEND_USAGE}`);
  // `npm run backend -- --config x.yaml` runs in the package folder; a relative path means the folder npm was called from.
  const base = process.env.npm_lifecycle_event === 'backend' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
  const configFile = path.resolve(base, values.config);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const stop = listenForStop(log);
  try {
    const backend = await startExampleBackend({ configFile });
    const links = catalogLinks(backend.baseUrl);
    if (!stop.signal.aborted) {
      out(
        [
          `Example backend listening on ${backend.listenUrl} (configuration: ${backend.configFile}, and nothing else)`,
          `  ${webAppLine(backend.config)}`,
          `  ECS service entities: ${links.entities}`,
          `                        ${links.byQuery}`,
          'Press Ctrl-C to stop.',
        ].join('\n'),
      );
    }
    const signal = await stop.received;
    out(`${signal}: stopping the backend...`);
    const code = await stopInOrder([['backend', () => backend.stop()]], log);
    out(code === 0 ? 'Stopped.' : 'Stopped, with errors.');
    return code;
  } finally {
    stop.dispose();
    exitSoon();
  }
}
