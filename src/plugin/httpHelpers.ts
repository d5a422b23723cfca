import { InputError } from '@backstage/errors';
import type { NextFunction, Request, Response } from 'express';

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
