import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { DEMO_USERS } from '../../local/demo.ts';
import { pdfBytes } from '../../local/sample-files.ts';
import { defaultConfig } from '../../shared/domain/config.ts';

type Role = keyof typeof DEMO_USERS;

/**
 * The HTTP API of a local console (`npm start`) as the demo users, for what an end-to-end test
 * sets up without walking through it in the browser: a token per role from POST /local/token,
 * calls that say what went wrong, and cases made the way the console makes them.
 */
export function localApi(url: string) {
  const tokens = new Map<Role, string>();
  const token = async (role: Role): Promise<string> => {
    const known = tokens.get(role);
    if (known) return known;
    const { label: _, ...subject } = DEMO_USERS[role];
    const res = await fetch(`${url}/local/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(subject),
    });
    expect(res.status).toBe(200);
    const { token: issued } = (await res.json()) as { token: string };
    tokens.set(role, issued);
    return issued;
  };

  const call = async <T = Record<string, unknown>>(
    role: Role,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${await token(role)}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
  };

  const ok = async <T = Record<string, unknown>>(
    role: Role,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> => {
    const res = await call<T>(role, method, path, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };

  /** A report form of the demo applicant named `project`, every required material a small real PDF. */
  const draftWithMaterials = async (project: string): Promise<string> => {
    const applicant = DEMO_USERS.applicant;
    const created = await ok<{ id: string }>('applicant', 'POST', '/applications', {
      category: 'REPORT_FORM',
      project: {
        name: project,
        location: '醴陵市浦口镇',
        industry: '陶瓷制品制造',
        investmentCny: 5_600_000,
      },
      applicant: {
        orgName: '醴陵市铁河口纸业有限公司',
        orgCode: applicant.orgCode,
        contactName: applicant.name,
        contactPhone: '13873301234',
      },
    });
    const materials = [];
    for (const code of defaultConfig.required.REPORT_FORM) {
      const bytes = pdfBytes(`${project} ${code}`);
      const upload = await ok<{ url: string; headers: Record<string, string>; material: unknown }>(
        'applicant',
        'POST',
        `/applications/${created.id}/uploads`,
        {
          code,
          fileName: `${code.toLowerCase()}.pdf`,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          sizeBytes: bytes.length,
          contentType: 'application/pdf',
        },
      );
      const headers = Object.fromEntries(
        Object.entries(upload.headers).filter(([name]) => name.toLowerCase() !== 'content-length'),
      );
      const put = await fetch(upload.url, { method: 'PUT', headers, body: bytes });
      expect(put.status).toBe(200);
      materials.push(upload.material);
    }
    await ok('applicant', 'PATCH', `/applications/${created.id}`, { materials });
    return created.id;
  };

  /**
   * A case accepted today and under review (its acceptance notice open for comments), with a
   * comment of the public on it: the case, the notice and the comment.
   */
  const commentedCase = async (
    project: string,
    text: string,
  ): Promise<{ id: string; noticeId: string; commentId: string }> => {
    const id = await draftWithMaterials(project);
    await ok('applicant', 'POST', `/applications/${id}/actions/submit`, {});
    await ok('clerk', 'POST', `/applications/${id}/actions/accept`, {});
    await ok('reviewer', 'POST', `/applications/${id}/actions/start_review`, {});
    const notices = await fetch(`${url}/public/notices?kind=ACCEPTANCE&q=${encodeURIComponent(project)}`);
    const { items } = (await notices.json()) as { items: { noticeId: string; applicationId: string }[] };
    const noticeId = items.find((n) => n.applicationId === id)?.noticeId ?? '';
    expect(noticeId, `the acceptance notice of ${project}`).not.toBe('');
    const sent = await fetch(`${url}/public/notices/${encodeURIComponent(noticeId)}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    expect(sent.status).toBe(202);
    const { commentId } = (await sent.json()) as { commentId: string };
    return { id, noticeId, commentId };
  };

  /** The actions of the case's trail, in order (as the auditor reads them). */
  const actions = async (id: string): Promise<string[]> => {
    const { items } = await ok<{ items: { action: string }[] }>(
      'auditor',
      'GET',
      `/applications/${id}/events`,
    );
    return items.map((e) => e.action);
  };

  return { token, call, ok, draftWithMaterials, commentedCase, actions };
}
