import { defineConfig } from 'vitest/config';
export default defineConfig({
  root: '/work/main',
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/local-*.test.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          globalSetup: ['tests/integration/global-setup.ts'],
        },
      },
    ],
  },
});
