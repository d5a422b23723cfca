const MAX_LABEL = 63;

/**
 * A value fitted to the catalog's label rules (at most 63 characters of
 * `[a-zA-Z0-9._-]`, alphanumeric at both ends), or undefined when nothing of
 * it is left, so a label is omitted rather than invalid.
 */
export function toLabelValue(value: string): string | undefined {
  const cleaned = value
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .slice(0, MAX_LABEL)
    .replace(/^[-_.]+|[-_.]+$/g, '');
  return cleaned || undefined;
}
