import { afterText, confirmText, isDestructive } from '../acts.ts';
import { ApiProblem, api } from '../api.ts';
import { session } from '../auth.ts';
import { announce, h, replace } from '../dom.ts';
import { openPdf, saveFile } from '../download.ts';
import { checkValue } from '../field-rules.ts';
import {
  type CaseDocument,
  formatBytes,
  groupVersions,
  type MaterialVersion,
  scanKey,
  uploaderName,
  verifyHash,
} from '../files.ts';
import { keepTyping } from '../form-memory.ts';
import { type Key, lang, remainingDays, t, tr } from '../i18n.ts';
import type { Issue } from '../issues.ts';
import { navigate } from '../navigate.ts';
import {
  filesReady,
  findField,
  type JsonSchema,
  markInvalid,
  materialFields,
  schemaForm,
} from '../schema-form.ts';
import { eventWords } from '../timeline.ts';
import { serviceToday } from '../today.ts';
import {
  type Application,
  type AuditEvent,
  clockChip,
  dateCell,
  dateTime,
  errorBox,
  type Material,
  problemMessage,
  provisionalLine,
  section,
  stateBadge,
  table,
} from '../ui.ts';
import { uploadsFailed } from '../uploader.ts';
import { actionName, diagram, materialName, workflow } from '../workflow.ts';
import {
  actProblemBox,
  commentsSection,
  type HearingRequest,
  hearingSection,
  listAll,
  type PublicComment,
  proposalBlockBox,
  scheduleFields,
} from './participation.ts';

/**
 * One application: its materials, the notices addressed to the applicant, the clock, the
 * timeline, the workflow with the current state highlighted, and a form for each action the
 * caller may take now (from `allowedActions`), generated from that action's payload schema.
 */
export async function applicationPage(main: HTMLElement, id: string, notice?: string): Promise<void> {
  // The public's comments and hearing requests, with names and contacts: for officials and auditors.
  const official = ['clerk', 'reviewer', 'approver', 'auditor'].includes(session()?.role ?? '');
  const [res, events, versions, documents, comments, hearingRequests, today] = await Promise.all([
    api<Application>('GET', `/applications/${id}`),
    allEvents(id),
    // A role that may not list them (or an API without them) gets the page without them.
    api<{ items: MaterialVersion[] } | MaterialVersion[]>('GET', `/applications/${id}/materials`).then(
      (r) => (Array.isArray(r.body) ? r.body : r.body.items),
      () => undefined,
    ),
    api<{ items: CaseDocument[] } | CaseDocument[]>('GET', `/applications/${id}/documents`).then(
      (r) => (Array.isArray(r.body) ? r.body : r.body.items),
      () => undefined,
    ),
    official ? listAll<PublicComment>(`/applications/${id}/comments`) : undefined,
    official ? listAll<HearingRequest>(`/applications/${id}/hearing-requests`) : undefined,
    serviceToday(),
  ]);
  const app = res.body;
  const etag = res.headers.get('etag') ?? `"${app.version}"`;
  const reload = (message?: string) =>
    applicationPage(main, id, message).catch((e) => replace(main, errorBox(e)));
  const timeline = [...events].sort((a, b) => a.seq - b.seq);

  replace(
    main,
    h('h1', {}, app.project.name || t('navNew')),
    notice ? h('p', { class: 'ok', role: 'status', tabindex: -1, 'data-page-notice': '' }, notice) : '',
    // Once decided, the decision and its document lead the page; the proposal is history.
    app.decision ? decisionSection(app, documents) : '',
    summary(app),
    app.state === 'FILED' && app.receiptNumber ? receipt(app) : '',
    actionsSection(app, etag, reload, today),
    hearingSection(
      app,
      hearingRequests,
      today,
      app.allowedActions.includes('schedule_hearing')
        ? actionForm(app, 'schedule_hearing', etag, reload, today)
        : undefined,
    ),
    comments && (comments.length > 0 || app.acceptance) ? commentsSection(app, comments, reload) : '',
    app.supplement ? supplementSection(app) : '',
    app.revision ? revisionSection(app) : '',
    app.proposal && !app.decision ? proposalSection(app) : '',
    app.clock ? clockSection(app) : '',
    documents?.length ? documentsSection(app, documents) : '',
    materialsSection(app),
    versions ? versionsSection(app, versions) : '',
    resubmissionDiff(timeline),
    timelineSection(timeline, official, app),
    section(t('workflowTitle'), diagram(app.state)),
  );
  // What an act just did and what happens next: in view and focused, not left below the fold.
  main.querySelector<HTMLElement>('[data-page-notice]')?.focus();
}

/** Every event of the application, following the cursor (the API pages by at most 100). */
async function allEvents(id: string): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ limit: '100', ...(cursor && { cursor }) });
    const { body } = await api<{ items: AuditEvent[]; cursor?: string }>(
      'GET',
      `/applications/${id}/events?${query}`,
    );
    events.push(...body.items);
    cursor = body.cursor;
  } while (cursor && events.length < 5000);
  return events;
}

function summary(app: Application) {
  const items: [string, Node | string][] = [
    [t('state'), stateBadge(app.state)],
    [t('category'), t(`cat_${app.category}` as Key)],
  ];
  // The internal id is the auditor's handle on the trail; to everyone else it is a code.
  if (session()?.role === 'auditor') items.push([t('applicationId'), h('code', {}, app.id)]);
  if (app.caseNumber) items.push([t('caseNumber'), app.caseNumber]);
  if (app.decisionNumber)
    items.push([
      t('decisionNumber'),
      h(
        'span',
        {},
        app.decisionNumber,
        ' · ',
        h(
          'a',
          { href: verifyHash(app.decisionNumber), 'aria-label': `${t('verifyIt')} ${app.decisionNumber}` },
          t('verifyIt'),
        ),
      ),
    ]);
  if (app.applicant.orgName) items.push([t('applicant.orgName'), app.applicant.orgName]);
  if (app.intake) {
    const by = app.intake.by.name;
    items.push([
      t('navWalkIn'),
      h('span', { 'data-intake': 'WALK_IN' }, t('walkInBy', { by, org: app.intake.onBehalfOf.orgName })),
    ]);
  }
  if (app.preparedBy) {
    items.push([t('preparedBy'), `${app.preparedBy.orgName}（${app.preparedBy.orgCode}）`]);
  }
  if (app.project.location) items.push([t('project.location'), app.project.location]);
  if (app.clock)
    items.push([
      t('clockStatus'),
      clockStopped(app) ? h('span', { 'data-clock-stopped': '' }, t('clockStopped')) : clockChip(app.clock),
    ]);
  // The other dates counted through the calendar, each marked when provisional.
  const check = app.completenessCheck;
  if (check) items.push([t('completenessDeadline'), dateCell(check.deadline, check, 'deadline')]);
  const acceptance = app.acceptance;
  if (acceptance && !CLOSED.has(app.state)) {
    items.push([t('commentEndsOn'), dateCell(acceptance.commentEndsOn, acceptance, 'commentEndsOn')]);
  }
  // How many comments the public sent and how many are answered: for the applicant too (never who sent them).
  if (app.comments || acceptance) {
    const counts = app.comments ?? { received: 0, answered: 0 };
    items.push([
      t('publicComments'),
      h(
        'span',
        { 'data-comments-summary': `${counts.received}/${counts.answered}` },
        t('commentsSummary', { r: counts.received, a: counts.answered }),
      ),
    ]);
  }
  const expert = app.expertReview;
  if (expert?.expectedEndsOn && app.state === 'EXPERT_REVIEW') {
    items.push([t('expectedEndsOn'), dateCell(expert.expectedEndsOn, expert, 'expectedEndsOn')]);
  }
  const open = CLOSED.has(app.state)
    ? []
    : [check, acceptance, app.state === 'EXPERT_REVIEW' ? expert : undefined];
  return [
    h(
      'dl',
      { class: 'summary' },
      items.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
    ),
    provisionalLine(open.find((m) => m?.provisional)),
  ];
}

/** The terminal states: their dates no longer bind anyone. */
const CLOSED = new Set(['APPROVED', 'REJECTED', 'NOT_ACCEPTED', 'WITHDRAWN', 'FILED']);

function receipt(app: Application) {
  return h(
    'section',
    { class: 'card receipt', 'aria-labelledby': 'receipt-title' },
    h('h2', { id: 'receipt-title' }, t('receiptTitle')),
    h('p', {}, t('receiptText')),
    h(
      'p',
      {},
      `${t('receiptNumber')}：`,
      h('strong', { 'data-receipt': app.receiptNumber }, app.receiptNumber ?? ''),
    ),
  );
}

function actionsSection(
  app: Application,
  etag: string,
  reload: (message?: string) => Promise<void>,
  today: string,
) {
  // Scheduling the hearing is offered in the hearing's own section, beside its requests.
  const forms = app.allowedActions
    .filter((name) => name !== 'edit' && name !== 'schedule_hearing')
    .map((name) => actionForm(app, name, etag, reload, today));
  return section(
    t('actions'),
    // Submit is offered only once every required material is there: say what is missing.
    app.canEdit && app.state === 'DRAFT' ? submitCheck(app) : '',
    app.canEdit
      ? h('p', {}, h('a', { href: `#/app/${app.id}/edit`, class: 'button-link secondary' }, t('edit')))
      : '',
    forms.length ? forms : h('p', { class: 'muted' }, t('noActions')),
    mayDeleteDraft(app) ? deleteDraftButton(app, etag, reload) : '',
  );
}

/**
 * A draft never submitted may be deleted by its owner (for a walk-in, also by the clerk who took it
 * in): the API decides (DELETE /applications/{id}); this only offers the button where it may.
 */
function mayDeleteDraft(app: Application): boolean {
  if (!app.canEdit || app.state !== 'DRAFT' || app.caseNumber || app.receiptNumber) return false;
  const s = session();
  return s?.role === 'applicant' || (s?.role === 'clerk' && app.intake?.by.id === s.sub);
}

/** Destructive, asked about first; then back to the list, with a sentence saying it is done. */
function deleteDraftButton(app: Application, etag: string, reload: (message?: string) => Promise<void>) {
  const problems = h('div');
  const button = h(
    'button',
    { type: 'button', class: 'danger', 'data-delete-draft': app.id },
    t('deleteDraft'),
  ) as HTMLButtonElement;
  button.addEventListener('click', async () => {
    if (button.disabled) return;
    if (!window.confirm(t('confirmDeleteDraft', { p: projectOf(app) }))) return;
    button.disabled = true;
    replace(problems);
    try {
      await api('DELETE', `/applications/${app.id}`, { ifMatch: etag });
      const message = t('draftDeleted', { p: projectOf(app) });
      navigate(session()?.role === 'applicant' ? '#/mine' : '#/all', message);
      announce(message);
    } catch (error) {
      button.disabled = false;
      if (error instanceof ApiProblem && error.status === 412) {
        await reload(t('stale'));
        return;
      }
      const box = errorBox(error);
      replace(problems, box);
      box.focus();
    }
  });
  return h('div', { class: 'delete-draft' }, problems, h('p', {}, button));
}

function actionForm(
  app: Application,
  name: string,
  etag: string,
  reload: (message?: string) => Promise<void>,
  today: string,
) {
  const def = workflow().actions.find((a) => a.name === name);
  const schema: JsonSchema = def?.payloadSchema ?? { type: 'object', properties: {} };
  const problems = h('div');
  const fieldsBox = h('div');
  let read: () => Record<string, unknown>;
  let showIssues: (p: ApiProblem) => { path: string; message: string }[] = (p) => [...p.issues];
  // What the form can say before anything is sent, and a question of its own to ask first.
  let check: () => boolean = () => true;
  let question: (() => string) | undefined;
  if (name === 'resubmit' && app.supplement) {
    // The supplement notice, item by item, each with a place for the new file that answers it.
    const materialSchema = schema.properties?.materials?.items ?? {};
    const readers = app.supplement.items.map((item, i) => {
      const box = h(
        'fieldset',
        { class: 'item' },
        h('legend', {}, `${i + 1}. ${materialName(item.code)}`),
        h('p', {}, `${t('field.reason')}：${item.reason}`),
      );
      fieldsBox.append(box);
      return materialFields(box, materialSchema, `materials.${i}`, `resubmit-${i}`, item.code);
    });
    read = () => {
      const materials = readers.map((r) => r()).filter((m) => m !== undefined);
      return { materials };
    };
  } else if (name === 'approve') {
    // The decision carries the conditions that were on public notice, exactly: nothing to type.
    const noticed = app.proposal?.conditions ?? [];
    fieldsBox.append(
      h('p', {}, t(noticed.length ? 'approveNoticedConditions' : 'approveNoConditions')),
      noticed.length
        ? h(
            'ol',
            { 'data-noticed-conditions': '' },
            noticed.map((c) => h('li', {}, c)),
          )
        : '',
    );
    read = () => ({});
  } else if (name === 'schedule_hearing') {
    // A date-time in Beijing time and a place; the time is sent as ISO 8601 with +08:00.
    const schedule = scheduleFields(app, today);
    fieldsBox.append(schedule.fields);
    read = schedule.read;
    showIssues = (p) => schedule.showIssues(p);
    check = schedule.check;
    // Scheduling tells the applicant and the requesters at once: asked first, with the time and place.
    question = () => schedule.question(projectOf(app));
  } else {
    const generated = schemaForm(schema, `a-${name}`);
    fieldsBox.append(generated.fields);
    read = generated.read;
    showIssues = (p) => generated.showIssues(p);
    // The fields' own rules (required, lengths, formats) before anything is asked or sent: each
    // problem beside its field, a count above, and the first one focused.
    check = () => {
      // generated.check() marks its fields; the lists' items are marked here.
      const own = generated.check();
      const lists = listIssues(schema, generated.fields);
      for (const issue of lists) {
        const target = findField(generated.fields, issue.path);
        if (target) markInvalid(target, issue);
      }
      const issues = [...own, ...lists];
      if (issues.length === 0) return true;
      const box = errorBox(new Error(t('issuesCount', { n: issues.length })), issues);
      replace(problems, box);
      fieldsBox.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return false;
    };
  }
  // What stops the proposal today (the comment period, unanswered comments), before anyone tries.
  if (name === 'propose_decision') fieldsBox.prepend(proposalBlockBox(app, today));
  const heading = `${name}-title`;
  // An act that closes the case against the applicant, or takes back what was published, looks apart.
  const destructive = isDestructive(name);
  const form = h(
    'form',
    {
      class: destructive ? 'action-form destructive' : 'action-form',
      'data-action': name,
      'data-application': app.id,
      'data-destructive': destructive ? 'true' : undefined,
      novalidate: true,
      'aria-labelledby': heading,
    },
    h('h3', { id: heading }, actionName(name)),
    problems,
    fieldsBox,
    h(
      'button',
      { type: 'submit', 'data-action-submit': name, class: destructive ? 'danger' : undefined },
      actionName(name),
    ),
  );
  // What is typed or uploaded here survives a reload until the action is taken.
  const memory = keepTyping(form, `${app.id}.${name}`, app.version);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type=submit]') as HTMLButtonElement;
    // A second click (or Enter) while the first one runs acts nothing twice.
    if (button.disabled) return;
    replace(problems);
    if (!check()) return;
    // No act of the workflow can be taken back: each is asked about first, naming the act, the
    // project, what will happen and to whom (a hearing's question adds its time and place).
    if (
      !window.confirm(
        question
          ? question()
          : confirmText(name, actionName(name), projectOf(app), app, read(), { role: session()?.role }),
      )
    )
      return;
    button.disabled = true;
    await filesReady();
    replace(problems);
    if (uploadsFailed(form)) {
      button.disabled = false;
      const box = errorBox(new Error(t('uploadsUnfinished')));
      replace(problems, box);
      box.focus();
      return;
    }
    try {
      const { body } = await api<{ application?: Application }>(
        'POST',
        `/applications/${app.id}/actions/${name}`,
        { body: read(), ifMatch: etag },
      );
      memory.forget();
      // What happens next and who acts now, from the case as the act left it.
      const message = body.application
        ? afterText(name, body.application, { role: session()?.role })
        : t('done', { a: actionName(name) });
      announce(message);
      await reload(message);
    } catch (error) {
      button.disabled = false;
      if (error instanceof ApiProblem && error.status === 412) {
        await reload(t('stale'));
        return;
      }
      const unplaced = error instanceof ApiProblem ? showIssues(error) : [];
      // The proposal's rules and the hearing's dates in words of their own, issues beside the fields.
      const box =
        name === 'propose_decision' || name === 'schedule_hearing'
          ? actProblemBox(app, error, unplaced)
          : errorBox(error, error instanceof ApiProblem ? error.issues : unplaced);
      replace(problems, box);
      box.focus();
    }
  });
  return form;
}

/**
 * What the generated rules leave out: the fields of a list's items (a supplement notice's items, a
 * revision's topics), each required one filled and none too long; and a required list typed one
 * per line (a rejection's reasons) not empty. Shaped like the API's issues, worded the same way.
 */
function listIssues(schema: JsonSchema, root: HTMLElement): Issue[] {
  const issues: Issue[] = [];
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (prop.type !== 'array') continue;
    const required = schema.required?.includes(name) ?? false;
    const item = prop.items ?? {};
    if (item.type === 'object') {
      const controls = root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(
        `[data-path^="${CSS.escape(name)}."]`,
      );
      for (const control of controls) {
        const path = control.dataset.path ?? '';
        const sub = /^[^.]+\.\d+\.([^.]+)$/.exec(path)?.[1];
        if (!sub || control.type === 'file' || control.type === 'hidden') continue;
        const rule = item.properties?.[sub] ?? {};
        const issue = checkValue(
          {
            path,
            required: required && (item.required?.includes(sub) ?? false),
            uscc: false,
            ...(rule.type !== undefined && { type: rule.type }),
            ...(rule.maxLength !== undefined && { maxLength: rule.maxLength }),
            ...(rule.minLength !== undefined && { minLength: rule.minLength }),
          },
          control.value,
        );
        if (issue) issues.push(issue);
      }
    } else if (required) {
      const control = root.querySelector<HTMLTextAreaElement>(`textarea[data-path="${CSS.escape(name)}"]`);
      if (control && control.value.trim() === '')
        issues.push({
          path: name,
          message: '',
          code: 'invalid_type',
          params: { expected: 'array', received: 'undefined' },
        });
    }
  }
  return issues;
}

const projectOf = (app: Application) => app.project.name || app.caseNumber || app.id;

/** Before submitting: the category's required materials that are not there yet. */
function submitCheck(app: Application) {
  const required = workflow().required[app.category] ?? [];
  const have = new Set(app.materials.map((m) => m.code));
  const missing = required.filter((c) => !have.has(c));
  return missing.length
    ? h(
        'div',
        { class: 'warning', id: 'submit-check' },
        h('p', {}, t('missingSummary', { n: missing.length })),
        h(
          'ul',
          {},
          missing.map((c) => h('li', {}, materialName(c))),
        ),
      )
    : h('p', { class: 'ok', id: 'submit-check' }, t('allPresent'));
}

function supplementSection(app: Application) {
  const s = app.supplement;
  if (!s) return '';
  return section(
    t('supplementTitle'),
    h(
      'p',
      { class: 'muted' },
      dateTime(s.requestedAt),
      s.answeredAt ? ` · ${t('supplementAnswered', { d: dateTime(s.answeredAt) })}` : '',
    ),
    h(
      'ol',
      { class: 'notice-items' },
      s.items.map((item) =>
        h('li', { 'data-code': item.code }, h('strong', {}, materialName(item.code)), `：${item.reason}`),
      ),
    ),
  );
}

function revisionSection(app: Application) {
  const r = app.revision;
  if (!r) return '';
  return section(
    t('revisionTitle'),
    h(
      'ol',
      {},
      r.items.map((item) => h('li', {}, h('strong', {}, item.topic), `：${item.detail}`)),
    ),
    r.response ? h('p', {}, `${t('field.response')}：${r.response}`) : '',
  );
}

/** The decision at the head of a decided case: outcome, number, conditions or reasons, the PDF, the remedies. */
function decisionSection(app: Application, documents: readonly CaseDocument[] | undefined) {
  const d = app.decision;
  if (!d) return '';
  const approved = d.outcome === 'APPROVED';
  const doc = documents?.filter((x) => x.kind === 'APPROVAL' || x.kind === 'REJECTION');
  const card = section(
    t(approved ? 'decisionApproved' : 'decisionRejected'),
    app.decisionNumber
      ? h(
          'p',
          {},
          `${t('decisionNumber')}：`,
          h('strong', {}, app.decisionNumber),
          ' · ',
          h('a', { href: `#/verify/${encodeURIComponent(app.decisionNumber)}` }, t('decisionVerify')),
        )
      : '',
    d.conditions?.length
      ? [
          h('h3', {}, t('conditions')),
          h(
            'ol',
            {},
            d.conditions.map((c) => h('li', {}, c)),
          ),
        ]
      : '',
    d.reasons?.length
      ? [
          h('h3', {}, t('reasons')),
          h(
            'ol',
            {},
            d.reasons.map((c) => h('li', {}, c)),
          ),
        ]
      : '',
    // Its PDF is opened from the documents below (one button per document on the page).
    doc?.length ? h('p', {}, t(doc.some((x) => x.pending) ? 'decisionPdfPending' : 'decisionPdfBelow')) : '',
    approved ? '' : h('p', { class: 'muted' }, t('decisionRemedies')),
  );
  card.classList.add('decision-card');
  card.dataset.decision = d.outcome;
  return card;
}

function proposalSection(app: Application) {
  const p = app.proposal;
  if (!p) return '';
  return section(
    t('proposalTitle'),
    h(
      'p',
      {},
      h('strong', {}, tr(`enum.${p.proposal}`, p.proposal)),
      ' · ',
      t('noticePeriod', { a: p.noticeStartsOn, b: '' }),
      dateCell(p.noticeEndsOn, p, 'noticeEndsOn'),
    ),
    p.hearingDeadline
      ? h('p', {}, `${t('hearingDeadline')}：`, dateCell(p.hearingDeadline, p, 'hearingDeadline'))
      : '',
    provisionalLine(p),
    p.conditions?.length
      ? [
          h('h3', {}, t('conditions')),
          h(
            'ul',
            {},
            p.conditions.map((c) => h('li', {}, c)),
          ),
        ]
      : '',
    p.reasons?.length
      ? [
          h('h3', {}, t('reasons')),
          h(
            'ul',
            {},
            p.reasons.map((c) => h('li', {}, c)),
          ),
        ]
      : '',
  );
}

/** Once decided (or otherwise closed) the clock has stopped: no “running”, no days left. */
const clockStopped = (app: Application) =>
  app.state === 'APPROVED' || workflow().terminalStates.includes(app.state);

function clockSection(app: Application) {
  const c = app.clock;
  if (!c) return '';
  const days = (n: number) => t(c.dayType === 'CALENDAR' ? 'calendarDays' : 'workingDays', { n });
  const stopped = clockStopped(app);
  const rows: [string, Node | string][] = [
    // The chip says “paused” itself; a running clock says so beside it.
    [
      t('clockStatus'),
      stopped
        ? h('span', { 'data-clock-stopped': '' }, t('clockStopped'))
        : h('span', {}, clockChip(c), c.paused ? '' : ` ${t('running')}`),
    ],
    [t('startedOn'), c.startedOn],
    [
      t('statutoryLimit'),
      h('span', {}, `${days(c.limit)} · ${t('dueDate')} `, dateCell(c.dueDate, c, 'dueDate')),
    ],
    [t('used'), days(c.used)],
    [t('daysLeft'), stopped ? '—' : remainingDays(c.remaining)],
  ];
  if (c.commitment)
    rows.push([
      t('commitmentLimit'),
      h(
        'span',
        {},
        `${days(c.commitment.limit)} · ${t('dueDate')} `,
        dateCell(c.commitment.dueDate, c, 'commitment.dueDate'),
        // The remaining days in words, not a bare figure in brackets.
        stopped
          ? ''
          : lang() === 'zh'
            ? `（${t('daysLeft')} ${remainingDays(c.commitment.remaining)}）`
            : ` (${t('daysLeft')}: ${remainingDays(c.commitment.remaining)})`,
        h('small', { class: 'commitment-note' }, t('commitmentExcludes')),
      ),
    ]);
  return section(
    t('clock'),
    h(
      'dl',
      { class: 'summary clock', 'data-paused': String(c.paused) },
      rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
    ),
    // In the console's language: the API's `note` is English only.
    provisionalLine(c),
  );
}

/** Whether files' hashes are shown: to the auditor, who proves with them. */
const showHashes = () => session()?.role === 'auditor';
const fileLabel = (m: { fileName: string; sha256: string }) =>
  showHashes() ? `${m.fileName} (${m.sha256.slice(0, 8)}…)` : m.fileName;

function materialsSection(app: Application) {
  const required = workflow().required[app.category] ?? [];
  const byCode = new Map(app.materials.map((m) => [m.code, m]));
  const codes = [...new Set([...required, ...app.materials.map((m) => m.code)])];
  // A file's hash is the auditor's proof; to the applicant and the window it is only a code.
  const hashes = showHashes();
  return section(
    t('materialsSection'),
    table(
      [
        t('field.code'),
        t('state'),
        t('field.fileName'),
        t('field.sizeBytes'),
        ...(hashes ? [t('field.sha256')] : []),
      ],
      codes.map((code) => {
        const m = byCode.get(code);
        return [
          materialName(code),
          m ? `✓ ${t('provided')}` : h('span', { class: 'missing' }, `✗ ${t('missing')}`),
          m?.fileName ?? '—',
          m ? String(m.sizeBytes) : '—',
          ...(hashes ? [m ? h('code', { title: m.sha256 }, `${m.sha256.slice(0, 12)}…`) : '—'] : []),
        ];
      }),
      t('materialsSection'),
    ),
  );
}

/** The materials as first submitted against the resubmission that answered the notice. */
function resubmissionDiff(events: readonly AuditEvent[]) {
  const resubmit = [...events].reverse().find((e) => e.action === 'resubmit');
  const submitAt = events.findIndex((e) => e.action === 'submit');
  if (!resubmit || submitAt < 0) return '';
  const before = new Map<string, Material>();
  for (const e of events.slice(0, submitAt + 1)) {
    const ms = (e.changes?.materials ?? e.payload?.materials) as Material[] | undefined;
    if (Array.isArray(ms)) {
      before.clear();
      for (const m of ms) before.set(m.code, m);
    }
  }
  const after = (resubmit.payload?.materials ?? []) as Material[];
  return section(
    t('diffTitle'),
    table(
      [t('field.code'), t('firstSubmission'), t('resubmission'), t('state')],
      after.map((m) => {
        const old = before.get(m.code);
        const status = !old ? t('added') : old.sha256 === m.sha256 ? t('unchanged') : t('changed');
        return [
          materialName(m.code),
          old ? fileLabel(old) : '—',
          fileLabel(m),
          h('strong', { 'data-diff': status }, status),
        ];
      }),
      t('diffTitle'),
    ),
  );
}

/** The case's trail, each event in words (web/src/timeline.ts): what happened, who, and what changed. */
function timelineSection(events: readonly AuditEvent[], official: boolean, app: Application) {
  return section(
    t('timeline'),
    events.length
      ? h(
          'ol',
          { class: 'timeline' },
          events.map((e) => {
            const words = eventWords(e, official, app);
            return h(
              'li',
              { 'data-action': e.action },
              h('p', {}, h('strong', {}, words.title), words.change ? ` · ${words.change}` : ''),
              h(
                'p',
                { class: 'muted' },
                `${t('tl_seq', { n: e.seq })} · ${dateTime(e.at)} · ${words.who}${
                  e.onBehalfOf
                    ? ` · ${t('onBehalfOf')}${lang() === 'zh' ? '：' : ': '}${e.onBehalfOf.orgName}`
                    : ''
                }`,
              ),
              words.lines.length
                ? h(
                    'ul',
                    { class: 'payload' },
                    words.lines.map((line) => h('li', {}, line)),
                  )
                : '',
            );
          }),
        )
      : h('p', { class: 'muted' }, session()?.role ? t('none') : ''),
  );
}

/** Every stored version of every material, the current one marked, each with a download. */
function versionsSection(app: Application, versions: readonly MaterialVersion[]) {
  const required = workflow().required[app.category] ?? [];
  const groups = groupVersions(versions, [...required, ...app.materials.map((m) => m.code)]);
  return section(
    t('versionsTitle'),
    h('p', { class: 'muted' }, t('versionsHint')),
    groups.length
      ? groups.map(([code, list]) =>
          h(
            'div',
            { class: 'versions', 'data-code': code },
            h('h3', {}, materialName(code)),
            h(
              'ul',
              { class: 'version-list' },
              list.map((v) => versionItem(app, v)),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('noFiles')),
  );
}

function versionItem(app: Application, v: MaterialVersion) {
  const message = h('span', { class: 'download-message', role: 'status' });
  const path = `/applications/${app.id}/materials/${encodeURIComponent(v.code)}?version=${encodeURIComponent(v.uploadId)}`;
  const button = h(
    'button',
    {
      type: 'button',
      class: 'secondary link-button',
      'data-download': v.uploadId,
      'aria-label': `${t('download')} ${v.fileName}`,
    },
    t('download'),
  );
  button.addEventListener('click', async () => {
    if (button.disabled) return;
    button.disabled = true;
    message.textContent = t('downloading');
    try {
      await saveFile(path, v.fileName);
      message.textContent = '';
    } catch (error) {
      message.textContent = `${t('downloadFailed')} ${errorText(error)}`;
    } finally {
      button.disabled = false;
    }
  });
  return h(
    'li',
    {
      class: v.current ? 'version current' : 'version',
      'data-upload': v.uploadId,
      'data-current': String(v.current),
    },
    h(
      'p',
      { class: 'version-head' },
      v.current
        ? h('strong', { class: 'chip chip-on_track' }, t('versionCurrent'))
        : h('span', { class: 'chip' }, t('versionEarlier')),
      ' ',
      h('span', { class: 'version-name' }, v.fileName),
      ' ',
      button,
      ' ',
      message,
    ),
    h(
      'p',
      { class: 'muted version-meta' },
      `${t('fileSize')} ${formatBytes(v.sizeBytes)} · ${t('uploadedAt')} ${dateTime(v.uploadedAt)}`,
      uploaderName(v) ? ` · ${t('uploadedBy')} ${uploaderName(v)}` : '',
      ' · ',
      h(
        'span',
        { 'data-scan': v.scan },
        `${t('scanCol')}${lang() === 'zh' ? '：' : ': '}${tr(scanKey(v), v.scan)}`,
      ),
      showHashes() ? ` · ${t('field.sha256')} ` : '',
      showHashes() ? h('code', { title: v.sha256 }, `${v.sha256.slice(0, 12)}…`) : '',
    ),
  );
}

/** The bureau's written documents of the case, each opened as PDF in a new tab. */
function documentsSection(app: Application, documents: readonly CaseDocument[]) {
  const headers = [t('docKind'), t('docNumber'), t('issuedOn'), t('docFile')];
  const list = documentsTable(app, documents, headers);
  // On a phone each document is a block of labelled lines (styles.css), so every cell says what it is.
  list.classList.add('doc-table');
  for (const row of list.querySelectorAll('tbody tr'))
    row.querySelectorAll('td').forEach((cell, i) => {
      cell.dataset.label = `${headers[i] ?? ''}${lang() === 'zh' ? '：' : ':'}`;
    });
  return section(t('documentsTitle'), list);
}

function documentsTable(app: Application, documents: readonly CaseDocument[], headers: string[]) {
  return table(
    headers,
    documents.map((d) => {
      const message = h('span', { class: 'download-message', role: 'status' });
      const open = d.pending
        ? h('span', { class: 'muted', 'data-pending': 'true' }, t('docPending'))
        : h(
            'span',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'secondary link-button',
                'data-document': d.documentId,
                'aria-label': `${t('openPdf')} ${tr(`doc_${d.kind}`, d.kind)} ${d.number}`,
                onclick: async (event: Event) => {
                  const button = event.currentTarget as HTMLButtonElement;
                  if (button.disabled) return;
                  button.disabled = true;
                  message.textContent = '';
                  try {
                    await openPdf(
                      `/applications/${app.id}/documents/${encodeURIComponent(d.documentId)}`,
                      `${d.number}.pdf`,
                    );
                  } catch (error) {
                    message.textContent = `${t('docOpenFailed')} ${errorText(error)}`;
                  } finally {
                    button.disabled = false;
                  }
                },
              },
              t('openPdf'),
            ),
            ' ',
            h(
              'a',
              { href: verifyHash(d.number), 'aria-label': `${t('verifyIt')} ${d.number}` },
              t('verifyIt'),
            ),
            ' ',
            message,
          );
      return [
        tr(`doc_${d.kind}`, d.kind),
        h('span', { 'data-number': d.number }, d.number),
        h('span', { class: 'doc-date' }, d.issuedOn),
        open,
      ];
    }),
    t('documentsTitle'),
  );
}

const errorText = (error: unknown) =>
  error instanceof ApiProblem
    ? problemMessage(error)
    : error instanceof Error
      ? error.message
      : String(error);
