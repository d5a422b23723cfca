/**
 * Samples this process's memory on a timer while a scan runs. The baseline is
 * taken right after a full GC (needs `node --expose-gc`), so the peak delta is
 * what the scan itself allocated on top of an idle process.
 */
export interface MemoryPoint {
  rss: number;
  heapUsed: number;
}

export interface MemoryReport {
  gcAvailable: boolean;
  baseline: MemoryPoint;
  peak: MemoryPoint;
  samples: number;
}

export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  // Twice: the first pass can leave objects that only die once their finalizers have run.
  gc();
  gc();
  return true;
}

function now(): MemoryPoint {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed };
}

export class MemorySampler {
  private baseline: MemoryPoint = { rss: 0, heapUsed: 0 };
  private peak: MemoryPoint = { rss: 0, heapUsed: 0 };
  private samples = 0;
  private timer: NodeJS.Timeout | undefined;
  private gcAvailable = false;

  constructor(private readonly intervalMs = 50) {}

  start(): void {
    this.gcAvailable = collectGarbage();
    this.baseline = now();
    this.peak = { ...this.baseline };
    this.samples = 1;
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  /** Takes a last sample (the result is usually still referenced here) and stops. */
  stop(): MemoryReport {
    this.sample();
    clearInterval(this.timer);
    this.timer = undefined;
    return { gcAvailable: this.gcAvailable, baseline: this.baseline, peak: this.peak, samples: this.samples };
  }

  private sample(): void {
    const m = now();
    this.samples++;
    if (m.rss > this.peak.rss) this.peak.rss = m.rss;
    if (m.heapUsed > this.peak.heapUsed) this.peak.heapUsed = m.heapUsed;
  }
}
