import { chooseDemoUser, DEMO_USER_STORAGE_KEY, type ChoiceStorage } from '../../dev/app/src/demoUserChoice';

/** An in-memory stand-in for the tab's sessionStorage. */
function memoryStorage(initial: Record<string, string> = {}): ChoiceStorage & { entries(): Record<string, string> } {
  const values = new Map(Object.entries(initial));
  return {
    getItem: key => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: key => void values.delete(key),
    entries: () => Object.fromEntries(values),
  };
}

describe('chooseDemoUser', () => {
  it('is the guest (undefined) when the URL names nobody and nothing is remembered', () => {
    const storage = memoryStorage();
    expect(chooseDemoUser('', storage)).toBeUndefined();
    expect(chooseDemoUser('?filters%5Bkind%5D=component', storage)).toBeUndefined();
    expect(storage.entries()).toEqual({});
  });

  it('takes ?as=<name> and remembers it for the later pages of the tab', () => {
    const storage = memoryStorage();
    expect(chooseDemoUser('?as=alice', storage)).toBe('alice');
    expect(storage.entries()).toEqual({ [DEMO_USER_STORAGE_KEY]: 'alice' });
    // After the app redirected to /catalog, the query string is gone.
    expect(chooseDemoUser('', storage)).toBe('alice');
  });

  it('lets a later ?as= switch to another user', () => {
    const storage = memoryStorage({ [DEMO_USER_STORAGE_KEY]: 'alice' });
    expect(chooseDemoUser('?x=1&as=bob', storage)).toBe('bob');
    expect(chooseDemoUser('', storage)).toBe('bob');
  });

  it('goes back to the guest on an empty ?as=', () => {
    const storage = memoryStorage({ [DEMO_USER_STORAGE_KEY]: 'alice' });
    expect(chooseDemoUser('?as=', storage)).toBeUndefined();
    expect(storage.entries()).toEqual({});
  });

  it('never returns a value that is not an entity name, from the URL or from the storage', () => {
    for (const search of ['?as=alice%0d%0aX-Evil:%201', '?as=%3Cscript%3E', '?as=a/b', `?as=${'a'.repeat(64)}`]) {
      const storage = memoryStorage({ [DEMO_USER_STORAGE_KEY]: 'bob' });
      expect([search, chooseDemoUser(search, storage)]).toEqual([search, undefined]);
      expect(storage.entries()).toEqual({});
    }
    expect(chooseDemoUser('', memoryStorage({ [DEMO_USER_STORAGE_KEY]: 'bob\r\nx' }))).toBeUndefined();
  });
});
