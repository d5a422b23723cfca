import { ConfigReader } from '@backstage/config';
import { readProviderConfigs } from '../../src/config/providerConfig';

const provider = (events: unknown) =>
  new ConfigReader({ catalog: { providers: { awsEcs: { prod: { accounts: ['111111111111'], regions: ['eu-west-1'], ...(events === undefined ? {} : { events }) } } } } });

describe('catalog.providers.awsEcs.<id>.events', () => {
  it('is off without the key', () => {
    expect(readProviderConfigs(provider(undefined))[0].events).toBeUndefined();
  });

  it('reads the topic and the debounce, one second by default', () => {
    expect(readProviderConfigs(provider({ topic: 'ecs-events' }))[0].events).toEqual({ topic: 'ecs-events', debounceMs: 1000 });
    expect(readProviderConfigs(provider({ topic: 'ecs-events', debounce: { milliseconds: 250 } }))[0].events).toEqual({ topic: 'ecs-events', debounceMs: 250 });
  });

  it.each([
    [{}, 'catalog.providers.awsEcs.prod.events.topic'],
    [{ topic: '  ' }, 'catalog.providers.awsEcs.prod.events.topic'],
    [{ topic: 'x', debounce: { minutes: 5 } }, 'catalog.providers.awsEcs.prod.events.debounce'],
    [{ topic: 'x', queue: 'y' }, 'catalog.providers.awsEcs.prod.events'],
  ])('names the key at fault in %j', (events, key) => {
    expect(() => readProviderConfigs(provider(events))).toThrow(key);
  });
});
