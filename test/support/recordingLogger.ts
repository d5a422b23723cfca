import type { LoggerService } from '@backstage/backend-plugin-api';

/** A logger that keeps every line, with its metadata and that of its parents, as text. */
export class RecordingLogger implements LoggerService {
  constructor(
    readonly lines: string[] = [],
    private readonly meta: Record<string, unknown> = {},
  ) {}

  error(message: string, meta?: Error | object): void {
    this.record('error', message, meta);
  }
  warn(message: string, meta?: Error | object): void {
    this.record('warn', message, meta);
  }
  info(message: string, meta?: Error | object): void {
    this.record('info', message, meta);
  }
  debug(message: string, meta?: Error | object): void {
    this.record('debug', message, meta);
  }
  child(meta: Record<string, unknown>): LoggerService {
    return new RecordingLogger(this.lines, { ...this.meta, ...meta });
  }

  private record(level: string, message: string, meta?: Error | object): void {
    const extra = meta instanceof Error ? { error: meta.message, stack: meta.stack } : meta;
    this.lines.push(`${level} ${message} ${JSON.stringify({ ...this.meta, ...extra })}`);
  }
}
