import { defineConfig } from 'vitest/config';

// Stryker's test run (stryker.config.mjs): only the domain unit tests, which mirror shared/domain,
// so a mutant is judged by the tests that state the rules and not by the slower outer layers.
export default defineConfig({
  test: { include: ['tests/unit/shared/domain/**/*.test.ts'] },
});
