// @ts-nocheck
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withDiagram } from '../../../scripts/diagram.ts';
import { workflowDiagram } from '../../../shared/domain/diagram.ts';
import { actionNames } from '../../../shared/schemas/actions.ts';

describe('README workflow diagram', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

  it('is the one generated from the workflow definition (run `npm run diagram` if this fails)', () => {
    expect(withDiagram(readme)).toBe(readme);
  });

  it('draws every action of the definition', () => {
    const diagram = workflowDiagram();
    for (const name of actionNames) expect(diagram).toContain(name);
  });
});
