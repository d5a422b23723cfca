import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import type { NextFunction, Request, Response } from 'express';
import type { DriftReport } from '../report/driftReport';
import type { DriftReportRegistry } from './driftReportRegistry';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** A single query value; undefined when absent or empty, null when repeated or nested. */
export function readOptionalString(value: unknown): string | undefined | null {
  if (value === undefined || value === '') return undefined;
  return typeof value === 'string' ? value : null;
}

/** The provider a request names, or the only one there is; an InputError names the registered ones. */
export function chooseProvider(providers: string[], value: unknown): string {
  const known = providers.length > 0 ? providers.join(', ') : 'none';
  const requested = readOptionalString(value);
  if (requested === null) throw new InputError(`provider must be given once; registered providers: ${known}`);
  if (requested === undefined) {
    if (providers.length === 1) return providers[0];
    if (providers.length === 0) throw new InputError('no ECS provider publishes drift reports in this backend; registered providers: none');
    throw new InputError(`several providers publish drift reports: choose one with provider=<id>; registered providers: ${known}`);
  }
  if (!providers.includes(requested)) throw new InputError(`unknown provider; registered providers: ${known}`);
  return requested;
}

export function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status).setHeader('Content-Type', JSON_CONTENT_TYPE);
  res.send(JSON.stringify(body));
}

/** Answers hold findings that change with every scan and must not be sniffed into HTML. */
export function noStoreNoSniff(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  next();
}

/** The provider's latest report; a 404 before its first scan completes, a 500 that keeps the database's words in the log. */
export async function latestReport(registry: Pick<DriftReportRegistry, 'latest'>, logger: LoggerService, provider: string): Promise<DriftReport> {
  let report: DriftReport | undefined;
  try {
    report = await registry.latest(provider);
  } catch (error) {
    // The database's own words stay in the log: they can name hosts and tables.
    logger.error('Could not load the ECS drift report', error instanceof Error ? error : { error: String(error) });
    throw new Error('the drift report could not be loaded; the backend log says why');
  }
  if (!report) throw new NotFoundError(`no scan has completed yet for provider ${provider}`);
  return report;
}
