import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readConfigFileAlone } from '../../dev/demo/configFile';
import { ROOT } from '../support/builtCli';

describe('readConfigFileAlone', () => {
  let dir: string;
  let cwd: string;
  const saved = { ...process.env };

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ecs-config-alone-'));
    cwd = process.cwd();
  });
  afterEach(() => {
    process.chdir(cwd);
    process.env = { ...saved };
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads only the given file: no app-config.yaml from the working directory, no APP_CONFIG_ variables', async () => {
    writeFileSync(path.join(dir, 'app-config.yaml'), 'backend:\n  listen:\n    port: 1\nextra: from-cwd\n');
    const file = path.join(dir, 'given.yaml');
    writeFileSync(file, 'backend:\n  listen:\n    port: 7123\n');
    process.chdir(dir);
    process.env.APP_CONFIG_backend_listen_port = '2';
    process.env.APP_CONFIG_extra = 'from-env';

    const config = await readConfigFileAlone(file);
    expect(config.getNumber('backend.listen.port')).toBe(7123);
    expect(config.getOptional('extra')).toBeUndefined();
  });

  it('substitutes ${VAR} from the environment as a Backstage backend does', async () => {
    const file = path.join(dir, 'app-config.yaml');
    writeFileSync(file, 'aws:\n  accountDefaults:\n    roleName: ${ROLE_FOR_TEST}\n');
    process.env.ROLE_FOR_TEST = 'backstage-ecs-read';
    const config = await readConfigFileAlone(file);
    expect(config.getString('aws.accountDefaults.roleName')).toBe('backstage-ecs-read');
  });

  it("resolves relative file locations against the config file's folder, whatever the working directory", async () => {
    const file = path.join(dir, 'app-config.yaml');
    writeFileSync(
      file,
      [
        'catalog:',
        '  locations:',
        '    - { type: file, target: ./catalog-info.yaml }',
        '    - { type: file, target: ../shared/teams.yaml }',
        '    - { type: file, target: /abs/org.yaml }',
        '    - { type: url, target: https://example.com/catalog-info.yaml }',
        '',
      ].join('\n'),
    );
    process.chdir(os.tmpdir());
    const config = await readConfigFileAlone(file);
    expect(config.getConfigArray('catalog.locations').map(l => l.getString('target'))).toEqual([
      path.join(dir, 'catalog-info.yaml'),
      path.join(path.dirname(dir), 'shared', 'teams.yaml'),
      '/abs/org.yaml',
      'https://example.com/catalog-info.yaml',
    ]);
  });

  it('applies programmatic overrides on top of the file', async () => {
    const config = await readConfigFileAlone(path.join(ROOT, 'examples', 'app-config.yaml'), { backend: { listen: { port: 7999 } } });
    expect(config.getNumber('backend.listen.port')).toBe(7999);
    expect(config.getString('backend.listen.host')).toBe('127.0.0.1');
  });

  it('names a missing file', async () => {
    await expect(readConfigFileAlone(path.join(dir, 'nope.yaml'))).rejects.toThrow(`config file ${path.join(dir, 'nope.yaml')} does not exist`);
  });

  it('names a file it cannot parse, by line and column, without quoting its text', async () => {
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(file, 'aws:\n  mainAccount:\n    secretAccessKey: do-not-print-me\ncatalog: [\n  bad');
    const error = await readConfigFileAlone(file).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(new RegExp(`^cannot read config file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .* at line 5, column 6$`));
    expect(error?.message).not.toContain('do-not-print-me');
  });

  it('reads the example config: the local demo auth setting, the database, the catalog rules and the provider', async () => {
    const config = await readConfigFileAlone(path.join(ROOT, 'examples', 'app-config.yaml'));
    expect(config.getBoolean('backend.auth.dangerouslyDisableDefaultAuthPolicy')).toBe(true);
    expect(config.getString('backend.database.client')).toBe('better-sqlite3');
    expect(config.getString('backend.database.connection')).toBe(':memory:');
    expect(config.getConfigArray('catalog.rules')[0].getStringArray('allow')).toEqual(
      expect.arrayContaining(['Component', 'System', 'Group', 'User', 'Resource', 'Location']),
    );
    expect(config.getConfigArray('catalog.locations')[0].getString('target')).toBe(path.join(ROOT, 'examples', 'catalog-info.yaml'));
    expect(config.getStringArray('catalog.providers.awsEcs.demo.accounts')).toEqual(['012345678901', '111111111111', '222222222222']);
  });
});
