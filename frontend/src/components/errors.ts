import { ResponseError } from '@backstage/errors';

/** The drift plugin answers 404 until the provider's first scan completes. */
export function isNoScanYet(error: Error): boolean {
  return ResponseError.is(error) && error.statusCode === 404 && /no scan has completed yet/.test(error.cause.message);
}

/** What to tell the user about a failed call: the backend's own sentence when it sent Backstage's error JSON. */
export function errorMessage(error: unknown): string {
  if (ResponseError.is(error)) return error.cause.message || error.message;
  return error instanceof Error ? error.message : String(error);
}
