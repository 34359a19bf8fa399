import { apiUrl, config } from './config.ts';
import { beijingDate } from './participation.ts';

/**
 * Today in Beijing as the service counts it. In AWS that is the real date; a local run may have
 * moved the server's clock (the demo clock, POST /local/clock), so there the server is asked, and
 * the console offers exactly the forms the server would take today.
 */
export async function serviceToday(): Promise<string> {
  if (config().mode === 'local') {
    try {
      const res = await fetch(`${apiUrl()}/local/clock`, { cache: 'no-store' });
      if (res.ok) {
        const { now } = (await res.json()) as { now?: string };
        const at = now ? new Date(now) : undefined;
        if (at && !Number.isNaN(at.getTime())) return beijingDate(at);
      }
    } catch {
      // No clock route: the browser's own date.
    }
  }
  return beijingDate(new Date());
}
