import type { Config } from 'jest';

// One jest run covers unit tests, oracle interop tests and integration tests against real services.
// Services (Kafka broker, emulators) are started by test/setup/global-setup.ts on 127.0.0.1.
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 120_000,
  verbose: false,
};
export default config;
