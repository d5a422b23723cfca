/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: false }],
  },
  testTimeout: 60000,
  setupFiles: ['<rootDir>/test/setupEnv.ts'],
  globalSetup: '<rootDir>/test/globalSetup.ts',
};
