/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    // Decorator tests run twice: files under spec/decorators/tc39 compile with standard (TC39)
    // decorators, everything else with legacy experimentalDecorators. The first match wins.
    '/spec/decorators/tc39/.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.tc39.json', diagnostics: false }],
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  },
  testTimeout: 20000,
  maxWorkers: 2,
};
