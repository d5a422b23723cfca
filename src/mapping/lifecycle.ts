/**
 * A lifecycle is one lower-case word such as `production`: what a tag, a rule
 * or a default may set. Anything else (spaces, markup, URLs) is no lifecycle.
 */
export function isLifecycle(value: string): boolean {
  return /^[a-z0-9](?:[a-z0-9._-]{0,61}[a-z0-9])?$/.test(value);
}
