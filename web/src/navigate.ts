/** Where each role starts, and navigation that re-renders even when the hash does not change. */
export function homeFor(role: string | undefined): string {
  if (!role) return '#/signin';
  if (role === 'applicant') return '#/mine';
  if (role === 'auditor') return '#/audit';
  if (role === 'admin') return '#/staff';
  return '#/queue';
}

export function navigate(hash: string): void {
  if (window.location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else window.location.hash = hash;
}
