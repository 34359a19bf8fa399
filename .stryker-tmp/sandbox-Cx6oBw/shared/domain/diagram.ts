// @ts-nocheck
import { actionNames } from '../schemas/actions.ts';
import { terminalStates } from './types.ts';
import { actionDef, nonTerminalStates } from './workflow.ts';

/**
 * The workflow as a Mermaid state diagram, drawn from the definition. `withdraw` (from every
 * open state) is drawn once from a note, to keep the picture readable.
 */
export function workflowDiagram(): string {
  const lines = ['stateDiagram-v2', '    [*] --> DRAFT: create'];
  for (const name of actionNames) {
    if (name === 'withdraw') continue;
    const def = actionDef(name);
    for (const from of def.from) {
      for (const to of def.to) lines.push(`    ${from} --> ${to}: ${name} (${def.roles.join(', ')})`);
    }
  }
  lines.push(
    `    note right of WITHDRAWN: withdraw (applicant) from any of ${nonTerminalStates.length} open states`,
  );
  for (const state of terminalStates) lines.push(`    ${state} --> [*]`);
  return lines.join('\n');
}
