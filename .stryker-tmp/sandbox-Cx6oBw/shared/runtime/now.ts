/**
 * The one source of "now" for handlers. In AWS it is the system clock; the local server may move
 * it forward (POST /local/clock) to demonstrate and test deadlines without waiting for them.
 */
// @ts-nocheck

let offsetMs = 0;

export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

/** Local only: make now() return `target` from this moment on (it keeps ticking from there). */
export function setNow(target: Date): void {
  offsetMs = target.getTime() - Date.now();
}

export function resetNow(): void {
  offsetMs = 0;
}
