import { defineConfig } from 'vitest/config';

// Unit tests (pure domain, mocked SDK) and integration tests (real handlers against DynamoDB
// Local) are separate projects, so either can be run alone: `npx vitest run --project unit`.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      { test: { name: 'infra', include: ['tests/infra/**/*.test.ts'], testTimeout: 120_000 } },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
