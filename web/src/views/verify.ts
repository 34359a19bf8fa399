import { ApiProblem, api } from '../api.ts';
import { apiUrl } from '../config.ts';
import { announce, h, replace } from '../dom.ts';
import {
  type DocumentCheck,
  publicFileKinds,
  sameHash,
  sha256Hex,
  verifyHash,
  verifyNumber,
} from '../files.ts';
import { t, tr } from '../i18n.ts';
import { navigate } from '../navigate.ts';
import { errorBox } from '../ui.ts';
import { filePicker } from '../uploader.ts';

/**
 * `#/verify/<number>`: what the QR code on a document opens, without sign-in. It asks
 * GET /public/documents/{number} and says in words whether the bureau issued the document and
 * whether the case's trail is intact; a file at hand can be compared by its checksum (SHA-256,
 * 文件校验值), computed in the browser (the file is not sent anywhere), picked with the console's
 * own file button.
 */
export async function verifyPage(main: HTMLElement, [param]: string[]): Promise<void> {
  const number = param === undefined ? undefined : verifyNumber(param);
  const input = h('input', {
    id: 'verify-number',
    name: 'number',
    type: 'text',
    value: number ?? '',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const form = h(
    'form',
    { class: 'verify-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'verify-number' }, t('verifyNumberLabel')), input),
    h('button', { type: 'submit' }, t('verifyGo')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const n = input.value.trim();
    if (n) navigate(verifyHash(n));
  });
  const result = h('div', { id: 'verify-result' });
  replace(main, h('h1', {}, t('verifyDocTitle')), h('p', {}, t('verifyDocIntro')), form, result);
  if (!number) return;
  let doc: DocumentCheck;
  try {
    doc = (await api<DocumentCheck>('GET', `/public/documents/${encodeURIComponent(number)}`)).body;
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 404) {
      replace(
        result,
        h(
          'div',
          { class: 'card verdict verdict-unknown', 'data-genuine': 'false', role: 'status' },
          h('p', {}, h('strong', {}, t('verifyUnknown', { n: number }))),
        ),
      );
      return;
    }
    replace(result, errorBox(error));
    return;
  }
  replace(result, verdict(doc));
  announce(doc.chainVerified ? t('verifyGenuine') : t('verifyGenuineTrailBroken'));
}

function verdict(doc: DocumentCheck) {
  const rows: [string, Node | string][] = [
    [t('docNumber'), h('span', { 'data-number': doc.number }, doc.number)],
    [t('docKind'), tr(`doc_${doc.kind}`, doc.kind)],
    [t('issuedOn'), doc.issuedOn],
    [t('field.sha256'), h('code', { class: 'hash', 'data-sha256': doc.sha256 }, doc.sha256)],
  ];
  if (doc.caseNumber) rows.push([t('caseNumber'), doc.caseNumber]);
  rows.push([
    t('verifyTrail'),
    h(
      'span',
      { 'data-chain': String(doc.chainVerified), class: doc.chainVerified ? 'ok-text' : 'bad-text' },
      doc.chainVerified ? t('verifyChainOk') : t('verifyChainBroken'),
    ),
  ]);
  return h(
    'div',
    {},
    h(
      'section',
      {
        class: `card verdict ${doc.chainVerified ? 'verdict-genuine' : 'verdict-doubt'}`,
        'data-genuine': 'true',
        'aria-labelledby': 'verdict-title',
      },
      h(
        'h2',
        { id: 'verdict-title' },
        doc.chainVerified ? `✓ ${t('verifyGenuine')}` : `⚠ ${t('verifyGenuineTrailBroken')}`,
      ),
      h(
        'dl',
        { class: 'summary' },
        rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
      ),
      publicFileKinds.includes(doc.kind)
        ? h(
            'p',
            {},
            h(
              'a',
              {
                href: `${apiUrl()}/public/documents/${encodeURIComponent(doc.number)}/file`,
                target: '_blank',
                rel: 'noopener',
              },
              t('openPdf'),
            ),
          )
        : '',
    ),
    fileCheck(doc),
  );
}

/** Compares a file the person holds with the document, by its checksum computed in the browser. */
function fileCheck(doc: DocumentCheck) {
  const answer = h('p', { id: 'verify-file-answer', 'aria-live': 'polite' });
  const file = h('input', {
    id: 'verify-file',
    type: 'file',
    accept: 'application/pdf,.pdf',
    'aria-describedby': 'verify-file-hint verify-file-answer',
  });
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    replace(answer, t('uploadHashing'));
    const sha = await sha256Hex(await chosen.arrayBuffer());
    const same = sameHash(sha, doc.sha256);
    answer.className = same ? 'ok' : 'warning';
    answer.dataset.match = String(same);
    replace(
      answer,
      h('strong', {}, same ? t('verifyFileSame') : t('verifyFileDiffers')),
      h('br'),
      h(
        'span',
        { class: 'muted' },
        `${chosen.name} · ${t('field.sha256')} `,
        h('code', { class: 'hash' }, sha),
      ),
    );
  });
  // A tool for the screen: on paper the verdict above is what counts.
  return h(
    'section',
    { class: 'card file-check', 'aria-labelledby': 'verify-file-title' },
    h('h2', { id: 'verify-file-title' }, t('verifyFileTitle')),
    h('p', { id: 'verify-file-hint', class: 'muted' }, t('verifyFileHint')),
    h('div', { class: 'field' }, filePicker(file, { text: t('verifyFileLabel') })),
    answer,
  );
}
