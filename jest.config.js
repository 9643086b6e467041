/**
 * Two projects so the decorator tests really compile both ways: files under
 * spec/decorators/tc39 with standard (TC39) decorators, everything else with legacy
 * experimentalDecorators. Separate projects keep ts-jest's compiled-config caches apart.
 * @type {import('jest').Config}
 */
const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testTimeout: 20000,
};

module.exports = {
  maxWorkers: 2,
  projects: [
    {
      ...common,
      displayName: 'legacy',
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/spec/decorators/tc39/'],
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }] },
    },
    {
      ...common,
      displayName: 'tc39',
      testMatch: ['**/spec/decorators/tc39/**/*.spec.ts'],
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.tc39.json', diagnostics: false }] },
    },
  ],
};
