import { renderDocument } from '../../shared/documents/render.ts';
import { getCalendar } from '../../shared/runtime/calendar.ts';
import { getObjectStore, getStore } from '../../shared/runtime/clients.ts';
import { env } from '../../shared/runtime/config.ts';
import { now } from '../../shared/runtime/now.ts';
import { configFor } from '../../shared/runtime/workflow-config.ts';
import type { IssuePorts } from './issue.ts';

/** Where the verification URL points when PUBLIC_BASE_URL is not set (the local server's default port). */
export const DEFAULT_PUBLIC_BASE_URL = 'http://localhost:3000';

/** The documents core's ports on the function's clients: the table, the bucket, the renderer. */
export function runtimeIssuePorts(baseUrl?: string): IssuePorts {
  return {
    store: getStore(),
    objects: getObjectStore(),
    render: renderDocument,
    configFor: async (app) => (await configFor(app)).config,
    calendar: () => getCalendar(),
    now,
    baseUrl: baseUrl ?? env().PUBLIC_BASE_URL ?? DEFAULT_PUBLIC_BASE_URL,
  };
}
