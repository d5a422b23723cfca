#!/usr/bin/env node
import { describeFailure } from '../src/cli/main';
import { UsageError } from '../src/cli/usageError';
import { backendCommand } from './demo/backendCommand';
import { demoCommand } from './demo/demoCommand';
import { EMULATOR_USAGE, runEmulatorCli } from './emulator/main';

const USAGE = `usage (the repository's tooling; none of it is published):
  npm start
      The demo: the emulator with examples/fleet.yaml and the example backend on 127.0.0.1:7007
      (ECS_CATALOG_SYNC_DEMO_PORT moves it); prints what the catalog holds, runs until Ctrl-C.
  npm run backend -- --config <app-config.yaml>
      The example Backstage backend (catalog + this module) with that config file alone, until Ctrl-C.
  npm run ${EMULATOR_USAGE.replace('emulator ', 'emulator -- ')}
      The local AWS emulator (ECS, Tagging API, Organizations, STS) on 127.0.0.1.
`;

export async function main(argv: string[], out: (text: string) => void = text => process.stdout.write(`${text}\n`)): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'demo':
        return await demoCommand(rest, out);
      case 'backend':
        return await backendCommand(rest, out);
      case 'emulator':
        if (rest.includes('--help') || rest.includes('-h')) {
          out(`usage: ${EMULATOR_USAGE}`);
          return 0;
        }
        await runEmulatorCli(rest);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'\n${USAGE}`);
    }
  } catch (error) {
    process.stderr.write(`${describeFailure(error)}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(code => {
    process.exitCode = code;
  });
}
