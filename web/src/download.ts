import { toProblem } from './api.ts';
import { session } from './auth.ts';
import { apiUrl } from './config.ts';
import { h } from './dom.ts';
import { dispositionName } from './files.ts';
import { t } from './i18n.ts';

/**
 * Files behind the API's 303s (a material's version, a case's document). A plain link cannot carry
 * the Authorization header, so the console fetches the API path with it and follows the 303 to the
 * presigned URL of storage: the browser drops Authorization on that cross-origin redirect (the
 * signature in the URL is storage's authorisation) and the final answer's bytes are read as a blob.
 * The public files (public version, public documents) need no token: those are plain links.
 */
export async function fetchFile(
  path: string,
): Promise<{ blob: Blob; fileName: string | undefined; url: string; redirected: boolean }> {
  const s = session();
  let res: Response;
  try {
    res = await fetch(`${apiUrl()}${path}`, {
      headers: s ? { authorization: `Bearer ${s.token}` } : {},
      redirect: 'follow',
      cache: 'no-store',
    });
  } catch {
    throw new Error(t('downloadNetwork'));
  }
  if (!res.ok) throw await toProblem(res);
  return {
    blob: await res.blob(),
    fileName: dispositionName(res.headers.get('content-disposition')),
    url: res.url,
    redirected: res.redirected,
  };
}

/** Saves a fetched file under its name (the browser's own download). */
export async function saveFile(path: string, fallbackName: string): Promise<void> {
  const { blob, fileName } = await fetchFile(path);
  saveBlob(blob, fileName ?? fallbackName);
}

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Opens a PDF in the browser's PDF viewer in a new tab. The tab is opened at the click, before the
 * answer is there (a tab opened later would be taken for a pop-up and blocked). It is then sent to
 * the presigned URL the API redirected to (valid for minutes; storage serves the PDF inline), not
 * to a blob: URL, which would inherit this page's Content-Security-Policy (`object-src 'none'`) and
 * may keep the viewer from loading. Where the API answered with the bytes themselves, or no tab
 * could be opened, the PDF is saved instead.
 */
export async function openPdf(path: string, fallbackName: string): Promise<void> {
  const tab = window.open('', '_blank');
  try {
    const { blob, fileName, url, redirected } = await fetchFile(path);
    if (tab && redirected) {
      tab.opener = null;
      tab.location.href = url;
    } else {
      tab?.close();
      saveBlob(new Blob([blob], { type: 'application/pdf' }), fileName ?? fallbackName);
    }
  } catch (error) {
    tab?.close();
    throw error;
  }
}
