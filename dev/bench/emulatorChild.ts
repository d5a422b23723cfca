/**
 * The parent's side of the emulator process: forks it, waits for `ready`,
 * sends requests and matches replies, and makes sure the child never outlives
 * the benchmark (stop, then SIGKILL; and a synchronous kill on process exit).
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { EmulatorStats } from '../emulator/emulator';
import type { ChildMessage, FleetOptions, ParentMessage, ReadyMessage } from './ipc';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Request = DistributiveOmit<Exclude<ParentMessage, { type: 'stop' }>, 'id'>;

export class EmulatorChild {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (m: ChildMessage & { type: 'reply' }) => void; reject: (e: Error) => void }>();
  private exited = false;
  private readonly exitPromise: Promise<void>;
  private readonly killOnExit = () => this.kill();

  private constructor(
    private readonly child: ChildProcess,
    readonly ready: ReadyMessage,
  ) {
    this.exitPromise = new Promise(resolve => child.once('exit', () => resolve()));
    child.on('message', (m: ChildMessage) => {
      if (m.type !== 'reply') return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(new Error(`emulator process: ${m.error}`));
      else p.resolve(m);
    });
    // A failed send to a child that just died: the exit handler below reports it.
    child.on('error', () => {});
    child.once('exit', (code, signal) => {
      this.exited = true;
      process.off('exit', this.killOnExit);
      for (const p of this.pending.values()) p.reject(new Error(`emulator process exited (code ${code}, signal ${signal})`));
      this.pending.clear();
    });
    process.on('exit', this.killOnExit);
  }

  static start(options: FleetOptions, timeoutMs: number): Promise<EmulatorChild> {
    const child = fork(path.join(__dirname, 'emulatorProcess.js'), [JSON.stringify(options)], {
      // Not the benchmark's --expose-gc or inspector flags.
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    // Killed synchronously if the benchmark exits before the child is ready.
    const earlyKill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    process.on('exit', earlyKill);
    return new Promise<EmulatorChild>((resolve, reject) => {
      const fail = (error: Error) => {
        clearTimeout(timer);
        earlyKill();
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error(`emulator process not ready after ${timeoutMs} ms`)), timeoutMs);
      child.once('error', fail);
      child.once('exit', (code, signal) => fail(new Error(`emulator process exited before ready (code ${code}, signal ${signal})`)));
      child.on('message', function onMessage(m: ChildMessage) {
        if (m.type === 'fatal') fail(new Error(`emulator process failed:\n${m.message}`));
        if (m.type !== 'ready') return;
        clearTimeout(timer);
        child.off('message', onMessage);
        child.removeAllListeners('exit');
        child.removeAllListeners('error');
        process.off('exit', earlyKill);
        resolve(new EmulatorChild(child, m));
      });
    });
  }

  /** The counters, and the emulator process's CPU time so far. */
  async stats(): Promise<{ stats: EmulatorStats; cpu: NodeJS.CpuUsage }> {
    const reply = await this.request({ type: 'stats' });
    if (!reply.stats) throw new Error('emulator process sent no stats');
    return { stats: reply.stats, cpu: reply.cpu };
  }

  /** Zeroes the counters; returns the emulator process's CPU time so far. */
  async resetStats(): Promise<NodeJS.CpuUsage> {
    return (await this.request({ type: 'resetStats' })).cpu;
  }

  /** true: the emulator's default ECS-like limits (buckets start full); false: none. */
  async setRateLimit(enabled: boolean): Promise<void> {
    await this.request({ type: 'rateLimit', enabled });
  }

  /** Starts a deploy pipeline polling DescribeServices `callsPerSecond` times a second per account and region; 0 stops it. */
  async setDeployPipeline(callsPerSecond: number): Promise<void> {
    await this.request({ type: 'deployPipeline', callsPerSecond });
  }

  /** emulator.setServiceTags in the child: the fleet's tags minus `dropKeys`, plus `set`. Returns how many services changed. */
  async setServiceTags(services: Array<{ arn: string; clusterArn: string }>, set: Record<string, string>, dropKeys: string[]): Promise<number> {
    return (await this.request({ type: 'setServiceTags', services, set, dropKeys })).changed ?? 0;
  }

  /** Asks the child to close the emulator and exit; kills it if it has not within `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.exited) return;
    this.post({ type: 'stop' });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>(resolve => {
      timer = setTimeout(() => resolve(true), graceMs);
    });
    const late = await Promise.race([this.exitPromise.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) {
      this.kill();
      await this.exitPromise;
    }
  }

  /** Synchronous, for exit and signal handlers. */
  kill(): void {
    if (!this.exited && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private request(body: Request): Promise<ChildMessage & { type: 'reply' }> {
    if (this.exited) return Promise.reject(new Error('emulator process is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ ...body, id } as ParentMessage);
    });
  }

  private post(message: ParentMessage): void {
    if (this.child.connected) this.child.send(message);
  }
}
