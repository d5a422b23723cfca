/**
 * Process lifetime for the long-running commands (`backend`, `demo`): the
 * first SIGINT or SIGTERM asks for a clean stop, a second one exits at once,
 * and a stop that hangs is cut short. These helpers call `process.exit`, so
 * they are for the CLI process only, never for code running inside a host.
 */

/** How long a clean stop may take before the process exits anyway. */
export const STOP_TIMEOUT_MS = 10_000;
/**
 * After a clean stop, how long stray handles may keep the process alive. There
 * is always one: Backstage's database manager deliberately leaves SQLite knex
 * pools open at shutdown, and their reaping interval keeps the loop alive.
 */
export const EXIT_GRACE_MS = 1_000;

export interface StopRequest {
  /** Resolves with the first SIGINT or SIGTERM. */
  readonly received: Promise<NodeJS.Signals>;
  /** Aborted on the first signal, to cut waits short. */
  readonly signal: AbortSignal;
  /** Removes the signal handlers. */
  dispose(): void;
}

export function listenForStop(log: (line: string) => void = line => process.stderr.write(`${line}\n`)): StopRequest {
  const controller = new AbortController();
  let resolveReceived!: (signal: NodeJS.Signals) => void;
  const received = new Promise<NodeJS.Signals>(resolve => {
    resolveReceived = resolve;
  });
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      log(`${signal} again: exiting now`);
      process.exit(130);
    }
    controller.abort(new Error(`stopped by ${signal}`));
    forceExitAfter(STOP_TIMEOUT_MS, `did not stop within ${STOP_TIMEOUT_MS / 1000} s of ${signal}; exiting`, log);
    resolveReceived(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    received,
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * Runs the stop steps in order (each one even when an earlier one failed) and
 * returns 0, or 1 when a step failed. Afterwards the process gets
 * `EXIT_GRACE_MS` to exit by itself before it is exited with `process.exitCode`.
 */
export async function stopInOrder(steps: Array<[name: string, stop: () => Promise<void>]>, log: (line: string) => void): Promise<number> {
  const guard = forceExitAfter(STOP_TIMEOUT_MS, `did not stop within ${STOP_TIMEOUT_MS / 1000} s; exiting`, log);
  let code = 0;
  for (const [name, stop] of steps) {
    try {
      await stop();
    } catch (error) {
      log(`stopping the ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      code = 1;
    }
  }
  clearTimeout(guard);
  exitSoon();
  return code;
}

/**
 * Lets the process exit by itself within `EXIT_GRACE_MS`, or exits it then with
 * `process.exitCode`: whatever a library left behind must not keep it alive.
 */
export function exitSoon(): void {
  setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
}

function forceExitAfter(ms: number, message: string, log: (line: string) => void): NodeJS.Timeout {
  const timer = setTimeout(() => {
    log(message);
    process.exit(1);
  }, ms);
  timer.unref();
  return timer;
}
