// @ts-nocheck
import { defineConfig } from 'vitest/config';

// Node 20 is supported here; the SDK's notice about its future Node 22 requirement is noise in test
// output (this line covers the global setup, `env` below the test workers).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Unit tests (pure domain, mocked SDK) and integration tests (real handlers against DynamoDB
// Local) are separate projects, so either can be run alone: `npx vitest run --project unit`.
export default defineConfig({
  test: {
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      { test: { name: 'infra', include: ['tests/infra/**/*.test.ts'], testTimeout: 120_000 } },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // One DynamoDB Local for the whole run; files keep apart by table prefix.
          globalSetup: ['tests/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The web console in a headless Chromium against `npm start` (tests/e2e/console.test.ts);
        // which Chromium, and its Chinese font, is tests/support/browser.ts's choice.
        test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000 },
      },
    ],
  },
});
