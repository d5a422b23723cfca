#!/usr/bin/env node
import { type Command, runAsProcess, runCommand } from '../src/cli/runCommand';
import { backendCommand } from './demo/backendCommand';
import { demoCommand } from './demo/demoCommand';
import { EMULATOR_USAGE, runEmulatorCli } from './emulator/main';
import { BUILD_APP_USAGE, buildAppCommand } from './webapp/buildAppCommand';

const USAGE = `usage (the repository's tooling; none of it is published):
  npm start
      The demo: the emulator with examples/fleet.yaml and the example backend on 127.0.0.1:7007
      (ECS_CATALOG_SYNC_DEMO_PORT moves it) serving the example web app; prints what the catalog
      holds, runs until Ctrl-C.
  npm run backend -- --config <app-config.yaml>
      The example Backstage backend (catalog + this module + the example web app) with that config
      file alone, until Ctrl-C.
  ${BUILD_APP_USAGE}
      Builds the example web app (dev/app) unless its bundle is up to date; npm start and
      npm run backend do it first.
  npm run ${EMULATOR_USAGE.replace('emulator ', 'emulator -- ')}
      The local AWS emulator (ECS, Tagging API, Organizations, STS) on 127.0.0.1.
`;

const COMMANDS: Record<string, Command> = {
  demo: demoCommand,
  backend: backendCommand,
  'build-app': buildAppCommand,
  emulator: async (argv, out) => {
    if (argv.includes('--help') || argv.includes('-h')) {
      out(`usage: ${EMULATOR_USAGE}`);
      return 0;
    }
    await runEmulatorCli(argv);
    return 0;
  },
};

export function main(argv: string[], out: (text: string) => void = text => process.stdout.write(`${text}\n`)): Promise<number> {
  return runCommand(argv, COMMANDS, USAGE, out);
}

if (require.main === module) runAsProcess(main);
