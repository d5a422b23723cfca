import { ConfigError } from '../config/configError';
import { redact } from '../scan/shardErrors';
import { EXIT_INCOMPLETE, EXIT_OK } from './exitCodes';
import { UsageError } from './usageError';

export type Command = (argv: string[], out: (text: string) => void) => Promise<number>;

const HELP = ['help', '--help', '-h'];

/**
 * Runs the command `argv` names, or prints the usage: the one dispatcher of
 * every command line the repository has. A failure is one line on stderr
 * and exit code 2.
 */
export async function runCommand(argv: string[], commands: Record<string, Command>, usage: string, out: (text: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || HELP.includes(command)) {
      out(usage);
      return command === undefined ? EXIT_INCOMPLETE : EXIT_OK;
    }
    if (!Object.hasOwn(commands, command)) throw new UsageError(`unknown command '${command}'\n${usage}`);
    return await commands[command](rest, out);
  } catch (error) {
    process.stderr.write(`${describeFailure(error)}\n`);
    return EXIT_INCOMPLETE;
  }
}

/** One line for stderr: our own errors as they are, anything else with credentials masked. */
function describeFailure(error: unknown): string {
  if (error instanceof ConfigError || error instanceof UsageError) return `error: ${error.message}`;
  // parseArgs reports unknown options with a code and a readable message.
  if (error instanceof Error && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return `error: ${error.message}`;
  return `error: ${redact(error instanceof Error ? error.message : String(error))}`;
}

/** Runs `main` as the process's entry point, its result the exit code. */
export function runAsProcess(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(code => {
    process.exitCode = code;
  });
}
