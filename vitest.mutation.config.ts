import type { RunnerTestCase } from 'vitest';
import { defineConfig } from 'vitest/config';
import type { Reporter, Vitest } from 'vitest/node';

/**
 * A test file that cannot even be imported fails as one test named "loads". Stryker's vitest
 * runner (9.6.1, and 10.x: stryker-js issue 6150) judges a mutant by the tests it collected, and
 * a file whose import throws collects none: a mutant that stops a domain module from loading (the
 * calendar, the workflow table) would count as survived although every test of it fails.
 */
class LoadFailureAsTest implements Reporter {
  #vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.#vitest = vitest;
  }

  onTestRunEnd(): void {
    for (const file of this.#vitest?.state.getFiles() ?? []) {
      if (file.tasks.length > 0 || file.result?.state !== 'fail') continue;
      const loads: Partial<RunnerTestCase> = {
        type: 'test',
        id: `${file.id}_loads`,
        name: 'loads',
        mode: 'run',
        file,
        result: { state: 'fail', errors: file.result.errors ?? [] },
        annotations: [],
        artifacts: [],
      };
      file.tasks.push(loads as RunnerTestCase);
    }
  }
}

// Stryker's test run (stryker.config.mjs): only the domain unit tests, which mirror shared/domain,
// so a mutant is judged by the tests that state the rules and not by the slower outer layers.
export default defineConfig({
  test: {
    include: ['tests/unit/shared/domain/**/*.test.ts'],
    // Stryker reads the results, not the output; vitest's own reporters would print every mutant's failures.
    reporters: [new LoadFailureAsTest()],
  },
});
