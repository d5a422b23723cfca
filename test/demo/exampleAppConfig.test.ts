import { ConfigReader } from '@backstage/config';
import { withExampleApp } from '../../dev/demo/exampleAppConfig';
import { EXAMPLE_APP_PACKAGE } from '../../dev/webapp/appBundle';

describe('withExampleApp', () => {
  it("serves the example app from the backend's own origin", () => {
    const config = withExampleApp(new ConfigReader({ backend: { baseUrl: 'http://127.0.0.1:7123' } }), '/x/app-config.yaml');
    expect(config.getString('app.baseUrl')).toBe('http://127.0.0.1:7123');
    expect(config.getString('app.packageName')).toBe(EXAMPLE_APP_PACKAGE);
    expect(config.getString('backend.baseUrl')).toBe('http://127.0.0.1:7123');
  });

  it('leaves what the config file says about the app as it is', () => {
    const file = { backend: { baseUrl: 'http://127.0.0.1:7123' }, app: { baseUrl: 'http://localhost:3000', title: 'Mine' } };
    const config = withExampleApp(new ConfigReader(file), '/x/app-config.yaml');
    expect(config.getString('app.baseUrl')).toBe('http://localhost:3000');
    expect(config.getString('app.title')).toBe('Mine');
    expect(config.getString('app.packageName')).toBe(EXAMPLE_APP_PACKAGE);
  });

  it('names the config file when a value has the wrong type', () => {
    const config = withExampleApp(new ConfigReader({ backend: { baseUrl: 'http://127.0.0.1:7123', listen: { port: 'seven' } } }), '/x/app-config.yaml');
    expect(() => config.getNumber('backend.listen.port')).toThrow(/\/x\/app-config\.yaml/);
  });
});
