/** Where each role starts, and navigation that re-renders even when the hash does not change. */
export function homeFor(role: string | undefined): string {
  if (!role) return '#/signin';
  if (role === 'applicant') return '#/mine';
  if (role === 'auditor') return '#/audit';
  if (role === 'admin') return '#/staff';
  return '#/queue';
}

let pendingNotice: string | undefined;

/** Goes to `hash`; `notice` (what was just done) is shown once by the page that takes it (takeNotice). */
export function navigate(hash: string, notice?: string): void {
  pendingNotice = notice;
  if (window.location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else window.location.hash = hash;
}

/** The notice the last navigate() carried, once. */
export function takeNotice(): string | undefined {
  const notice = pendingNotice;
  pendingNotice = undefined;
  return notice;
}
