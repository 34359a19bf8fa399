import * as z from 'zod/mini';
import { categories, roles, states, terminalStates } from '../domain/types.ts';
import { actionDef, editableStates } from '../domain/workflow.ts';
import { actionNames, actionPayloads } from '../schemas/actions.ts';

/**
 * The static part of GET /workflow: states, actions and roles, as data (generated at build time).
 * The function adds the current configuration (materials, limits, periods) at run time.
 */
let cached: unknown;

export function workflowDocument(): unknown {
  cached ??= {
    states,
    terminalStates,
    editableStates,
    roles,
    categories,
    actions: actionNames.map((name) => {
      const def = actionDef(name);
      return {
        name,
        zh: def.zh,
        en: def.en,
        from: def.from,
        to: def.to,
        roles: def.roles,
        who: def.who,
        ...(def.clock ? { clock: def.clock } : {}),
        payloadSchema: z.toJSONSchema(actionPayloads[name], { io: 'input' }),
      };
    }),
  };
  return cached;
}
