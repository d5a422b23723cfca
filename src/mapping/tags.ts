import { compareStrings } from '../scan/inventory';

/**
 * The value of the first configured key that the service carries, compared
 * without regard to case (ECS keeps whatever casing people typed: owner,
 * Owner, OWNER). When several spellings of one key are present, the exact
 * spelling wins, then the lowest in code-point order, so the choice never
 * depends on the order AWS returned the tags in.
 */
export function findTag(tags: Record<string, string>, keys: readonly string[]): { key: string; value: string } | undefined {
  const present = Object.keys(tags).sort(compareStrings);
  for (const wanted of keys) {
    const lower = wanted.toLowerCase();
    const candidates = present.filter(k => k.toLowerCase() === lower && tags[k].trim() !== '');
    if (candidates.length === 0) continue;
    const key = candidates.includes(wanted) ? wanted : candidates[0];
    return { key, value: tags[key].trim() };
  }
  return undefined;
}
