import { type ActionName, actionNames, actionPayloads } from '../schemas/actions.ts';
import {
  CreateApplicationSchema,
  type UpdateApplicationInput,
  UpdateApplicationSchema,
} from '../schemas/common.ts';
import { parse } from '../schemas/parse.ts';
import { beijingDate, chinaCalendar, type WorkCalendar } from './calendar.ts';
import { pauseClock, resumeClock, stopClock, withNoticePeriods } from './clock.ts';
import { decisionBlock, proposalBlock } from './comments.ts';
import { defaultConfig, materialCodesOf, SEED_CONFIG_VERSION, type WorkflowConfig } from './config.ts';
import { type DocumentRef, type NumberSeries, seriesOf } from './documents.ts';
import {
  ConflictError,
  type FieldIssue,
  ForbiddenError,
  NotFoundError,
  RuleError,
  ValidationError,
} from './errors.ts';
import { withActingOfficial } from './find.ts';
import { type CounterValues, counterId, nextNumber, yearOf } from './numbers.ts';
import { applyChanges } from './replay.ts';
import { ruleIssue } from './rules.ts';
import { systemActorNames } from './system-actors.ts';
import {
  type Actor,
  type ActorRole,
  type Application,
  type Caller,
  type Changes,
  type Notice,
  type OrgRef,
  officialRoles,
  type State,
  terminalStates,
  type UnsignedEvent,
} from './types.ts';
import {
  type ActionDef,
  actionDef,
  type Ctx,
  editableStates,
  isActionName,
  missingMaterials,
} from './workflow.ts';

export interface DecideOptions {
  now: Date;
  requestId: string;
  /** The configuration the application follows (shared/runtime/workflow-config.ts configFor); the seed when absent. */
  config?: WorkflowConfig;
  configVersion?: number;
  calendar?: WorkCalendar;
  /**
   * The document number counters the act reads (countersNeeded), as read before it, by counterId.
   * Absent: read as 0; the commit's condition on the value read then makes a stale one retry.
   */
  counters?: CounterValues;
  /**
   * The application's public comments, as the handler read them: when given, `propose_decision`
   * is refused while the acceptance notice's comment period runs (`comment-period-open`) or while
   * `unanswered` comments have no response (`comments-unanswered`); shared/domain/comments.ts.
   * `period: false` leaves out the first rule.
   */
  comments?: { unanswered: number; period?: boolean };
}

/**
 * A written document an act issues: its ref (in the act's `documents`), and the counter it took
 * its number from, with the value read (the commit moves it to `read + 1` on that condition).
 */
export interface IssuedDocument {
  ref: DocumentRef;
  series: NumberSeries;
  year: number;
  /** The counter's value when read; the document's number is the next. */
  read: number;
}

/** The outcome of one step: the next application, its event (not yet chained), and any public notice. */
export interface Step {
  app: Application;
  event: UnsignedEvent;
  notice?: Notice;
  /** The written document the step issues, if any. */
  issued?: IssuedDocument;
}

function context(actor: Actor, opts: DecideOptions): Ctx {
  return {
    at: opts.now.toISOString(),
    today: beijingDate(opts.now),
    actor,
    config: opts.config ?? defaultConfig,
    configVersion: opts.configVersion ?? SEED_CONFIG_VERSION,
    calendar: opts.calendar ?? chinaCalendar,
  };
}

/** The caller acting under the first of `roles` they hold. */
export function actorFor(caller: Caller, roles: readonly ActorRole[]): Actor | undefined {
  const role = roles.find((r) => caller.roles.includes(r));
  return role ? { id: caller.id, role, name: caller.name } : undefined;
}

export function isOfficial(caller: Caller): boolean {
  return caller.roles.some((r) => (officialRoles as readonly string[]).includes(r));
}

/**
 * Whether the caller owns the application: its creator, or for a walk-in any applicant of the
 * organisation it was taken in for (their token's `custom:orgCode`), never the clerk who typed it.
 */
export function isOwner(app: Application, caller: Caller): boolean {
  if (app.intake) {
    return caller.roles.includes('applicant') && caller.orgCode === app.intake.onBehalfOf.orgCode;
  }
  return app.ownerId === caller.id;
}

/**
 * Whether the caller has a stake in the application: they own it, or it is their own
 * organisation's (their token's `custom:orgCode` is the applicant's), whatever roles they hold.
 * Such a caller takes no official action on it (docs/roles.md#conflict-of-interest).
 */
export function hasConflict(app: Application, caller: Caller): boolean {
  return isOwner(app, caller) || (caller.orgCode !== undefined && caller.orgCode === app.applicant.orgCode);
}

/** An official acting: under an official role, or as the window for a walk-in. */
function actsOfficially(actor: Actor, window: boolean): boolean {
  return window || (officialRoles as readonly string[]).includes(actor.role);
}

function conflictOfInterest(what: string): ForbiddenError {
  return new ForbiddenError(
    'conflict-of-interest',
    `${what}: nobody acts officially on an application they own or that belongs to their own organisation; another official must do it`,
  );
}

/**
 * The window acting for the organisation of a walk-in: a clerk, who may do what the owner may
 * (paper in hand), recorded as the clerk with `onBehalfOf`. Undefined for anything else.
 */
function windowActor(app: Application, caller: Caller): Actor | undefined {
  if (!app.intake || isOwner(app, caller)) return undefined;
  return actorFor(caller, ['clerk']);
}

/** Officials and auditors see every application; an applicant sees only their own. */
export function canSee(app: Application, caller: Caller): boolean {
  return isOfficial(caller) || caller.roles.includes('auditor') || isOwner(app, caller);
}

function whoRefusal(def: ActionDef<ActionName>, app: Application, caller: Caller): string | undefined {
  switch (def.who) {
    case 'owner':
      return isOwner(app, caller) ? undefined : 'only the applicant who owns the application may do this';
    case 'caseOfficer':
      return app.caseOfficerId === caller.id ? undefined : 'only the case officer may do this';
    case 'notProposer':
      return app.proposal?.proposedBy === caller.id ? 'no one may decide on what they proposed' : undefined;
    case 'anyone':
      return undefined;
  }
}

function changesFor(def: ActionDef<ActionName>, app: Application, to: State, applied: Changes, ctx: Ctx) {
  const changes: Changes = { ...applied };
  const clock = changes.clockState ?? app.clockState;
  if (clock && def.clock === 'pause') changes.clockState = pauseClock(clock, ctx.today);
  if (clock && def.clock === 'resume') changes.clockState = resumeClock(clock, ctx.today);
  if (clock && (terminalStates as readonly State[]).includes(to) && !clock.stoppedOn) {
    changes.clockState = stopClock(changes.clockState ?? clock, ctx.today);
  }
  return changes;
}

/** Undefined (removed) fields become null in the event, so that the event is plain JSON. */
function eventChanges(changes: Changes): Record<string, unknown> {
  return Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v === undefined ? null : v]));
}

function step(
  app: Application | undefined,
  action: string,
  actor: Actor,
  to: State,
  payload: unknown,
  changes: Changes,
  ctx: Ctx,
  requestId: string,
  onBehalfOf?: OrgRef,
): Omit<Step, 'notice'> {
  const event: UnsignedEvent = {
    applicationId: app?.id ?? String(changes.id),
    seq: (app?.version ?? 0) + 1,
    action,
    actor,
    ...(onBehalfOf ? { onBehalfOf } : {}),
    at: ctx.at,
    from: app?.state ?? null,
    to,
    payload,
    // The commitment leaves out the public notice periods: the clock notes them as they change.
    // An official acting for the first time is noted: the application is found by their name.
    changes: eventChanges(withNoticePeriods(app, withOfficial(app, actor, changes), ctx.today)),
    requestId,
  };
  return { app: applyChanges(app, event), event };
}

/** The step's changes, and the acting official when they act on it for the first time. */
function withOfficial(app: Application | undefined, actor: Actor, changes: Changes): Changes {
  const officials = withActingOfficial(app, actor);
  return officials ? { ...changes, officials } : changes;
}

/**
 * The workflow's one decision: application + action + caller + payload + time → the next
 * application and its event, or a typed refusal (404 unknown action, 403 role, 409 state,
 * 400 payload, 422 rule).
 */
export function decide(
  app: Application,
  action: string,
  caller: Caller,
  payload: unknown,
  opts: DecideOptions,
): Step {
  if (!isActionName(action)) {
    throw new NotFoundError(
      'unknown-action',
      `There is no action '${action}'. Actions: ${actionNames.join(', ')}`,
    );
  }
  const def = actionDef(action);
  const window = def.who === 'owner' ? windowActor(app, caller) : undefined;
  const actor = window ?? actorFor(caller, def.roles);
  if (!actor) throw new ForbiddenError('wrong-role', `${action} is for the role ${def.roles.join(' or ')}`);
  if (actsOfficially(actor, window !== undefined) && hasConflict(app, caller))
    throw conflictOfInterest(action);
  const who = window ? undefined : whoRefusal(def, app, caller);
  if (who) throw new ForbiddenError(def.who === 'notProposer' ? 'separation-of-duties' : 'not-yours', who);
  if (!def.from.includes(app.state)) {
    throw new ConflictError('not-allowed-in-state', `${action} is not allowed in state ${app.state}`);
  }
  const data = parse(actionPayloads[action], payload === undefined ? {} : payload, `payload of ${action}`);
  const ctx = context(actor, opts);
  checkCodes(data, ctx.config, `payload of ${action}`);
  const guard = def.guard?.(app, ctx);
  if (guard) throw new RuleError('rule', `${action}: ${guard}`);
  const refusal = def.check?.(app, data, ctx);
  if (refusal) {
    throw new RuleError(refusal.type ?? 'rule', `${action}: ${refusal.message}`, {
      issues: [
        refusal.rule
          ? ruleIssue(refusal.path ?? '', refusal.message, refusal.rule, refusal.params)
          : { path: refusal.path ?? '', message: refusal.message },
      ],
    });
  }
  if ((action === 'propose_decision' || action === 'approve' || action === 'reject') && opts.comments) {
    const { unanswered, period = true } = opts.comments;
    const block =
      action === 'propose_decision'
        ? proposalBlock(period ? app : {}, ctx.today, unanswered)
        : decisionBlock(unanswered);
    if (block) {
      throw new RuleError(block.type, `${action}: ${block.message}`, {
        issues: [ruleIssue(block.path, block.message, block.rule, block.params)],
      });
    }
  }
  const to = def.target?.(app, data) ?? def.to[0];
  const applied = changesFor(def, app, to, def.apply(app, data, ctx), ctx);
  const issued = issueDocument(def, app, ctx, opts.counters);
  const changes = issued ? { ...applied, ...issued.changes } : applied;
  const result = step(
    app,
    action,
    actor,
    to,
    data,
    changes,
    ctx,
    opts.requestId,
    window && app.intake?.onBehalfOf,
  );
  const notice = def.notice?.(result.app, ctx);
  return {
    ...result,
    ...(notice ? { notice } : {}),
    ...(issued ? { issued: issued.issued } : {}),
  };
}

/**
 * The document the act issues (the action's `document`): numbered next in its series for the
 * year of today (Beijing), with the prefix of the application's configuration version, appended
 * to `documents`; a decision's number is also `decisionNumber`, a filing receipt's `receiptNumber`.
 */
function issueDocument(
  def: ActionDef<ActionName>,
  app: Application,
  ctx: Ctx,
  counters: CounterValues | undefined,
): { changes: Changes; issued: IssuedDocument } | undefined {
  const kind = def.document?.(app);
  if (!kind) return undefined;
  const series = seriesOf[kind];
  const year = yearOf(ctx.today);
  const { number, read } = nextNumber(ctx.config.numberPrefixes, series, year, counters);
  const seq = app.version + 1;
  const ref: DocumentRef = { documentId: `${kind}-${seq}`, kind, number, issuedOn: ctx.today, seq };
  return {
    changes: {
      documents: [...(app.documents ?? []), ref],
      ...(series === 'decision' ? { decisionNumber: number } : {}),
      ...(kind === 'FILING_RECEIPT' ? { receiptNumber: number } : {}),
    },
    issued: { ref, series, year, read },
  };
}

/**
 * The counters `action` on `app` would take a number from, now (by counterId): read them before
 * deciding and pass their values in `counters`. Empty for an act that issues no document, or an
 * action that does not exist (decide refuses it).
 */
export function countersNeeded(app: Application, action: string, now: Date): string[] {
  if (!isActionName(action)) return [];
  const kind = actionDef(action).document?.(app);
  return kind ? [counterId(seriesOf[kind], yearOf(beijingDate(now)))] : [];
}

/**
 * A step of the system itself (the sweeper) that is no workflow action: it records what it did
 * in the trail like any other step, without changing the state.
 */
export function systemStep(
  app: Application,
  action: string,
  changes: Changes,
  opts: DecideOptions,
  payload: Record<string, unknown> = {},
  /** Who of the system: the sweeper, or the documents function (`issue_document`). */
  actorName: string = systemActorNames.sweeper,
): Step {
  const actor: Actor = { id: 'system', role: 'system', name: actorName };
  return step(app, action, actor, app.state, payload, changes, context(actor, opts), opts.requestId);
}

/**
 * A workflow action's step taken by someone outside its roles: an interested party asking for a
 * hearing through the public route (shared/domain/hearings.ts). The action's states, guard, changes
 * and clock apply as defined; roles and relation do not. The trail records `actor` and
 * `eventPayload` (what the public route took in) rather than `data`. 409 in another state, 422 when
 * the guard refuses.
 */
export function stepOutside(
  app: Application,
  action: ActionName,
  actor: Actor,
  data: unknown,
  opts: DecideOptions,
  eventPayload: Record<string, unknown>,
): Step {
  const def = actionDef(action);
  if (!def.from.includes(app.state)) {
    throw new ConflictError('not-allowed-in-state', `${action} is not allowed in state ${app.state}`);
  }
  const ctx = context(actor, opts);
  const guard = def.guard?.(app, ctx);
  if (guard) throw new RuleError('rule', `${action}: ${guard}`);
  const payload = data as never;
  const to = def.target?.(app, payload) ?? def.to[0];
  const changes = changesFor(def, app, to, def.apply(app, payload, ctx), ctx);
  const result = step(app, action, actor, to, eventPayload, changes, ctx, opts.requestId);
  const notice = def.notice?.(result.app, ctx);
  return { ...result, ...(notice ? { notice } : {}) };
}

/** The actions `caller` may take on `app` now (role, relation, state and payload-free rules). */
export function allowedActions(
  app: Application,
  caller: Caller,
  opts: Omit<DecideOptions, 'requestId'>,
): ActionName[] {
  return actionNames.filter((name) => {
    const def = actionDef(name);
    const window = def.who === 'owner' ? windowActor(app, caller) : undefined;
    const actor = window ?? actorFor(caller, def.roles);
    if (!actor || (!window && whoRefusal(def, app, caller)) || !def.from.includes(app.state)) return false;
    if (actsOfficially(actor, window !== undefined) && hasConflict(app, caller)) return false;
    return !def.guard?.(app, context(actor, { ...opts, requestId: '' }));
  });
}

/** Who may PATCH: the owner as applicant, or the window for a walk-in; in an editable state. */
function editor(app: Application, caller: Caller): Actor | undefined {
  const owner = isOwner(app, caller) ? actorFor(caller, ['applicant']) : undefined;
  return owner ?? windowActor(app, caller);
}

export function canEdit(app: Application, caller: Caller): boolean {
  const actor = editor(app, caller);
  if (!actor || !editableStates.includes(app.state)) return false;
  return !(actor.role === 'clerk' && hasConflict(app, caller));
}

/**
 * The project's facts as the acceptance notice published them: once it is out they no longer
 * change (docs/workflow.md#rules), so that the notice and the decision speak of the same project.
 */
export const frozenFacts = [
  ['project', 'name'],
  ['project', 'location'],
  ['project', 'industry'],
  ['project', 'investmentCny'],
  ['applicant', 'orgName'],
  ['applicant', 'orgCode'],
] as const;

/** 422 facts-frozen naming each fact the edit would change, once the acceptance notice is published. */
function checkFactsFrozen(app: Application, data: UpdateApplicationInput): void {
  const published = app.acceptance?.noticePublishedOn;
  if (!published) return;
  const issues: FieldIssue[] = [];
  for (const [part, field] of frozenFacts) {
    const incoming: unknown = (data[part] as Record<string, unknown> | undefined)?.[field];
    const current: unknown = (app[part] as unknown as Record<string, unknown>)[field];
    if (incoming !== undefined && incoming !== current) {
      issues.push(
        ruleIssue(
          `${part}.${field}`,
          `cannot change after the acceptance notice of ${published}; it stays ${JSON.stringify(current)}`,
          'facts-frozen',
          {
            date: published,
            ...(typeof current === 'string' || typeof current === 'number' ? { current } : {}),
          },
        ),
      );
    }
  }
  if (issues.length > 0) {
    throw new RuleError(
      'facts-frozen',
      `the project's facts were published in the acceptance notice of ${published} and can no longer change: ${issues.map((i) => i.path).join(', ')}`,
      { issues },
    );
  }
}

function checkOrg(caller: Caller, orgCode: string): void {
  if (caller.orgCode === undefined) {
    throw new ForbiddenError('no-organisation', 'your account carries no organisation code (custom:orgCode)');
  }
  if (caller.orgCode !== orgCode) {
    throw new RuleError('org-mismatch', 'applicant.orgCode must be the code of your own organisation', {
      issues: [
        ruleIssue('applicant.orgCode', `your organisation's code is ${caller.orgCode}`, 'own-org', {
          orgCode: caller.orgCode,
        }),
      ],
    });
  }
}

/**
 * Material codes are data (GET /admin/config): the schemas check only their form, this checks each
 * against the application's configuration version, 400 naming the field and the known codes.
 */
function checkCodes(data: object, config: WorkflowConfig, what = 'request body'): void {
  const known = materialCodesOf(config);
  const issues: FieldIssue[] = [];
  for (const list of ['materials', 'items'] as const) {
    const entries: unknown = (data as Record<string, unknown>)[list];
    if (!Array.isArray(entries)) continue;
    entries.forEach((m: { code?: unknown }, i) => {
      if (typeof m.code === 'string' && !known.includes(m.code))
        issues.push(
          ruleIssue(
            `${list}.${i}.code`,
            `unknown material code ${m.code}; known: ${known.join(', ')}`,
            'unknown-material',
            {
              code: m.code,
              known,
            },
          ),
        );
    });
  }
  if (issues.length > 0) {
    throw new ValidationError(`Invalid ${what}: ${issues.map((i) => i.path).join(', ')}`, issues);
  }
}

/** Once submitted, an edit may not drop a required material nor change who is applying. */
function checkSubmittedEdit(app: Application, changes: Changes, config: WorkflowConfig): void {
  if (changes.applicant && changes.applicant.orgCode !== app.applicant.orgCode) {
    throw new RuleError('rule', 'the organisation cannot change after submission', {
      issues: [ruleIssue('applicant.orgCode', 'can be changed only in DRAFT', 'org-fixed')],
    });
  }
  const missing = changes.materials ? missingMaterials({ ...app, materials: changes.materials }, config) : [];
  if (missing.length) {
    throw new RuleError('rule', `required materials missing: ${missing.join(', ')}`, {
      issues: [
        ruleIssue('materials', `required: ${missing.join(', ')}`, 'materials-missing', { codes: missing }),
      ],
    });
  }
}

/**
 * An applicant creates a draft for their own organisation; a clerk creates one for an organisation
 * that came to the window with paper (`onBehalfOf`: a walk-in, owned by that organisation). Who
 * may is decided by whether the body names `onBehalfOf`, before the body is read: an applicant
 * naming it, or a clerk not naming it, is refused (403) whatever else the body holds.
 */
export function createApplication(
  input: unknown,
  caller: Caller,
  opts: DecideOptions & { id: string },
): Step {
  const walkIn = typeof input === 'object' && input !== null && Object.hasOwn(input, 'onBehalfOf');
  const actor = actorFor(caller, walkIn ? ['clerk'] : ['applicant']);
  if (!actor) {
    throw new ForbiddenError(
      'wrong-role',
      walkIn
        ? 'only the window (a clerk) creates an application on behalf of an organisation'
        : 'only applicants create applications; a clerk names the organisation at the window in onBehalfOf',
    );
  }
  const data = parse(CreateApplicationSchema, input);
  const ctx = context(actor, opts);
  checkCodes(data, ctx.config);
  const onBehalfOf = data.onBehalfOf;
  if (onBehalfOf && caller.orgCode === onBehalfOf.orgCode) throw conflictOfInterest('a walk-in');
  if (onBehalfOf) checkWalkInOrg(onBehalfOf, data.applicant.orgCode, 'onBehalfOf.orgCode');
  else checkOrg(caller, data.applicant.orgCode);
  const initial: Changes = {
    id: opts.id,
    category: data.category,
    project: data.project,
    applicant: data.applicant,
    ownerId: caller.id,
    ...(onBehalfOf
      ? { intake: { kind: 'WALK_IN', by: { id: caller.id, name: caller.name }, onBehalfOf } }
      : {}),
    ...(data.preparedBy ? { preparedBy: data.preparedBy } : {}),
    materials: data.materials,
    configVersion: ctx.configVersion,
    milestones: [],
    createdAt: ctx.at,
  };
  return step(undefined, 'create', actor, 'DRAFT', data, initial, ctx, opts.requestId, onBehalfOf);
}

/** A walk-in's applicant is the organisation it was taken in for, from creation on. */
function checkWalkInOrg(onBehalfOf: OrgRef, applicantOrgCode: string, path: string): void {
  if (applicantOrgCode !== onBehalfOf.orgCode) {
    throw new RuleError('org-mismatch', 'a walk-in application is for the organisation at the window', {
      issues: [
        ruleIssue(
          path,
          `onBehalfOf.orgCode ${onBehalfOf.orgCode} and applicant.orgCode must be the same`,
          'walk-in-org',
          { orgCode: onBehalfOf.orgCode },
        ),
      ],
    });
  }
}

/** The owner (or, for a walk-in, the window) edits a draft, or answers a supplement or revision request (PATCH). */
export function editApplication(app: Application, input: unknown, caller: Caller, opts: DecideOptions): Step {
  const actor = editor(app, caller);
  if (!actor) throw new ForbiddenError('not-yours', 'only the owner may edit an application');
  if (actor.role === 'clerk' && hasConflict(app, caller)) throw conflictOfInterest('edit');
  if (!editableStates.includes(app.state)) {
    throw new ConflictError('not-editable', `an application in state ${app.state} cannot be edited`);
  }
  const data = parse(UpdateApplicationSchema, input);
  checkCodes(data, opts.config ?? defaultConfig);
  if (data.category && data.category !== app.category && app.state !== 'DRAFT') {
    throw new RuleError('rule', 'the category can be changed only in DRAFT', {
      issues: [ruleIssue('category', 'can be changed only in DRAFT', 'category-fixed')],
    });
  }
  checkFactsFrozen(app, data);
  const changes: Changes = {};
  if (data.category) changes.category = data.category;
  if (data.project) changes.project = { ...app.project, ...data.project } as Application['project'];
  if (data.applicant) {
    changes.applicant = { ...app.applicant, ...data.applicant } as Application['applicant'];
    if (app.intake) checkWalkInOrg(app.intake.onBehalfOf, changes.applicant.orgCode, 'applicant.orgCode');
    else checkOrg(caller, changes.applicant.orgCode);
  }
  if (data.materials) changes.materials = data.materials;
  // null removes the consultancy named before.
  if (data.preparedBy !== undefined) changes.preparedBy = data.preparedBy ?? undefined;
  if (app.state !== 'DRAFT') checkSubmittedEdit(app, changes, opts.config ?? defaultConfig);
  const onBehalfOf = actor.role === 'clerk' ? app.intake?.onBehalfOf : undefined;
  return step(app, 'edit', actor, app.state, data, changes, context(actor, opts), opts.requestId, onBehalfOf);
}

/**
 * Who may delete a draft: the owner as applicant, or for a walk-in the window clerk who took it in
 * (`intake.by`), not another clerk.
 */
function deleter(app: Application, caller: Caller): Actor | undefined {
  const owner = isOwner(app, caller) ? actorFor(caller, ['applicant']) : undefined;
  if (owner) return owner;
  const window = windowActor(app, caller);
  return window && app.intake?.by.id === caller.id ? window : undefined;
}

/** Whether the application was ever submitted: a date received, a case or receipt number, a document. */
function everSubmitted(app: Application): boolean {
  return (
    app.receivedOn !== undefined ||
    app.caseNumber !== undefined ||
    app.receiptNumber !== undefined ||
    (app.documents?.length ?? 0) > 0
  );
}

/** Whether `caller` may delete `app` now (the console offers the button on this). */
export function canDeleteDraft(app: Application, caller: Caller): boolean {
  const actor = deleter(app, caller);
  if (!actor || app.deletedAt !== undefined || app.state !== 'DRAFT' || everSubmitted(app)) return false;
  return !(actor.role === 'clerk' && hasConflict(app, caller));
}

/**
 * The owner (or the window clerk who took in a walk-in) deletes a draft that was never submitted
 * (DELETE /applications/{id}): the step `delete_draft` sets `deletedAt` and leaves the state as it
 * is, so the trail still replays to the stored item; the store then takes the item off every list.
 * 403 for anyone else, 409 `not-allowed-in-state` once submitted.
 */
export function deleteDraft(app: Application, caller: Caller, opts: DecideOptions): Step {
  const actor = deleter(app, caller);
  if (!actor) {
    throw new ForbiddenError(
      'not-yours',
      app.intake
        ? 'only an applicant of the organisation, or the window clerk who took it in, may delete this draft'
        : 'only the applicant who owns the application may delete it',
    );
  }
  if (actor.role === 'clerk' && hasConflict(app, caller)) throw conflictOfInterest('delete_draft');
  if (app.state !== 'DRAFT' || everSubmitted(app)) {
    throw new ConflictError(
      'not-allowed-in-state',
      app.state !== 'DRAFT'
        ? `delete_draft is not allowed in state ${app.state}: only a draft never submitted can be deleted`
        : 'delete_draft is not allowed: this application was submitted before; it can be withdrawn, not deleted',
    );
  }
  const ctx = context(actor, opts);
  const onBehalfOf = actor.role === 'clerk' ? app.intake?.onBehalfOf : undefined;
  return step(
    app,
    'delete_draft',
    actor,
    app.state,
    {},
    { deletedAt: ctx.at },
    ctx,
    opts.requestId,
    onBehalfOf,
  );
}
