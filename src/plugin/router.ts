import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type express from 'express';
import type { Request, Response } from 'express';
import Router from 'express-promise-router';
import type { DriftReport } from '../report/driftReport';
import type { DriftReportRegistry } from './driftReportRegistry';
import { driftHtmlScriptHash, renderDriftHtml } from '../report/renderHtml';
import { renderDriftJson } from '../report/renderJson';
import { renderDriftMarkdown } from '../report/renderMarkdown';
import { chooseProvider, JSON_CONTENT_TYPE, latestReport, noStoreNoSniff, readOptionalString, sendJson } from './httpHelpers';

export interface DriftRouterOptions {
  registry: Pick<DriftReportRegistry, 'providers' | 'latest'>;
  logger: LoggerService;
}

export const DRIFT_FORMATS = ['json', 'markdown', 'html'] as const;
export type DriftFormat = (typeof DRIFT_FORMATS)[number];

const CONTENT_TYPES: Record<DriftFormat, string> = {
  json: JSON_CONTENT_TYPE,
  markdown: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

/** The page runs exactly one inline script (its hash) and inline styles; nothing else loads. */
export function driftHtmlContentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `script-src ${driftHtmlScriptHash()}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The drift report over HTTP, mounted by the plugin under `/api/ecs-catalog-sync`:
 *
 * - `GET /providers`: the provider ids that publish reports, as a JSON array;
 * - `GET /drift?provider=<id>&format=json|markdown|html&owner=<entity ref>`:
 *   the provider's latest report (`provider` may be left out when exactly one
 *   is registered; `owner` filters the Markdown to what that owner must act on);
 * - `GET /drift/page?provider=<id>`: the HTML page, for people.
 *
 * Errors are `@backstage/errors` types, answered as Backstage's error JSON
 * (`{ error: { name, message }, request, response: { statusCode } }`); their
 * messages name the valid values instead of repeating what the caller sent.
 */
export function createDriftRouter({ registry, logger }: DriftRouterOptions): express.Router {
  const router = Router();

  router.use(noStoreNoSniff);

  router.get('/providers', (_req, res) => {
    sendJson(res, 200, registry.providers());
  });

  router.get('/drift', (req, res) => serveDrift(req, res, undefined));
  router.get('/drift/page', (req, res) => serveDrift(req, res, 'html'));

  async function serveDrift(req: Request, res: Response, fixedFormat: DriftFormat | undefined): Promise<void> {
    const format = fixedFormat ?? readFormat(req.query.format);
    if (fixedFormat && req.query.format !== undefined) {
      throw new InputError('/drift/page always serves HTML: leave out format, or use /drift?format=json|markdown|html');
    }
    const owner = readOptionalString(req.query.owner);
    if (owner === null) throw new InputError('owner must be given once, as an entity reference such as group:default/team-a');
    if (owner !== undefined && format !== 'markdown') throw new InputError('owner filters format=markdown only; json and html always hold every owner');
    const provider = chooseProvider(registry.providers(), req.query.provider);
    const report = await latestReport(registry, logger, provider);
    send(res, format, report, owner);
  }

  return router;
}

function send(res: Response, format: DriftFormat, report: DriftReport, owner: string | undefined): void {
  res.status(200).setHeader('Content-Type', CONTENT_TYPES[format]);
  switch (format) {
    case 'json':
      res.send(renderDriftJson(report));
      return;
    case 'markdown':
      res.send(renderDriftMarkdown(report, owner === undefined ? {} : { owner }));
      return;
    case 'html':
      res.setHeader('Content-Security-Policy', driftHtmlContentSecurityPolicy());
      res.send(renderDriftHtml(report));
      return;
  }
}

function readFormat(value: unknown): DriftFormat {
  if (value === undefined || value === '') return 'json';
  if (typeof value === 'string' && (DRIFT_FORMATS as readonly string[]).includes(value)) return value as DriftFormat;
  throw new InputError(`format must be one of ${DRIFT_FORMATS.join(', ')} (default json)`);
}
