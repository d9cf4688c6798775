/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['<rootDir>/test/setup.ts'],
  transform: { '^.+\\.[tj]sx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] },
  // middy 6 ships ESM only
  transformIgnorePatterns: ['/node_modules/(?!(@middy)/)'],
  moduleNameMapper: {
    '^@shared/(.*)$': '<rootDir>/shared/$1',
    '^@functions/(.*)$': '<rootDir>/functions/$1',
    '^@workflows/(.*)$': '<rootDir>/workflows/$1',
    '^@infra/(.*)$': '<rootDir>/infra/$1',
    '^@seeds/(.*)$': '<rootDir>/seeds/$1',
  },
  testTimeout: 60000,
};
