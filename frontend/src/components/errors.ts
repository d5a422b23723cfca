import { ResponseError } from '@backstage/errors';

/** The drift plugin answers 404 until the provider's first scan completes. */
export function isNoScanYet(error: Error): boolean {
  return ResponseError.is(error) && error.statusCode === 404 && /no scan has completed yet/.test(error.cause.message);
}
