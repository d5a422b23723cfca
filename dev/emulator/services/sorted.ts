/**
 * Arrays kept sorted by ARN (plain code-unit order). Listing and paging walk
 * them with a binary search instead of scanning or re-sorting the fleet per
 * request, and "next page = everything after the last ARN returned" stays
 * correct when items are added or removed between pages.
 */
export interface HasArn {
  readonly arn: string;
}

/** Index of the first element whose ARN is strictly greater than `arn`. */
export function upperBound(items: readonly HasArn[], arn: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((items[mid] as HasArn).arn <= arn) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element whose ARN is >= `arn`. */
export function lowerBound(items: readonly HasArn[], arn: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((items[mid] as HasArn).arn < arn) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function insertSorted<T extends HasArn>(items: T[], item: T): void {
  items.splice(lowerBound(items, item.arn), 0, item);
}

export function removeSorted<T extends HasArn>(items: T[], arn: string): boolean {
  const i = lowerBound(items, arn);
  if (i < items.length && (items[i] as T).arn === arn) {
    items.splice(i, 1);
    return true;
  }
  return false;
}

export function byArn(a: HasArn, b: HasArn): number {
  return a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0;
}
