// @ts-nocheck
import * as z from 'zod/mini';
import { defaultConfig } from '../domain/config.ts';
import { categories, roles, states, terminalStates } from '../domain/types.ts';
import { actionDef, editableStates } from '../domain/workflow.ts';
import { actionNames, actionPayloads } from '../schemas/actions.ts';

/** GET /workflow: states, actions, roles, materials and limits, as data. Built once per cold start. */
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
    ...defaultConfig,
  };
  return cached;
}
