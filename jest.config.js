/**
 * Two projects: the backend package's tests under test/ (Node, ts-jest), and
 * the frontend plugin's under frontend/src (jsdom, swc). Backstage's frontend
 * packages ship ES modules only, so the frontend project compiles those too.
 */
const backend = {
  displayName: 'backend',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: false }],
  },
  setupFiles: ['<rootDir>/test/setupEnv.ts'],
  globalSetup: '<rootDir>/test/globalSetup.ts',
};

const frontend = {
  displayName: 'frontend',
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/frontend/src'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: {
    '^.+\\.(t|j)sx?$|^.+\\.[mc]js$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  // Many dependencies ship ES modules only (Backstage's *.esm.js, react-markdown and its unified family):
  // compile node_modules too, except the large packages known to ship CommonJS.
  transformIgnorePatterns: ['/node_modules/(@material-ui|@mui|react|react-dom|react-is|scheduler|lodash|core-js|i18next|zod|prop-types|@emotion|jss[^/]*)/'],
  setupFiles: ['<rootDir>/frontend/jest/quietCss.js'],
  moduleNameMapper: {
    '\\.css$': '<rootDir>/frontend/jest/styleStub.js',
    '\\.(svg|png|jpe?g|gif|webp|woff2?|ttf|eot)$': '<rootDir>/frontend/jest/fileStub.js',
  },
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  // Most test files wait on servers, timers and child processes rather than compute:
  // two workers keep two cores busy (one, the default there, leaves one idle).
  maxWorkers: 2,
  projects: [backend, frontend],
};
