import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { staticKeyWarnings } from '../../src/config/awsConfig';
import { configWarnings } from '../../src/config/configWarnings';
import { readProviderConfigs } from '../../src/config/providerConfig';
import { AwsEcsEntityProvider } from '../../src/provider/AwsEcsEntityProvider';

const provider = (rateLimit?: Record<string, number>) =>
  readProviderConfigs(new ConfigReader({ catalog: { providers: { awsEcs: { prod: { accounts: ['111111111111'], regions: ['eu-west-1'], ...(rateLimit ? { rateLimit } : {}) } } } } }))[0];

describe('configWarnings', () => {
  it('has nothing to say of the defaults or of pacing within ECS’s limits', () => {
    expect(configWarnings(provider())).toEqual([]);
    expect(configWarnings(provider({ perSecond: 20, burst: 50 }))).toEqual([]);
  });

  it('names the key and the limit when the pacing is above what ECS allows', () => {
    expect(configWarnings(provider({ perSecond: 25, burst: 80 }))).toEqual([
      'catalog.providers.awsEcs.prod.rateLimit.perSecond is 25, above the 20 calls a second ECS allows per account and region by default: expect throttled calls unless the accounts\' limits were raised',
      'catalog.providers.awsEcs.prod.rateLimit.burst is 80, above ECS\'s default burst of 50 calls per account and region: expect throttled calls unless the accounts\' limits were raised',
    ]);
  });

  it('says that a budget of the whole bucket leaves nothing to deploy pipelines', () => {
    const config = readProviderConfigs(new ConfigReader({ catalog: { providers: { awsEcs: { prod: { accounts: ['111111111111'], regions: ['eu-west-1'], rateBudget: 1 } } } } }))[0];
    expect(configWarnings(config)).toEqual([
      'catalog.providers.awsEcs.prod.rateBudget is 1: the scan may use all of each of ECS\'s buckets, and deploy pipelines polling ECS in the same accounts will be throttled while it runs',
    ]);
  });

  it('says that a timeout longer than the frequency is cut to it', () => {
    const config = readProviderConfigs(
      new ConfigReader({ catalog: { providers: { awsEcs: { prod: { accounts: ['111111111111'], regions: ['eu-west-1'], schedule: { frequency: { seconds: 20 }, timeout: { seconds: 60 } } } } } } }),
    )[0];
    expect(configWarnings(config)).toEqual([
      'catalog.providers.awsEcs.prod.schedule.timeout is longer than schedule.frequency: a run that hangs would hold its scan group past its next run, so runs stop at the frequency instead',
    ]);
  });
});

describe('the provider', () => {
  it('logs the warnings of its config when it is made', () => {
    const logger = mockServices.logger.mock();
    logger.child.mockReturnValue(logger);
    const root = new ConfigReader({ catalog: { providers: { awsEcs: { prod: { accounts: ['111111111111'], regions: ['eu-west-1'], rateLimit: { perSecond: 30 } } } } } });
    AwsEcsEntityProvider.fromConfig(root, { logger, scheduler: mockServices.scheduler.mock(), database: mockServices.database.mock(), auth: mockServices.auth.mock(), catalog: catalogServiceMock() });
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/^catalog\.providers\.awsEcs\.prod\.rateLimit\.perSecond is 30, above the 20 calls/));
  });
});

describe('staticKeyWarnings', () => {
  it('names every place static keys are configured, and says nothing of roles and the default chain', () => {
    const root = new ConfigReader({
      aws: {
        mainAccount: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' },
        accounts: [{ accountId: '111111111111', roleName: 'reader' }, { accountId: '222222222222', accessKeyId: 'AKIAOTHER', secretAccessKey: 'y' }],
      },
    });
    const warnings = staticKeyWarnings(root);
    expect(warnings.map(w => w.split(' ')[0])).toEqual(['aws.mainAccount.accessKeyId', 'aws.accounts[1].accessKeyId']);
    expect(warnings.join('\n')).not.toMatch(/AKIA|secret/i);
    expect(staticKeyWarnings(new ConfigReader({ aws: { accountDefaults: { roleName: 'reader' } } }))).toEqual([]);
  });
});
