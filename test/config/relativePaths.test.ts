import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadAppConfig } from '../../src/config/loadAppConfig';
import { readProviderConfigs } from '../../src/config/providerConfig';
import { resolveRelativePaths } from '../../src/config/relativePaths';
import { readConfigFileAlone } from '../../dev/demo/configFile';

describe('relative file paths in a config file', () => {
  it('are made absolute against the file’s directory: file locations and every provider’s rulesFile, nothing else', () => {
    const data = {
      app: { title: 'rules.yaml' },
      catalog: {
        locations: [{ type: 'file', target: 'entities.yaml' }, { type: 'url', target: 'https://example.com/x.yaml' }, { type: 'file', target: '/abs/e.yaml' }],
        providers: {
          awsEcs: { a: { mapping: { rulesFile: '../shared/rules.yaml' } }, b: { mapping: { rulesFile: '/etc/rules.yaml' } }, c: { accounts: ['111111111111'] } },
          other: { x: { rulesFile: 'untouched.yaml' } },
        },
      },
    };
    expect(resolveRelativePaths(data, '/srv/backstage/config')).toEqual({
      app: { title: 'rules.yaml' },
      catalog: {
        locations: [{ type: 'file', target: '/srv/backstage/config/entities.yaml' }, { type: 'url', target: 'https://example.com/x.yaml' }, { type: 'file', target: '/abs/e.yaml' }],
        providers: {
          awsEcs: { a: { mapping: { rulesFile: '/srv/backstage/shared/rules.yaml' } }, b: { mapping: { rulesFile: '/etc/rules.yaml' } }, c: { accounts: ['111111111111'] } },
          other: { x: { rulesFile: 'untouched.yaml' } },
        },
      },
    });
    expect(resolveRelativePaths({ backend: { baseUrl: 'x' } }, '/d')).toEqual({ backend: { baseUrl: 'x' } });
  });

  it('let the commands and the example backend read a rules file beside the config from any working directory', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ecs-rules-'));
    mkdirSync(path.join(dir, 'conf'));
    writeFileSync(path.join(dir, 'conf', 'rules.yaml'), 'rules:\n  - name: shop\n    match: { cluster: "^shop$" }\n    set: { owner: team-shop }\n');
    const file = path.join(dir, 'conf', 'app-config.yaml');
    writeFileSync(file, "catalog:\n  providers:\n    awsEcs:\n      prod:\n        accounts: ['111111111111']\n        regions: [eu-west-1]\n        mapping: { rulesFile: rules.yaml }\n");
    expect(process.cwd()).not.toBe(path.join(dir, 'conf'));
    for (const config of [await loadAppConfig(file), await readConfigFileAlone(file)]) {
      const [provider] = readProviderConfigs(config);
      expect(provider.mapping.rules.map(r => [r.label, r.set.owner])).toEqual([['shop', 'team-shop']]);
    }
  });
});
