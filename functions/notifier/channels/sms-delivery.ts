import { beijingDate } from '../../../shared/domain/calendar.ts';
import type { Notification, Recipient } from '../../../shared/domain/notifications.ts';
import type { Application } from '../../../shared/domain/types.ts';
import type { DeliveryReport, Directory } from '../notify.ts';
import { ChannelConfigError } from './config.ts';
import { mobileNumber } from './phone.ts';
import type { SmsConfig, SmsSender } from './sms.ts';

/**
 * A notification as text messages: one approved template per notification action (the secret's
 * `templates`, `default` for the actions without their own), always three parameters, in order:
 *   {1} the case number (or, before there is one, the project's name, cut to fit; for the
 *       calendar reminder, the years whose holidays are missing),
 *   {2} what happened, in a few words (SMS_EVENTS),
 *   {3} the date the recipient must act by, or else the day of the step (Beijing).
 * The full text stays in the inbox and on the console: a text only says where to look.
 */
export const SMS_EVENTS: Readonly<Record<Notification['action'], string>> = {
  give_preview_advice: '预审意见已出',
  request_supplement: '需补正材料',
  request_revision: '需修改报告',
  accept: '已受理',
  decline: '不予受理',
  start_expert_review: '专家评审开始',
  record_expert_opinion: '专家意见已出',
  propose_decision: '拟批准公示',
  record_hearing_outcome: '听证结果已录',
  request_hearing: '申请听证',
  schedule_hearing: '听证已安排',
  receive_hearing_request: '收到听证申请',
  approve: '已批准',
  reject: '不予批准',
  mark_due_soon: '办理即将到期',
  mark_overdue: '办理已超期',
  mark_expert_review_elapsed: '专家评审期满',
  calendar_reminder: '节假日未录入',
};

/** Tencent Cloud's cap per variable for accounts without a longer one (error 1036). */
export const DEFAULT_MAX_PARAM_LENGTH = 12;

/** At most `max` characters (not UTF-16 units), with `…` when cut. */
function cut(value: string, max: number): string {
  const chars = [...value];
  return chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * {1}: the case number, or its own code (`LLHS-2026-7F3K2Q9M` → `7F3K2Q9M`) when it is too long;
 * for the calendar reminder, the years whose holidays are missing (`calendar-2027` → `2027`).
 */
function reference(n: Notification, app: Application | undefined, max: number): string {
  if (n.action === 'calendar_reminder') return cut(n.applicationId.replace(/^calendar-/, ''), max);
  const number = app?.caseNumber;
  if (number && number.length <= max) return number;
  const code = number?.split('-').at(-1);
  if (code && code.length <= max) return code;
  return app ? cut(app.project.name, max) : '—';
}

/** {3}: `2026-05-29`, or `5月29日` where ten characters do not fit. */
function dateOf(n: Notification, max: number): string {
  const date = n.deadline ?? beijingDate(n.at);
  if (date.length <= max) return date;
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/** The template and the parameters of a notification; ChannelConfigError when no template is set. */
export function smsTemplate(
  n: Notification,
  app: Application | undefined,
  config: Pick<SmsConfig, 'templates' | 'maxParamLength'>,
): { templateId: string; params: string[] } {
  const templateId = config.templates[n.action] ?? config.templates.default;
  if (templateId === undefined) {
    throw new ChannelConfigError(
      `the notification secret has no SMS template for "${n.action}" and no "default" one (sms.templates)`,
    );
  }
  const max = config.maxParamLength ?? DEFAULT_MAX_PARAM_LENGTH;
  return { templateId, params: [reference(n, app, max), cut(SMS_EVENTS[n.action], max), dateOf(n, max)] };
}

/**
 * The applicant's contact phone on the application, for the recipients that are its owner: the
 * organisation it belongs to, or (not a walk-in) the account that created it.
 */
function applicantPhone(recipient: Recipient, app: Application | undefined): string | undefined {
  if (!app) return undefined;
  const ownerOrg = app.intake?.onBehalfOf.orgCode ?? app.applicant.orgCode;
  const owner =
    (recipient.kind === 'org' && recipient.orgCode === ownerOrg) ||
    (recipient.kind === 'user' && !app.intake && recipient.id === app.ownerId);
  return owner ? mobileNumber(app.applicant.contactPhone) : undefined;
}

/**
 * Texts everyone the notification names who has a mobile number: from the directory (officials,
 * the applicants' accounts, the hearing requesters who left one) and, for the owner, the
 * application's contact phone. A number is texted once however many recipients lead to it. A
 * permanent refusal skips that number (reported by the provider's code, never the number); any
 * other failure throws, and Lambda retries the whole notification.
 */
export async function deliverBySms(
  n: Notification,
  directory: Directory,
  sender: SmsSender,
  config: Pick<SmsConfig, 'templates' | 'maxParamLength'>,
  app: Application | undefined,
): Promise<DeliveryReport> {
  const { templateId, params } = smsTemplate(n, app, config);
  const numbers = new Set<string>();
  const unreachable: Recipient[] = [];
  for (const recipient of n.recipients) {
    const found = [...((await directory.phonesOf?.(recipient)) ?? []), applicantPhone(recipient, app)]
      .map((p) => (p === undefined ? undefined : mobileNumber(p)))
      .filter((p): p is string => p !== undefined);
    if (found.length === 0) unreachable.push(recipient);
    for (const number of found) numbers.add(number);
  }
  let sent = 0;
  const refused: string[] = [];
  for (const to of [...numbers].sort()) {
    try {
      await sender.send({ to, templateId, params });
      sent += 1;
    } catch (error) {
      if ((error as { permanent?: unknown } | null)?.permanent !== true) throw error;
      refused.push((error as { code?: string }).code ?? (error as Error).name);
    }
  }
  return { sent, unreachable, refused };
}
