import path from 'node:path';
import { ROOT } from '../support/builtCli';

// An installed package has no devDependencies: the example backend must say so plainly.
jest.doMock('@backstage/backend-defaults', () => {
  throw Object.assign(new Error("Cannot find module '@backstage/backend-defaults' from 'src/demo/backend.ts'"), { code: 'MODULE_NOT_FOUND' });
});

describe('startExampleBackend without the Backstage devDependencies', () => {
  it('explains that the example backend runs from a checkout of the repository', async () => {
    const { startExampleBackend } = await import('../../src/demo/backend');
    await expect(startExampleBackend({ configFile: path.join(ROOT, 'examples', 'app-config.yaml') })).rejects.toThrow(
      /the example backend needs @backstage\/backend-defaults and @backstage\/plugin-catalog-backend, which are development dependencies of this package: run it from a checkout of the repository/,
    );
  });
});
