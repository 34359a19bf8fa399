import { ApiProblem, api } from './api.ts';
import { announce, type Child, h, replace } from './dom.ts';
import {
  contentTypeOf,
  type Described,
  FileUpload,
  failureKey,
  formatBytes,
  type PutResult,
  putResult,
  sha256Hex,
  type UploadedMaterial,
  type UploadState,
  type UploadTicket,
  uploadIssueKey,
} from './files.ts';
import { type Key, t } from './i18n.ts';
import { issueWords } from './issues.ts';
import { problemMessage } from './ui.ts';

/**
 * A file picker that uploads what is picked (docs/documents.md#console): the browser hashes the
 * file, announces it (POST /applications/{id}/uploads), then PUTs the bytes straight to storage
 * with XMLHttpRequest (fetch reports no upload progress), with a progress bar, a clear message
 * when storage refuses, and a retry button. The material is handed on only once storage has it.
 */
export interface UploaderOptions {
  code: string;
  inputId: string;
  /** The application the file belongs to; a new draft is created by its first upload. */
  applicationId: () => Promise<string>;
  onUploaded: (material: UploadedMaterial) => void;
  /**
   * What a finished upload says (已上传 unless given): a draft says the file joins the application
   * only once the draft is saved.
   */
  doneText?: () => string;
  /** Extra attributes of the file input (e.g. `data-path` for the API's issues). */
  inputAttrs?: Record<string, string>;
}

const running = new Set<FileUpload>();

/** Resolves once no upload is running (forms wait for it before they read their materials). */
export async function uploadsSettled(): Promise<void> {
  while (running.size > 0) {
    await Promise.allSettled([...running].map((u) => u.start()));
  }
}

export const uploadsFailed = (root: ParentNode) =>
  root.querySelector('.upload[data-phase="failed"]') !== null;

export interface Uploader {
  el: HTMLElement;
  input: HTMLInputElement;
  /** Shows a material uploaded before (kept across a reload) as done. */
  showStored(material: UploadedMaterial): void;
}

export function uploader(options: UploaderOptions): Uploader {
  const statusId = `${options.inputId}-upload`;
  const box = h('div', { class: 'upload-box', id: statusId, 'aria-live': 'polite' });
  let current: { file: File; upload: FileUpload } | undefined;
  const input = h('input', {
    id: options.inputId,
    type: 'file',
    'data-material': options.code,
    'aria-describedby': statusId,
    ...options.inputAttrs,
  });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (!file) return;
    // The same file picked again while it uploads: nothing new to do.
    if (
      current?.upload.busy &&
      current.file.name === file.name &&
      current.file.size === file.size &&
      current.file.lastModified === file.lastModified
    )
      return;
    // The code at the time of the pick (a form may let the person choose it).
    const code = input.dataset.material || options.code;
    const upload = new FileUpload(steps(options, code, file), (state) => draw(state));
    current = { file, upload };
    const draw = (state: UploadState) => {
      if (current?.upload !== upload) return;
      replace(
        box,
        row(file, state, () => void go(upload.retry()), options.doneText),
      );
    };
    const go = async (run: Promise<UploadState>) => {
      running.add(upload);
      const state = await run.finally(() => running.delete(upload));
      if (current?.upload !== upload) return;
      if (state.phase === 'done' && state.material) {
        options.onUploaded(state.material);
        announce(`${file.name}: ${options.doneText?.() ?? t('uploadDone')}`);
      } else if (state.phase === 'failed') {
        announce(`${file.name}: ${failureText(state)}`);
      }
    };
    void go(upload.start());
  });
  const showStored = (material: UploadedMaterial) => {
    current = undefined;
    replace(
      box,
      h(
        'div',
        { class: 'upload upload-done', 'data-phase': 'done', 'data-percent': 100 },
        h('span', { class: 'upload-name' }, `${material.fileName} · ${formatBytes(material.sizeBytes)}`),
        h('span', { class: 'upload-label' }, options.doneText?.() ?? t('uploadDone')),
      ),
    );
  };
  return {
    el: filePicker(input, { attrs: { 'data-code': options.code } }, box),
    input,
    showStored,
  };
}

/**
 * A file input behind the console's own button: the browser's own button speaks the browser's
 * language ("Choose File"), so the console's words instead (`text`, 选择文件 unless given), on a
 * button a thumb can hit; the input itself stays (hidden) for keyboards and tests. `after` follows
 * the button in the same box (an upload's progress, an answer).
 */
export function filePicker(
  input: HTMLInputElement,
  options: { text?: string; attrs?: Record<string, string> } = {},
  ...after: Child[]
): HTMLDivElement {
  const pick = h('label', { for: input.id, class: 'file-pick' }, options.text ?? t('chooseFile'));
  return h('div', { class: 'uploader', ...options.attrs }, input, pick, after);
}

function steps(options: UploaderOptions, code: string, file: File) {
  return {
    hash: async (): Promise<Described> => ({
      fileName: file.name,
      sha256: await sha256Hex(await file.arrayBuffer()),
      sizeBytes: file.size,
      contentType: contentTypeOf(file.name, file.type),
    }),
    announce: async (described: Described): Promise<UploadTicket> => {
      const id = await options.applicationId();
      const { body } = await api<UploadTicket>('POST', `/applications/${id}/uploads`, {
        body: { code, ...described },
      });
      return body;
    },
    put: (ticket: UploadTicket, progress: (loaded: number, total: number) => void) =>
      xhrPut(ticket, file, progress),
    now: () => Date.now(),
  };
}

/** The browser sets Content-Length (and Host) itself, from the body: those two it may not be given. */
const FORBIDDEN = new Set(['content-length', 'host', 'connection']);

function xhrPut(
  ticket: UploadTicket,
  file: File,
  progress: (loaded: number, total: number) => void,
): Promise<PutResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(ticket.method, ticket.url);
    for (const [name, value] of Object.entries(ticket.headers)) {
      if (!FORBIDDEN.has(name.toLowerCase())) xhr.setRequestHeader(name, value);
    }
    xhr.upload.addEventListener('progress', (e) =>
      progress(e.loaded, e.lengthComputable ? e.total : file.size),
    );
    xhr.addEventListener('load', () => resolve(putResult(xhr.status, xhr.responseText)));
    const fail = () => resolve({ ok: false, failure: 'network', status: 0 });
    xhr.addEventListener('error', fail);
    xhr.addEventListener('abort', fail);
    xhr.addEventListener('timeout', fail);
    xhr.send(file);
  });
}

function failureText(state: UploadState): string {
  const problem = state.problem;
  if (state.failure === 'announce' && problem instanceof ApiProblem) {
    // Each refused field in words of the console's own; any other worded from its code.
    const issues = [
      ...new Set(
        problem.issues.map((issue) => {
          const key = uploadIssueKey(issue.path);
          return key ? t(key as Key) : issueWords(issue);
        }),
      ),
    ];
    return issues.length ? issues.join(' ') : problemMessage(problem);
  }
  // fetch's own failure (no answer at all) is the network's; any other is already in words.
  if (state.failure === 'announce' && problem instanceof Error && !(problem instanceof TypeError))
    return problem.message;
  return t(failureKey(state.failure ?? 'network') as Key);
}

function row(file: File, state: UploadState, retry: () => void, doneText?: () => string) {
  const failed = state.phase === 'failed';
  const label =
    state.phase === 'hashing'
      ? t('uploadHashing')
      : state.phase === 'announcing'
        ? t('uploadPreparing')
        : state.phase === 'done'
          ? (doneText?.() ?? t('uploadDone'))
          : state.phase === 'uploading'
            ? t('uploadSending')
            : t('uploadFailed');
  return h(
    'div',
    { class: `upload upload-${state.phase}`, 'data-phase': state.phase, 'data-percent': state.percent },
    h('span', { class: 'upload-name' }, `${file.name} · ${formatBytes(file.size)}`),
    h(
      'span',
      { class: 'upload-bar' },
      h('progress', { max: 100, value: state.percent, 'aria-label': `${file.name} ${label}` }),
      h('span', { class: 'upload-percent' }, `${state.percent}%`),
    ),
    h('span', { class: 'upload-label' }, label),
    failed
      ? h(
          'p',
          { class: 'upload-error', role: 'alert' },
          failureText(state),
          ' ',
          h(
            'button',
            {
              type: 'button',
              class: 'secondary upload-retry',
              onclick: (event: Event) => {
                (event.currentTarget as HTMLButtonElement).disabled = true;
                retry();
              },
            },
            t('uploadRetry'),
          ),
        )
      : '',
  );
}
