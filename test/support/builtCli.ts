import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
/** The published `ecs-catalog-sync` command. */
export const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
/** The repository's tooling (`npm start`, `npm run backend`, `npm run emulator`). */
export const DEV_CLI = path.join(ROOT, 'dev', 'dist', 'dev', 'main.js');

/**
 * Compiles the package as `npm run build` does, and the tooling as `npm run
 * build:dev` does, so the tests run the real `bin` and the real `npm start`
 * (see test/globalSetup.ts).
 */
export function buildPackage(): void {
  for (const project of ['tsconfig.build.json', path.join('dev', 'tsconfig.json')]) {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, project)], { cwd: ROOT, stdio: 'pipe' });
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI as a user would: its own process, an environment holding
 * only the standard AWS variables given here, in the repository's root or in
 * `cwd`. Asynchronous, because the emulator it talks to runs in the test's
 * own event loop.
 */
export function runCli(args: string[], env: Record<string, string>, cli: string = CLI, cwd: string = ROOT): Promise<CliResult> {
  return new Promise(resolve => {
    execFile(
      process.execPath,
      [cli, ...args],
      {
        cwd,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          ...env,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
