/** The query parameter that picks a demo user: `/?as=alice`. `?as=` alone goes back to the guest. */
export const DEMO_USER_PARAM = 'as';
/** Where the choice is kept, so that it outlives redirects and reloads of the tab. */
export const DEMO_USER_STORAGE_KEY = 'ecs-catalog-sync.demo-user';

/** Only names a User entity could have; anything else cannot reach a request header. */
const ENTITY_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

/** The part of the Web Storage API the choice needs. */
export interface ChoiceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * The demo user this tab signs in as, or undefined for the guest: the `as`
 * query parameter when the URL has one (remembered in `storage`), else the
 * name remembered earlier in the tab.
 */
export function chooseDemoUser(search: string, storage: ChoiceStorage): string | undefined {
  const asked = new URLSearchParams(search).get(DEMO_USER_PARAM);
  if (asked !== null) {
    const name = asked.trim();
    if (ENTITY_NAME.test(name)) storage.setItem(DEMO_USER_STORAGE_KEY, name);
    else storage.removeItem(DEMO_USER_STORAGE_KEY);
  }
  const remembered = storage.getItem(DEMO_USER_STORAGE_KEY);
  return remembered !== null && ENTITY_NAME.test(remembered) ? remembered : undefined;
}
