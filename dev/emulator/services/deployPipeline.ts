/**
 * A foreign client of ECS inside the emulator: a deploy pipeline polling
 * `DescribeServices` at a set rate in every account and region of the fleet
 * (as `aws ecs wait services-stable`, CodeDeploy or Terraform do while they
 * deploy). Its calls take tokens from the same service-reads buckets as the
 * calls that reach the server, so a scanner that spends too much of a bucket
 * throttles the pipeline, and the pipeline's calls throttle a scanner that
 * counted on the whole bucket. It sends no HTTP: only the buckets matter.
 */
import type { FaultInjector } from './faults';
import type { FleetState } from './state';
import type { StatsCollector } from './stats';

export interface DeployPipelineOptions {
  /** Calls per second in each account and region. */
  callsPerSecond: number;
}

/** How often the pipeline catches up with its schedule; calls due in between go together. */
const TICK_MS = 20;

export class DeployPipeline {
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private sent = 0;
  private rate = 0;

  constructor(
    private readonly state: () => FleetState,
    private readonly faults: FaultInjector,
    private readonly stats: StatsCollector,
    private readonly clock: () => number,
  ) {}

  get options(): DeployPipelineOptions | false {
    return this.rate > 0 ? { callsPerSecond: this.rate } : false;
  }

  /** Starts the pipeline at `callsPerSecond` per account and region (from now), or stops it (false). */
  set(options: DeployPipelineOptions | false): void {
    if (options !== false && !(Number.isFinite(options.callsPerSecond) && options.callsPerSecond > 0)) {
      throw new Error('deployPipeline.callsPerSecond must be a number greater than 0 (or false to stop it)');
    }
    this.stop();
    if (options === false) return;
    this.rate = options.callsPerSecond;
    this.startedAt = this.clock();
    this.sent = 0;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.rate = 0;
  }

  /** Sends every call due by now in every account and region. */
  tick(): void {
    if (this.rate <= 0) return;
    const due = Math.floor(((this.clock() - this.startedAt) / 1000) * this.rate) - this.sent;
    if (due <= 0) return;
    this.sent += due;
    const state = this.state();
    for (const account of state.accountList) {
      for (const region of account.regions.keys()) {
        for (let i = 0; i < due; i++) {
          this.stats.foreignCall(`${account.id}/${region}`, this.faults.takeEcsToken(account.id, region, 'DescribeServices'));
        }
      }
    }
  }
}
