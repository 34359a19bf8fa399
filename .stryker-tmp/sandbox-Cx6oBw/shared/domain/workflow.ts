// @ts-nocheck
function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
import type { ActionName, PayloadOf } from '../schemas/actions.ts';
import type { IsoDate, WorkCalendar } from './calendar.ts';
import { startClock } from './clock.ts';
import type { WorkflowConfig } from './config.ts';
import { documentNumber } from './numbers.ts';
import { type Actor, type ActorRole, type Application, type Changes, type Material, milestones, type Notice, type State, states, terminalStates } from './types.ts';

/** What an action may read besides the application and its payload. */
export interface Ctx {
  at: string;
  today: IsoDate;
  actor: Actor;
  config: WorkflowConfig;
  calendar: WorkCalendar;
}

/** A rule broken by the payload: the message, and the field it is about. */
export interface Refusal {
  message: string;
  path?: string;
}

/** Which of the allowed roles' holders may act: anyone, the owner, the case officer, or not the proposer. */
export type Who = 'anyone' | 'owner' | 'caseOfficer' | 'notProposer';
export type ClockEffect = 'start' | 'pause' | 'resume';
export interface ActionDef<A extends ActionName> {
  zh: string;
  en: string;
  from: readonly State[];
  /** Every state it can lead to; the first unless `target` says otherwise. */
  to: readonly [State, ...State[]];
  roles: readonly ActorRole[];
  who: Who;
  clock?: ClockEffect;
  /** A rule that does not depend on the payload: when broken, the action is not in allowedActions. */
  guard?: (app: Application, ctx: Ctx) => string | undefined;
  /** A rule about the payload. */
  check?: (app: Application, payload: PayloadOf<A>, ctx: Ctx) => Refusal | undefined;
  target?: (app: Application, payload: PayloadOf<A>) => State;
  /** The fields the action sets; `undefined` removes a field. */
  apply: (app: Application, payload: PayloadOf<A>, ctx: Ctx) => Changes;
  /** The public notice the action publishes, if any. */
  notice?: (app: Application, ctx: Ctx) => Notice | undefined;
}
export const nonTerminalStates = stryMutAct_9fa48("0") ? states : (stryCov_9fa48("0"), states.filter(stryMutAct_9fa48("1") ? () => undefined : (stryCov_9fa48("1"), s => stryMutAct_9fa48("2") ? (terminalStates as readonly State[]).includes(s) : (stryCov_9fa48("2"), !(terminalStates as readonly State[]).includes(s)))));
export const editableStates: readonly State[] = stryMutAct_9fa48("3") ? [] : (stryCov_9fa48("3"), [stryMutAct_9fa48("4") ? "" : (stryCov_9fa48("4"), 'DRAFT'), stryMutAct_9fa48("5") ? "" : (stryCov_9fa48("5"), 'SUPPLEMENT_REQUIRED'), stryMutAct_9fa48("6") ? "" : (stryCov_9fa48("6"), 'REVISION_REQUIRED')]);
export function missingMaterials(app: Pick<Application, 'category' | 'materials'>, config: WorkflowConfig): string[] {
  if (stryMutAct_9fa48("7")) {
    {}
  } else {
    stryCov_9fa48("7");
    const present = new Set(app.materials.map(stryMutAct_9fa48("8") ? () => undefined : (stryCov_9fa48("8"), m => m.code)));
    return stryMutAct_9fa48("9") ? config.required[app.category] : (stryCov_9fa48("9"), config.required[app.category].filter(stryMutAct_9fa48("10") ? () => undefined : (stryCov_9fa48("10"), code => stryMutAct_9fa48("11") ? present.has(code) : (stryCov_9fa48("11"), !present.has(code)))));
  }
}

/** Materials with the same code are replaced; others are added. */
function mergeMaterials(current: Material[], incoming: Material[]): Material[] {
  if (stryMutAct_9fa48("12")) {
    {}
  } else {
    stryCov_9fa48("12");
    const byCode = new Map(current.map(stryMutAct_9fa48("13") ? () => undefined : (stryCov_9fa48("13"), m => stryMutAct_9fa48("14") ? [] : (stryCov_9fa48("14"), [m.code, m]))));
    for (const m of incoming) byCode.set(m.code, m);
    return stryMutAct_9fa48("15") ? [] : (stryCov_9fa48("15"), [...byCode.values()]);
  }
}
function notice(kind: Notice['kind'], app: Application, ctx: Ctx, extra: Partial<Notice> = {}): Notice {
  if (stryMutAct_9fa48("16")) {
    {}
  } else {
    stryCov_9fa48("16");
    return stryMutAct_9fa48("17") ? {} : (stryCov_9fa48("17"), {
      kind,
      applicationId: app.id,
      publishedAt: ctx.at,
      publishedOn: ctx.today,
      category: app.category,
      projectName: app.project.name,
      location: app.project.location,
      industry: app.project.industry,
      orgName: app.applicant.orgName,
      ...extra
    });
  }
}

/** The last day of the window's completeness check (art. 32), counted from (re)submission. */
function completenessDeadline(app: Application, ctx: Ctx): IsoDate {
  if (stryMutAct_9fa48("18")) {
    {}
  } else {
    stryCov_9fa48("18");
    return ctx.calendar.addWorkingDays(stryMutAct_9fa48("19") ? app.receivedOn && ctx.today : (stryCov_9fa48("19"), app.receivedOn ?? ctx.today), ctx.config.completenessCheckDays);
  }
}
const afterNotice = (app: Application, ctx: Ctx): string | undefined => {
  if (stryMutAct_9fa48("20")) {
    {}
  } else {
    stryCov_9fa48("20");
    const ends = stryMutAct_9fa48("21") ? app.proposal.noticeEndsOn : (stryCov_9fa48("21"), app.proposal?.noticeEndsOn);
    if (stryMutAct_9fa48("24") ? false : stryMutAct_9fa48("23") ? true : stryMutAct_9fa48("22") ? ends : (stryCov_9fa48("22", "23", "24"), !ends)) return stryMutAct_9fa48("25") ? "" : (stryCov_9fa48("25"), 'there is no proposed decision on notice');
    return (stryMutAct_9fa48("29") ? ctx.today <= ends : stryMutAct_9fa48("28") ? ctx.today >= ends : stryMutAct_9fa48("27") ? false : stryMutAct_9fa48("26") ? true : (stryCov_9fa48("26", "27", "28", "29"), ctx.today > ends)) ? undefined : stryMutAct_9fa48("30") ? `` : (stryCov_9fa48("30"), `the proposed-decision notice period runs until ${ends}`);
  }
};
type Definition = { [A in ActionName]: ActionDef<A> };

/** The workflow (docs/workflow.md): one declarative table that the API, the console, the README diagram and the tests read. */
export const workflow: Definition = stryMutAct_9fa48("31") ? {} : (stryCov_9fa48("31"), {
  request_preview: stryMutAct_9fa48("32") ? {} : (stryCov_9fa48("32"), {
    zh: stryMutAct_9fa48("33") ? "" : (stryCov_9fa48("33"), '申请预审'),
    en: stryMutAct_9fa48("34") ? "" : (stryCov_9fa48("34"), 'Request a preview'),
    from: stryMutAct_9fa48("35") ? [] : (stryCov_9fa48("35"), [stryMutAct_9fa48("36") ? "" : (stryCov_9fa48("36"), 'DRAFT')]),
    to: stryMutAct_9fa48("37") ? [] : (stryCov_9fa48("37"), [stryMutAct_9fa48("38") ? "" : (stryCov_9fa48("38"), 'PREVIEW_REQUESTED')]),
    roles: stryMutAct_9fa48("39") ? [] : (stryCov_9fa48("39"), [stryMutAct_9fa48("40") ? "" : (stryCov_9fa48("40"), 'applicant')]),
    who: stryMutAct_9fa48("41") ? "" : (stryCov_9fa48("41"), 'owner'),
    apply: stryMutAct_9fa48("42") ? () => undefined : (stryCov_9fa48("42"), (_app, p, ctx) => stryMutAct_9fa48("43") ? {} : (stryCov_9fa48("43"), {
      preview: stryMutAct_9fa48("44") ? {} : (stryCov_9fa48("44"), {
        ...(p.question ? stryMutAct_9fa48("45") ? {} : (stryCov_9fa48("45"), {
          question: p.question
        }) : {}),
        requestedAt: ctx.at
      })
    }))
  }),
  give_preview_advice: stryMutAct_9fa48("46") ? {} : (stryCov_9fa48("46"), {
    zh: stryMutAct_9fa48("47") ? "" : (stryCov_9fa48("47"), '预审意见'),
    en: stryMutAct_9fa48("48") ? "" : (stryCov_9fa48("48"), 'Give preview advice'),
    from: stryMutAct_9fa48("49") ? [] : (stryCov_9fa48("49"), [stryMutAct_9fa48("50") ? "" : (stryCov_9fa48("50"), 'PREVIEW_REQUESTED')]),
    to: stryMutAct_9fa48("51") ? [] : (stryCov_9fa48("51"), [stryMutAct_9fa48("52") ? "" : (stryCov_9fa48("52"), 'DRAFT')]),
    roles: stryMutAct_9fa48("53") ? [] : (stryCov_9fa48("53"), [stryMutAct_9fa48("54") ? "" : (stryCov_9fa48("54"), 'clerk'), stryMutAct_9fa48("55") ? "" : (stryCov_9fa48("55"), 'reviewer')]),
    who: stryMutAct_9fa48("56") ? "" : (stryCov_9fa48("56"), 'anyone'),
    apply: stryMutAct_9fa48("57") ? () => undefined : (stryCov_9fa48("57"), (app, p, ctx) => stryMutAct_9fa48("58") ? {} : (stryCov_9fa48("58"), {
      preview: stryMutAct_9fa48("59") ? {} : (stryCov_9fa48("59"), {
        ...(stryMutAct_9fa48("60") ? app.preview && {
          requestedAt: ctx.at
        } : (stryCov_9fa48("60"), app.preview ?? (stryMutAct_9fa48("61") ? {} : (stryCov_9fa48("61"), {
          requestedAt: ctx.at
        })))),
        advice: p.advice,
        ...(p.suggestedCategory ? stryMutAct_9fa48("62") ? {} : (stryCov_9fa48("62"), {
          suggestedCategory: p.suggestedCategory
        }) : {}),
        advisedBy: ctx.actor.id,
        advisedAt: ctx.at
      })
    }))
  }),
  submit: stryMutAct_9fa48("63") ? {} : (stryCov_9fa48("63"), {
    zh: stryMutAct_9fa48("64") ? "" : (stryCov_9fa48("64"), '提交申请'),
    en: stryMutAct_9fa48("65") ? "" : (stryCov_9fa48("65"), 'Submit'),
    from: stryMutAct_9fa48("66") ? [] : (stryCov_9fa48("66"), [stryMutAct_9fa48("67") ? "" : (stryCov_9fa48("67"), 'DRAFT')]),
    to: stryMutAct_9fa48("68") ? [] : (stryCov_9fa48("68"), [stryMutAct_9fa48("69") ? "" : (stryCov_9fa48("69"), 'SUBMITTED'), stryMutAct_9fa48("70") ? "" : (stryCov_9fa48("70"), 'FILED')]),
    roles: stryMutAct_9fa48("71") ? [] : (stryCov_9fa48("71"), [stryMutAct_9fa48("72") ? "" : (stryCov_9fa48("72"), 'applicant')]),
    who: stryMutAct_9fa48("73") ? "" : (stryCov_9fa48("73"), 'owner'),
    guard: (app, ctx) => {
      if (stryMutAct_9fa48("74")) {
        {}
      } else {
        stryCov_9fa48("74");
        const missing = missingMaterials(app, ctx.config);
        return missing.length ? stryMutAct_9fa48("75") ? `` : (stryCov_9fa48("75"), `required materials missing: ${missing.join(stryMutAct_9fa48("76") ? "" : (stryCov_9fa48("76"), ', '))}`) : undefined;
      }
    },
    target: stryMutAct_9fa48("77") ? () => undefined : (stryCov_9fa48("77"), app => (stryMutAct_9fa48("80") ? app.category !== 'REGISTRATION' : stryMutAct_9fa48("79") ? false : stryMutAct_9fa48("78") ? true : (stryCov_9fa48("78", "79", "80"), app.category === (stryMutAct_9fa48("81") ? "" : (stryCov_9fa48("81"), 'REGISTRATION')))) ? stryMutAct_9fa48("82") ? "" : (stryCov_9fa48("82"), 'FILED') : stryMutAct_9fa48("83") ? "" : (stryCov_9fa48("83"), 'SUBMITTED')),
    apply: stryMutAct_9fa48("84") ? () => undefined : (stryCov_9fa48("84"), (app, _p, ctx) => (stryMutAct_9fa48("87") ? app.category !== 'REGISTRATION' : stryMutAct_9fa48("86") ? false : stryMutAct_9fa48("85") ? true : (stryCov_9fa48("85", "86", "87"), app.category === (stryMutAct_9fa48("88") ? "" : (stryCov_9fa48("88"), 'REGISTRATION')))) ? stryMutAct_9fa48("89") ? {} : (stryCov_9fa48("89"), {
      receiptNumber: documentNumber(stryMutAct_9fa48("90") ? "" : (stryCov_9fa48("90"), 'receipt'), app.id, ctx.today),
      receivedOn: ctx.today
    }) : stryMutAct_9fa48("91") ? {} : (stryCov_9fa48("91"), {
      receivedOn: ctx.today
    })),
    notice: stryMutAct_9fa48("92") ? () => undefined : (stryCov_9fa48("92"), (app, ctx) => (stryMutAct_9fa48("95") ? app.category !== 'REGISTRATION' : stryMutAct_9fa48("94") ? false : stryMutAct_9fa48("93") ? true : (stryCov_9fa48("93", "94", "95"), app.category === (stryMutAct_9fa48("96") ? "" : (stryCov_9fa48("96"), 'REGISTRATION')))) ? notice(stryMutAct_9fa48("97") ? "" : (stryCov_9fa48("97"), 'FILING'), app, ctx, stryMutAct_9fa48("98") ? {} : (stryCov_9fa48("98"), {
      ...(app.receiptNumber ? stryMutAct_9fa48("99") ? {} : (stryCov_9fa48("99"), {
        number: app.receiptNumber
      }) : {})
    })) : undefined)
  }),
  request_supplement: stryMutAct_9fa48("100") ? {} : (stryCov_9fa48("100"), {
    zh: stryMutAct_9fa48("101") ? "" : (stryCov_9fa48("101"), '一次性告知补正'),
    en: stryMutAct_9fa48("102") ? "" : (stryCov_9fa48("102"), 'Request supplement (all-in-one notice)'),
    from: stryMutAct_9fa48("103") ? [] : (stryCov_9fa48("103"), [stryMutAct_9fa48("104") ? "" : (stryCov_9fa48("104"), 'SUBMITTED')]),
    to: stryMutAct_9fa48("105") ? [] : (stryCov_9fa48("105"), [stryMutAct_9fa48("106") ? "" : (stryCov_9fa48("106"), 'SUPPLEMENT_REQUIRED')]),
    roles: stryMutAct_9fa48("107") ? [] : (stryCov_9fa48("107"), [stryMutAct_9fa48("108") ? "" : (stryCov_9fa48("108"), 'clerk')]),
    who: stryMutAct_9fa48("109") ? "" : (stryCov_9fa48("109"), 'anyone'),
    guard: (app, ctx) => {
      if (stryMutAct_9fa48("110")) {
        {}
      } else {
        stryCov_9fa48("110");
        if (stryMutAct_9fa48("112") ? false : stryMutAct_9fa48("111") ? true : (stryCov_9fa48("111", "112"), app.supplement)) return stryMutAct_9fa48("113") ? "" : (stryCov_9fa48("113"), 'the all-in-one supplement notice has already been issued');
        // Art. 32: past the check period the application counts as accepted; no notice can follow.
        const deadline = completenessDeadline(app, ctx);
        return (stryMutAct_9fa48("117") ? ctx.today <= deadline : stryMutAct_9fa48("116") ? ctx.today >= deadline : stryMutAct_9fa48("115") ? false : stryMutAct_9fa48("114") ? true : (stryCov_9fa48("114", "115", "116", "117"), ctx.today > deadline)) ? stryMutAct_9fa48("118") ? `` : (stryCov_9fa48("118"), `the completeness check ended on ${deadline}; the application is deemed accepted`) : undefined;
      }
    },
    check: (_app, p) => {
      if (stryMutAct_9fa48("119")) {
        {}
      } else {
        stryCov_9fa48("119");
        const seen = new Set<string>();
        for (const [i, item] of p.items.entries()) {
          if (stryMutAct_9fa48("120")) {
            {}
          } else {
            stryCov_9fa48("120");
            if (stryMutAct_9fa48("122") ? false : stryMutAct_9fa48("121") ? true : (stryCov_9fa48("121", "122"), seen.has(item.code))) return stryMutAct_9fa48("123") ? {} : (stryCov_9fa48("123"), {
              message: stryMutAct_9fa48("124") ? `` : (stryCov_9fa48("124"), `material ${item.code} is listed twice`),
              path: stryMutAct_9fa48("125") ? `` : (stryCov_9fa48("125"), `items.${i}.code`)
            });
            seen.add(item.code);
          }
        }
        return undefined;
      }
    },
    apply: stryMutAct_9fa48("126") ? () => undefined : (stryCov_9fa48("126"), (_app, p, ctx) => stryMutAct_9fa48("127") ? {} : (stryCov_9fa48("127"), {
      supplement: stryMutAct_9fa48("128") ? {} : (stryCov_9fa48("128"), {
        items: p.items,
        requestedAt: ctx.at,
        requestedBy: ctx.actor.id
      })
    }))
  }),
  resubmit: stryMutAct_9fa48("129") ? {} : (stryCov_9fa48("129"), {
    zh: stryMutAct_9fa48("130") ? "" : (stryCov_9fa48("130"), '补正后重新提交'),
    en: stryMutAct_9fa48("131") ? "" : (stryCov_9fa48("131"), 'Resubmit'),
    from: stryMutAct_9fa48("132") ? [] : (stryCov_9fa48("132"), [stryMutAct_9fa48("133") ? "" : (stryCov_9fa48("133"), 'SUPPLEMENT_REQUIRED')]),
    to: stryMutAct_9fa48("134") ? [] : (stryCov_9fa48("134"), [stryMutAct_9fa48("135") ? "" : (stryCov_9fa48("135"), 'SUBMITTED')]),
    roles: stryMutAct_9fa48("136") ? [] : (stryCov_9fa48("136"), [stryMutAct_9fa48("137") ? "" : (stryCov_9fa48("137"), 'applicant')]),
    who: stryMutAct_9fa48("138") ? "" : (stryCov_9fa48("138"), 'owner'),
    check: (app, p, ctx) => {
      if (stryMutAct_9fa48("139")) {
        {}
      } else {
        stryCov_9fa48("139");
        const answered = new Set(p.materials.map(stryMutAct_9fa48("140") ? () => undefined : (stryCov_9fa48("140"), m => m.code)));
        const unanswered = stryMutAct_9fa48("141") ? (app.supplement?.items ?? []).map(i => i.code) : (stryCov_9fa48("141"), (stryMutAct_9fa48("142") ? app.supplement?.items && [] : (stryCov_9fa48("142"), (stryMutAct_9fa48("143") ? app.supplement.items : (stryCov_9fa48("143"), app.supplement?.items)) ?? (stryMutAct_9fa48("144") ? ["Stryker was here"] : (stryCov_9fa48("144"), [])))).filter(stryMutAct_9fa48("145") ? () => undefined : (stryCov_9fa48("145"), i => stryMutAct_9fa48("146") ? answered.has(i.code) : (stryCov_9fa48("146"), !answered.has(i.code)))).map(stryMutAct_9fa48("147") ? () => undefined : (stryCov_9fa48("147"), i => i.code)));
        if (stryMutAct_9fa48("149") ? false : stryMutAct_9fa48("148") ? true : (stryCov_9fa48("148", "149"), unanswered.length)) return stryMutAct_9fa48("150") ? {} : (stryCov_9fa48("150"), {
          message: stryMutAct_9fa48("151") ? `` : (stryCov_9fa48("151"), `every listed item must be answered; missing: ${unanswered.join(stryMutAct_9fa48("152") ? "" : (stryCov_9fa48("152"), ', '))}`),
          path: stryMutAct_9fa48("153") ? "" : (stryCov_9fa48("153"), 'materials')
        });
        const missing = missingMaterials(stryMutAct_9fa48("154") ? {} : (stryCov_9fa48("154"), {
          ...app,
          materials: mergeMaterials(app.materials, p.materials)
        }), ctx.config);
        if (stryMutAct_9fa48("156") ? false : stryMutAct_9fa48("155") ? true : (stryCov_9fa48("155", "156"), missing.length)) return stryMutAct_9fa48("157") ? {} : (stryCov_9fa48("157"), {
          message: stryMutAct_9fa48("158") ? `` : (stryCov_9fa48("158"), `required materials missing: ${missing.join(stryMutAct_9fa48("159") ? "" : (stryCov_9fa48("159"), ', '))}`),
          path: stryMutAct_9fa48("160") ? "" : (stryCov_9fa48("160"), 'materials')
        });
        return undefined;
      }
    },
    apply: stryMutAct_9fa48("161") ? () => undefined : (stryCov_9fa48("161"), (app, p, ctx) => stryMutAct_9fa48("162") ? {} : (stryCov_9fa48("162"), {
      materials: mergeMaterials(app.materials, p.materials),
      receivedOn: ctx.today,
      ...(app.supplement ? stryMutAct_9fa48("163") ? {} : (stryCov_9fa48("163"), {
        supplement: stryMutAct_9fa48("164") ? {} : (stryCov_9fa48("164"), {
          ...app.supplement,
          answeredAt: ctx.at
        })
      }) : {})
    }))
  }),
  accept: stryMutAct_9fa48("165") ? {} : (stryCov_9fa48("165"), {
    zh: stryMutAct_9fa48("166") ? "" : (stryCov_9fa48("166"), '受理'),
    en: stryMutAct_9fa48("167") ? "" : (stryCov_9fa48("167"), 'Accept'),
    from: stryMutAct_9fa48("168") ? [] : (stryCov_9fa48("168"), [stryMutAct_9fa48("169") ? "" : (stryCov_9fa48("169"), 'SUBMITTED')]),
    to: stryMutAct_9fa48("170") ? [] : (stryCov_9fa48("170"), [stryMutAct_9fa48("171") ? "" : (stryCov_9fa48("171"), 'ACCEPTED')]),
    roles: stryMutAct_9fa48("172") ? [] : (stryCov_9fa48("172"), [stryMutAct_9fa48("173") ? "" : (stryCov_9fa48("173"), 'clerk'), stryMutAct_9fa48("174") ? "" : (stryCov_9fa48("174"), 'system')]),
    who: stryMutAct_9fa48("175") ? "" : (stryCov_9fa48("175"), 'anyone'),
    clock: stryMutAct_9fa48("176") ? "" : (stryCov_9fa48("176"), 'start'),
    guard: (app, ctx) => {
      if (stryMutAct_9fa48("177")) {
        {}
      } else {
        stryCov_9fa48("177");
        if (stryMutAct_9fa48("180") ? app.category !== 'REGISTRATION' : stryMutAct_9fa48("179") ? false : stryMutAct_9fa48("178") ? true : (stryCov_9fa48("178", "179", "180"), app.category === (stryMutAct_9fa48("181") ? "" : (stryCov_9fa48("181"), 'REGISTRATION')))) return stryMutAct_9fa48("182") ? "" : (stryCov_9fa48("182"), 'a registration form is filed, not accepted');
        if (stryMutAct_9fa48("185") ? ctx.actor.role === 'system' : stryMutAct_9fa48("184") ? false : stryMutAct_9fa48("183") ? true : (stryCov_9fa48("183", "184", "185"), ctx.actor.role !== (stryMutAct_9fa48("186") ? "" : (stryCov_9fa48("186"), 'system')))) return undefined;
        // Deemed acceptance (art. 32): only once the window's completeness-check days have passed.
        const deadline = completenessDeadline(app, ctx);
        return (stryMutAct_9fa48("190") ? ctx.today <= deadline : stryMutAct_9fa48("189") ? ctx.today >= deadline : stryMutAct_9fa48("188") ? false : stryMutAct_9fa48("187") ? true : (stryCov_9fa48("187", "188", "189", "190"), ctx.today > deadline)) ? undefined : stryMutAct_9fa48("191") ? `` : (stryCov_9fa48("191"), `the window may still check completeness until ${deadline}`);
      }
    },
    apply: (app, _p, ctx) => {
      if (stryMutAct_9fa48("192")) {
        {}
      } else {
        stryCov_9fa48("192");
        const category = (stryMutAct_9fa48("195") ? app.category !== 'REGISTRATION' : stryMutAct_9fa48("194") ? false : stryMutAct_9fa48("193") ? true : (stryCov_9fa48("193", "194", "195"), app.category === (stryMutAct_9fa48("196") ? "" : (stryCov_9fa48("196"), 'REGISTRATION')))) ? stryMutAct_9fa48("197") ? "" : (stryCov_9fa48("197"), 'REPORT_FORM') : app.category;
        const limit = ctx.config.limits[category];
        // Past the check period the law deems it accepted on receipt, whoever records the acceptance:
        // the clock counts from the receipt date, not from the day someone noticed.
        const deemed = stryMutAct_9fa48("200") ? ctx.actor.role === 'system' && ctx.today > completenessDeadline(app, ctx) : stryMutAct_9fa48("199") ? false : stryMutAct_9fa48("198") ? true : (stryCov_9fa48("198", "199", "200"), (stryMutAct_9fa48("202") ? ctx.actor.role !== 'system' : stryMutAct_9fa48("201") ? false : (stryCov_9fa48("201", "202"), ctx.actor.role === (stryMutAct_9fa48("203") ? "" : (stryCov_9fa48("203"), 'system')))) || (stryMutAct_9fa48("206") ? ctx.today <= completenessDeadline(app, ctx) : stryMutAct_9fa48("205") ? ctx.today >= completenessDeadline(app, ctx) : stryMutAct_9fa48("204") ? false : (stryCov_9fa48("204", "205", "206"), ctx.today > completenessDeadline(app, ctx))));
        const startedOn = deemed ? stryMutAct_9fa48("207") ? app.receivedOn && ctx.today : (stryCov_9fa48("207"), app.receivedOn ?? ctx.today) : ctx.today;
        return stryMutAct_9fa48("208") ? {} : (stryCov_9fa48("208"), {
          caseNumber: documentNumber(stryMutAct_9fa48("209") ? "" : (stryCov_9fa48("209"), 'case'), app.id, ctx.today),
          clockState: startClock(stryMutAct_9fa48("210") ? {} : (stryCov_9fa48("210"), {
            startedOn,
            ...limit
          })),
          acceptance: stryMutAct_9fa48("211") ? {} : (stryCov_9fa48("211"), {
            acceptedOn: startedOn,
            deemed,
            noticePublishedOn: ctx.today,
            commentEndsOn: ctx.calendar.addWorkingDays(ctx.today, ctx.config.commentDays[category])
          })
        });
      }
    },
    notice: stryMutAct_9fa48("212") ? () => undefined : (stryCov_9fa48("212"), (app, ctx) => notice(stryMutAct_9fa48("213") ? "" : (stryCov_9fa48("213"), 'ACCEPTANCE'), app, ctx, stryMutAct_9fa48("214") ? {} : (stryCov_9fa48("214"), {
      ...(app.caseNumber ? stryMutAct_9fa48("215") ? {} : (stryCov_9fa48("215"), {
        number: app.caseNumber
      }) : {}),
      ...(app.acceptance ? stryMutAct_9fa48("216") ? {} : (stryCov_9fa48("216"), {
        endsOn: app.acceptance.commentEndsOn
      }) : {})
    })))
  }),
  decline: stryMutAct_9fa48("217") ? {} : (stryCov_9fa48("217"), {
    zh: stryMutAct_9fa48("218") ? "" : (stryCov_9fa48("218"), '不予受理'),
    en: stryMutAct_9fa48("219") ? "" : (stryCov_9fa48("219"), 'Decline'),
    from: stryMutAct_9fa48("220") ? [] : (stryCov_9fa48("220"), [stryMutAct_9fa48("221") ? "" : (stryCov_9fa48("221"), 'SUBMITTED')]),
    to: stryMutAct_9fa48("222") ? [] : (stryCov_9fa48("222"), [stryMutAct_9fa48("223") ? "" : (stryCov_9fa48("223"), 'NOT_ACCEPTED')]),
    roles: stryMutAct_9fa48("224") ? [] : (stryCov_9fa48("224"), [stryMutAct_9fa48("225") ? "" : (stryCov_9fa48("225"), 'clerk')]),
    who: stryMutAct_9fa48("226") ? "" : (stryCov_9fa48("226"), 'anyone'),
    // Like the supplement notice: past the check period the application counts as accepted.
    guard: (app, ctx) => {
      if (stryMutAct_9fa48("227")) {
        {}
      } else {
        stryCov_9fa48("227");
        const deadline = completenessDeadline(app, ctx);
        return (stryMutAct_9fa48("231") ? ctx.today <= deadline : stryMutAct_9fa48("230") ? ctx.today >= deadline : stryMutAct_9fa48("229") ? false : stryMutAct_9fa48("228") ? true : (stryCov_9fa48("228", "229", "230", "231"), ctx.today > deadline)) ? stryMutAct_9fa48("232") ? `` : (stryCov_9fa48("232"), `the completeness check ended on ${deadline}; the application is deemed accepted`) : undefined;
      }
    },
    apply: stryMutAct_9fa48("233") ? () => undefined : (stryCov_9fa48("233"), (_app, p) => stryMutAct_9fa48("234") ? {} : (stryCov_9fa48("234"), {
      declineReason: p.reason
    }))
  }),
  start_review: stryMutAct_9fa48("235") ? {} : (stryCov_9fa48("235"), {
    zh: stryMutAct_9fa48("236") ? "" : (stryCov_9fa48("236"), '开始审查'),
    en: stryMutAct_9fa48("237") ? "" : (stryCov_9fa48("237"), 'Start review'),
    from: stryMutAct_9fa48("238") ? [] : (stryCov_9fa48("238"), [stryMutAct_9fa48("239") ? "" : (stryCov_9fa48("239"), 'ACCEPTED')]),
    to: stryMutAct_9fa48("240") ? [] : (stryCov_9fa48("240"), [stryMutAct_9fa48("241") ? "" : (stryCov_9fa48("241"), 'UNDER_REVIEW')]),
    roles: stryMutAct_9fa48("242") ? [] : (stryCov_9fa48("242"), [stryMutAct_9fa48("243") ? "" : (stryCov_9fa48("243"), 'reviewer')]),
    who: stryMutAct_9fa48("244") ? "" : (stryCov_9fa48("244"), 'anyone'),
    apply: stryMutAct_9fa48("245") ? () => undefined : (stryCov_9fa48("245"), (_app, _p, ctx) => stryMutAct_9fa48("246") ? {} : (stryCov_9fa48("246"), {
      caseOfficerId: ctx.actor.id
    }))
  }),
  start_expert_review: stryMutAct_9fa48("247") ? {} : (stryCov_9fa48("247"), {
    zh: stryMutAct_9fa48("248") ? "" : (stryCov_9fa48("248"), '组织专家评审'),
    en: stryMutAct_9fa48("249") ? "" : (stryCov_9fa48("249"), 'Start expert review'),
    from: stryMutAct_9fa48("250") ? [] : (stryCov_9fa48("250"), [stryMutAct_9fa48("251") ? "" : (stryCov_9fa48("251"), 'UNDER_REVIEW')]),
    to: stryMutAct_9fa48("252") ? [] : (stryCov_9fa48("252"), [stryMutAct_9fa48("253") ? "" : (stryCov_9fa48("253"), 'EXPERT_REVIEW')]),
    roles: stryMutAct_9fa48("254") ? [] : (stryCov_9fa48("254"), [stryMutAct_9fa48("255") ? "" : (stryCov_9fa48("255"), 'reviewer')]),
    who: stryMutAct_9fa48("256") ? "" : (stryCov_9fa48("256"), 'caseOfficer'),
    clock: stryMutAct_9fa48("257") ? "" : (stryCov_9fa48("257"), 'pause'),
    apply: stryMutAct_9fa48("258") ? () => undefined : (stryCov_9fa48("258"), (_app, p, ctx) => stryMutAct_9fa48("259") ? {} : (stryCov_9fa48("259"), {
      expertReview: stryMutAct_9fa48("260") ? {} : (stryCov_9fa48("260"), {
        expectedWorkingDays: p.expectedWorkingDays,
        ...(p.panel ? stryMutAct_9fa48("261") ? {} : (stryCov_9fa48("261"), {
          panel: p.panel
        }) : {}),
        startedAt: ctx.at
      })
    }))
  }),
  record_expert_opinion: stryMutAct_9fa48("262") ? {} : (stryCov_9fa48("262"), {
    zh: stryMutAct_9fa48("263") ? "" : (stryCov_9fa48("263"), '记录专家意见'),
    en: stryMutAct_9fa48("264") ? "" : (stryCov_9fa48("264"), 'Record expert opinion'),
    from: stryMutAct_9fa48("265") ? [] : (stryCov_9fa48("265"), [stryMutAct_9fa48("266") ? "" : (stryCov_9fa48("266"), 'EXPERT_REVIEW')]),
    to: stryMutAct_9fa48("267") ? [] : (stryCov_9fa48("267"), [stryMutAct_9fa48("268") ? "" : (stryCov_9fa48("268"), 'UNDER_REVIEW')]),
    roles: stryMutAct_9fa48("269") ? [] : (stryCov_9fa48("269"), [stryMutAct_9fa48("270") ? "" : (stryCov_9fa48("270"), 'reviewer')]),
    who: stryMutAct_9fa48("271") ? "" : (stryCov_9fa48("271"), 'caseOfficer'),
    clock: stryMutAct_9fa48("272") ? "" : (stryCov_9fa48("272"), 'resume'),
    apply: stryMutAct_9fa48("273") ? () => undefined : (stryCov_9fa48("273"), (app, p, ctx) => stryMutAct_9fa48("274") ? {} : (stryCov_9fa48("274"), {
      expertReview: stryMutAct_9fa48("275") ? {} : (stryCov_9fa48("275"), {
        ...(stryMutAct_9fa48("276") ? app.expertReview && {
          expectedWorkingDays: 0,
          startedAt: ctx.at
        } : (stryCov_9fa48("276"), app.expertReview ?? (stryMutAct_9fa48("277") ? {} : (stryCov_9fa48("277"), {
          expectedWorkingDays: 0,
          startedAt: ctx.at
        })))),
        opinion: p.opinion,
        conclusion: p.conclusion,
        recordedAt: ctx.at
      })
    }))
  }),
  request_revision: stryMutAct_9fa48("278") ? {} : (stryCov_9fa48("278"), {
    zh: stryMutAct_9fa48("279") ? "" : (stryCov_9fa48("279"), '要求修改'),
    en: stryMutAct_9fa48("280") ? "" : (stryCov_9fa48("280"), 'Request revision'),
    from: stryMutAct_9fa48("281") ? [] : (stryCov_9fa48("281"), [stryMutAct_9fa48("282") ? "" : (stryCov_9fa48("282"), 'UNDER_REVIEW')]),
    to: stryMutAct_9fa48("283") ? [] : (stryCov_9fa48("283"), [stryMutAct_9fa48("284") ? "" : (stryCov_9fa48("284"), 'REVISION_REQUIRED')]),
    roles: stryMutAct_9fa48("285") ? [] : (stryCov_9fa48("285"), [stryMutAct_9fa48("286") ? "" : (stryCov_9fa48("286"), 'reviewer')]),
    who: stryMutAct_9fa48("287") ? "" : (stryCov_9fa48("287"), 'caseOfficer'),
    clock: stryMutAct_9fa48("288") ? "" : (stryCov_9fa48("288"), 'pause'),
    apply: stryMutAct_9fa48("289") ? () => undefined : (stryCov_9fa48("289"), (_app, p, ctx) => stryMutAct_9fa48("290") ? {} : (stryCov_9fa48("290"), {
      revision: stryMutAct_9fa48("291") ? {} : (stryCov_9fa48("291"), {
        items: p.items,
        requestedAt: ctx.at,
        requestedBy: ctx.actor.id
      })
    }))
  }),
  submit_revision: stryMutAct_9fa48("292") ? {} : (stryCov_9fa48("292"), {
    zh: stryMutAct_9fa48("293") ? "" : (stryCov_9fa48("293"), '提交修改稿'),
    en: stryMutAct_9fa48("294") ? "" : (stryCov_9fa48("294"), 'Submit revision'),
    from: stryMutAct_9fa48("295") ? [] : (stryCov_9fa48("295"), [stryMutAct_9fa48("296") ? "" : (stryCov_9fa48("296"), 'REVISION_REQUIRED')]),
    to: stryMutAct_9fa48("297") ? [] : (stryCov_9fa48("297"), [stryMutAct_9fa48("298") ? "" : (stryCov_9fa48("298"), 'UNDER_REVIEW')]),
    roles: stryMutAct_9fa48("299") ? [] : (stryCov_9fa48("299"), [stryMutAct_9fa48("300") ? "" : (stryCov_9fa48("300"), 'applicant')]),
    who: stryMutAct_9fa48("301") ? "" : (stryCov_9fa48("301"), 'owner'),
    clock: stryMutAct_9fa48("302") ? "" : (stryCov_9fa48("302"), 'resume'),
    apply: stryMutAct_9fa48("303") ? () => undefined : (stryCov_9fa48("303"), (app, p, ctx) => stryMutAct_9fa48("304") ? {} : (stryCov_9fa48("304"), {
      ...(p.materials ? stryMutAct_9fa48("305") ? {} : (stryCov_9fa48("305"), {
        materials: mergeMaterials(app.materials, p.materials)
      }) : {}),
      ...(app.revision ? stryMutAct_9fa48("306") ? {} : (stryCov_9fa48("306"), {
        revision: stryMutAct_9fa48("307") ? {} : (stryCov_9fa48("307"), {
          ...app.revision,
          response: p.response,
          respondedAt: ctx.at
        })
      }) : {})
    }))
  }),
  propose_decision: stryMutAct_9fa48("308") ? {} : (stryCov_9fa48("308"), {
    zh: stryMutAct_9fa48("309") ? "" : (stryCov_9fa48("309"), '拟作出决定'),
    en: stryMutAct_9fa48("310") ? "" : (stryCov_9fa48("310"), 'Propose decision'),
    from: stryMutAct_9fa48("311") ? [] : (stryCov_9fa48("311"), [stryMutAct_9fa48("312") ? "" : (stryCov_9fa48("312"), 'UNDER_REVIEW')]),
    to: stryMutAct_9fa48("313") ? [] : (stryCov_9fa48("313"), [stryMutAct_9fa48("314") ? "" : (stryCov_9fa48("314"), 'PUBLIC_NOTICE')]),
    roles: stryMutAct_9fa48("315") ? [] : (stryCov_9fa48("315"), [stryMutAct_9fa48("316") ? "" : (stryCov_9fa48("316"), 'reviewer')]),
    who: stryMutAct_9fa48("317") ? "" : (stryCov_9fa48("317"), 'caseOfficer'),
    check: stryMutAct_9fa48("318") ? () => undefined : (stryCov_9fa48("318"), (_app, p) => (stryMutAct_9fa48("321") ? p.proposal === 'reject' || !p.reasons?.length : stryMutAct_9fa48("320") ? false : stryMutAct_9fa48("319") ? true : (stryCov_9fa48("319", "320", "321"), (stryMutAct_9fa48("323") ? p.proposal !== 'reject' : stryMutAct_9fa48("322") ? true : (stryCov_9fa48("322", "323"), p.proposal === (stryMutAct_9fa48("324") ? "" : (stryCov_9fa48("324"), 'reject')))) && (stryMutAct_9fa48("325") ? p.reasons?.length : (stryCov_9fa48("325"), !(stryMutAct_9fa48("326") ? p.reasons.length : (stryCov_9fa48("326"), p.reasons?.length)))))) ? stryMutAct_9fa48("327") ? {} : (stryCov_9fa48("327"), {
      message: stryMutAct_9fa48("328") ? "" : (stryCov_9fa48("328"), 'a proposal to reject needs reasons'),
      path: stryMutAct_9fa48("329") ? "" : (stryCov_9fa48("329"), 'reasons')
    }) : undefined),
    apply: stryMutAct_9fa48("330") ? () => undefined : (stryCov_9fa48("330"), (_app, p, ctx) => stryMutAct_9fa48("331") ? {} : (stryCov_9fa48("331"), {
      proposal: stryMutAct_9fa48("332") ? {} : (stryCov_9fa48("332"), {
        proposal: p.proposal,
        ...(p.conditions ? stryMutAct_9fa48("333") ? {} : (stryCov_9fa48("333"), {
          conditions: p.conditions
        }) : {}),
        ...(p.reasons ? stryMutAct_9fa48("334") ? {} : (stryCov_9fa48("334"), {
          reasons: p.reasons
        }) : {}),
        proposedBy: ctx.actor.id,
        proposedAt: ctx.at,
        noticeStartsOn: ctx.today,
        noticeEndsOn: ctx.calendar.addWorkingDays(ctx.today, ctx.config.proposedDecisionNoticeDays),
        hearingDeadline: ctx.calendar.addWorkingDays(ctx.today, ctx.config.hearingRequestDays)
      })
    })),
    notice: stryMutAct_9fa48("335") ? () => undefined : (stryCov_9fa48("335"), (app, ctx) => notice(stryMutAct_9fa48("336") ? "" : (stryCov_9fa48("336"), 'PROPOSED_DECISION'), app, ctx, stryMutAct_9fa48("337") ? {} : (stryCov_9fa48("337"), {
      ...(app.caseNumber ? stryMutAct_9fa48("338") ? {} : (stryCov_9fa48("338"), {
        number: app.caseNumber
      }) : {}),
      ...(app.proposal ? stryMutAct_9fa48("339") ? {} : (stryCov_9fa48("339"), {
        endsOn: app.proposal.noticeEndsOn,
        outcome: app.proposal.proposal,
        ...(app.proposal.conditions ? stryMutAct_9fa48("340") ? {} : (stryCov_9fa48("340"), {
          conditions: app.proposal.conditions
        }) : {}),
        ...(app.proposal.reasons ? stryMutAct_9fa48("341") ? {} : (stryCov_9fa48("341"), {
          reasons: app.proposal.reasons
        }) : {})
      }) : {})
    })))
  }),
  approve: stryMutAct_9fa48("342") ? {} : (stryCov_9fa48("342"), {
    zh: stryMutAct_9fa48("343") ? "" : (stryCov_9fa48("343"), '批准'),
    en: stryMutAct_9fa48("344") ? "" : (stryCov_9fa48("344"), 'Approve'),
    from: stryMutAct_9fa48("345") ? [] : (stryCov_9fa48("345"), [stryMutAct_9fa48("346") ? "" : (stryCov_9fa48("346"), 'PUBLIC_NOTICE')]),
    to: stryMutAct_9fa48("347") ? [] : (stryCov_9fa48("347"), [stryMutAct_9fa48("348") ? "" : (stryCov_9fa48("348"), 'APPROVED')]),
    roles: stryMutAct_9fa48("349") ? [] : (stryCov_9fa48("349"), [stryMutAct_9fa48("350") ? "" : (stryCov_9fa48("350"), 'approver')]),
    who: stryMutAct_9fa48("351") ? "" : (stryCov_9fa48("351"), 'notProposer'),
    guard: stryMutAct_9fa48("352") ? () => undefined : (stryCov_9fa48("352"), (app, ctx) => (stryMutAct_9fa48("355") ? app.proposal?.proposal === 'approve' : stryMutAct_9fa48("354") ? false : stryMutAct_9fa48("353") ? true : (stryCov_9fa48("353", "354", "355"), (stryMutAct_9fa48("356") ? app.proposal.proposal : (stryCov_9fa48("356"), app.proposal?.proposal)) !== (stryMutAct_9fa48("357") ? "" : (stryCov_9fa48("357"), 'approve')))) ? stryMutAct_9fa48("358") ? "" : (stryCov_9fa48("358"), 'approval was not proposed') : afterNotice(app, ctx)),
    apply: (app, p, ctx) => {
      if (stryMutAct_9fa48("359")) {
        {}
      } else {
        stryCov_9fa48("359");
        // The approver may restate the conditions; otherwise the proposed ones stand.
        const conditions = stryMutAct_9fa48("360") ? p.conditions && app.proposal?.conditions : (stryCov_9fa48("360"), p.conditions ?? (stryMutAct_9fa48("361") ? app.proposal.conditions : (stryCov_9fa48("361"), app.proposal?.conditions)));
        return stryMutAct_9fa48("362") ? {} : (stryCov_9fa48("362"), {
          decisionNumber: documentNumber(stryMutAct_9fa48("363") ? "" : (stryCov_9fa48("363"), 'decision'), app.id, ctx.today),
          decision: stryMutAct_9fa48("364") ? {} : (stryCov_9fa48("364"), {
            outcome: stryMutAct_9fa48("365") ? "" : (stryCov_9fa48("365"), 'APPROVED'),
            ...(conditions ? stryMutAct_9fa48("366") ? {} : (stryCov_9fa48("366"), {
              conditions
            }) : {}),
            decidedBy: ctx.actor.id,
            decidedAt: ctx.at
          })
        });
      }
    },
    notice: stryMutAct_9fa48("367") ? () => undefined : (stryCov_9fa48("367"), (app, ctx) => notice(stryMutAct_9fa48("368") ? "" : (stryCov_9fa48("368"), 'DECISION'), app, ctx, stryMutAct_9fa48("369") ? {} : (stryCov_9fa48("369"), {
      outcome: stryMutAct_9fa48("370") ? "" : (stryCov_9fa48("370"), 'APPROVED'),
      ...(app.decisionNumber ? stryMutAct_9fa48("371") ? {} : (stryCov_9fa48("371"), {
        number: app.decisionNumber
      }) : {}),
      ...((stryMutAct_9fa48("372") ? app.decision.conditions : (stryCov_9fa48("372"), app.decision?.conditions)) ? stryMutAct_9fa48("373") ? {} : (stryCov_9fa48("373"), {
        conditions: app.decision.conditions
      }) : {})
    })))
  }),
  reject: stryMutAct_9fa48("374") ? {} : (stryCov_9fa48("374"), {
    zh: stryMutAct_9fa48("375") ? "" : (stryCov_9fa48("375"), '不予批准'),
    en: stryMutAct_9fa48("376") ? "" : (stryCov_9fa48("376"), 'Reject'),
    from: stryMutAct_9fa48("377") ? [] : (stryCov_9fa48("377"), [stryMutAct_9fa48("378") ? "" : (stryCov_9fa48("378"), 'PUBLIC_NOTICE')]),
    to: stryMutAct_9fa48("379") ? [] : (stryCov_9fa48("379"), [stryMutAct_9fa48("380") ? "" : (stryCov_9fa48("380"), 'REJECTED')]),
    roles: stryMutAct_9fa48("381") ? [] : (stryCov_9fa48("381"), [stryMutAct_9fa48("382") ? "" : (stryCov_9fa48("382"), 'approver')]),
    who: stryMutAct_9fa48("383") ? "" : (stryCov_9fa48("383"), 'notProposer'),
    guard: afterNotice,
    apply: stryMutAct_9fa48("384") ? () => undefined : (stryCov_9fa48("384"), (app, p, ctx) => stryMutAct_9fa48("385") ? {} : (stryCov_9fa48("385"), {
      decisionNumber: documentNumber(stryMutAct_9fa48("386") ? "" : (stryCov_9fa48("386"), 'decision'), app.id, ctx.today),
      decision: stryMutAct_9fa48("387") ? {} : (stryCov_9fa48("387"), {
        outcome: stryMutAct_9fa48("388") ? "" : (stryCov_9fa48("388"), 'REJECTED'),
        reasons: p.reasons,
        decidedBy: ctx.actor.id,
        decidedAt: ctx.at
      })
    })),
    notice: stryMutAct_9fa48("389") ? () => undefined : (stryCov_9fa48("389"), (app, ctx) => notice(stryMutAct_9fa48("390") ? "" : (stryCov_9fa48("390"), 'DECISION'), app, ctx, stryMutAct_9fa48("391") ? {} : (stryCov_9fa48("391"), {
      outcome: stryMutAct_9fa48("392") ? "" : (stryCov_9fa48("392"), 'REJECTED'),
      ...(app.decisionNumber ? stryMutAct_9fa48("393") ? {} : (stryCov_9fa48("393"), {
        number: app.decisionNumber
      }) : {}),
      ...((stryMutAct_9fa48("394") ? app.decision.reasons : (stryCov_9fa48("394"), app.decision?.reasons)) ? stryMutAct_9fa48("395") ? {} : (stryCov_9fa48("395"), {
        reasons: app.decision.reasons
      }) : {})
    })))
  }),
  return_to_review: stryMutAct_9fa48("396") ? {} : (stryCov_9fa48("396"), {
    zh: stryMutAct_9fa48("397") ? "" : (stryCov_9fa48("397"), '退回审查'),
    en: stryMutAct_9fa48("398") ? "" : (stryCov_9fa48("398"), 'Return to review'),
    from: stryMutAct_9fa48("399") ? [] : (stryCov_9fa48("399"), [stryMutAct_9fa48("400") ? "" : (stryCov_9fa48("400"), 'PUBLIC_NOTICE')]),
    to: stryMutAct_9fa48("401") ? [] : (stryCov_9fa48("401"), [stryMutAct_9fa48("402") ? "" : (stryCov_9fa48("402"), 'UNDER_REVIEW')]),
    roles: stryMutAct_9fa48("403") ? [] : (stryCov_9fa48("403"), [stryMutAct_9fa48("404") ? "" : (stryCov_9fa48("404"), 'approver')]),
    who: stryMutAct_9fa48("405") ? "" : (stryCov_9fa48("405"), 'anyone'),
    apply: stryMutAct_9fa48("406") ? () => undefined : (stryCov_9fa48("406"), () => stryMutAct_9fa48("407") ? {} : (stryCov_9fa48("407"), {
      proposal: undefined
    }))
  }),
  request_hearing: stryMutAct_9fa48("408") ? {} : (stryCov_9fa48("408"), {
    zh: stryMutAct_9fa48("409") ? "" : (stryCov_9fa48("409"), '申请听证'),
    en: stryMutAct_9fa48("410") ? "" : (stryCov_9fa48("410"), 'Request a hearing'),
    from: stryMutAct_9fa48("411") ? [] : (stryCov_9fa48("411"), [stryMutAct_9fa48("412") ? "" : (stryCov_9fa48("412"), 'PUBLIC_NOTICE')]),
    to: stryMutAct_9fa48("413") ? [] : (stryCov_9fa48("413"), [stryMutAct_9fa48("414") ? "" : (stryCov_9fa48("414"), 'HEARING')]),
    roles: stryMutAct_9fa48("415") ? [] : (stryCov_9fa48("415"), [stryMutAct_9fa48("416") ? "" : (stryCov_9fa48("416"), 'applicant')]),
    who: stryMutAct_9fa48("417") ? "" : (stryCov_9fa48("417"), 'owner'),
    clock: stryMutAct_9fa48("418") ? "" : (stryCov_9fa48("418"), 'pause'),
    guard: (app, ctx) => {
      if (stryMutAct_9fa48("419")) {
        {}
      } else {
        stryCov_9fa48("419");
        // One hearing per proposed decision; a new proposal after a hearing may be heard again.
        if (stryMutAct_9fa48("422") ? app.hearing && app.proposal || app.hearing.requestedAt >= app.proposal.proposedAt : stryMutAct_9fa48("421") ? false : stryMutAct_9fa48("420") ? true : (stryCov_9fa48("420", "421", "422"), (stryMutAct_9fa48("424") ? app.hearing || app.proposal : stryMutAct_9fa48("423") ? true : (stryCov_9fa48("423", "424"), app.hearing && app.proposal)) && (stryMutAct_9fa48("427") ? app.hearing.requestedAt < app.proposal.proposedAt : stryMutAct_9fa48("426") ? app.hearing.requestedAt > app.proposal.proposedAt : stryMutAct_9fa48("425") ? true : (stryCov_9fa48("425", "426", "427"), app.hearing.requestedAt >= app.proposal.proposedAt)))) {
          if (stryMutAct_9fa48("428")) {
            {}
          } else {
            stryCov_9fa48("428");
            return stryMutAct_9fa48("429") ? "" : (stryCov_9fa48("429"), 'a hearing has already been requested on this proposed decision');
          }
        }
        const deadline = stryMutAct_9fa48("430") ? app.proposal.hearingDeadline : (stryCov_9fa48("430"), app.proposal?.hearingDeadline);
        if (stryMutAct_9fa48("433") ? false : stryMutAct_9fa48("432") ? true : stryMutAct_9fa48("431") ? deadline : (stryCov_9fa48("431", "432", "433"), !deadline)) return stryMutAct_9fa48("434") ? "" : (stryCov_9fa48("434"), 'there is no proposed decision on notice');
        return (stryMutAct_9fa48("438") ? ctx.today > deadline : stryMutAct_9fa48("437") ? ctx.today < deadline : stryMutAct_9fa48("436") ? false : stryMutAct_9fa48("435") ? true : (stryCov_9fa48("435", "436", "437", "438"), ctx.today <= deadline)) ? undefined : stryMutAct_9fa48("439") ? `` : (stryCov_9fa48("439"), `a hearing could be requested until ${deadline}`);
      }
    },
    apply: stryMutAct_9fa48("440") ? () => undefined : (stryCov_9fa48("440"), (_app, p, ctx) => stryMutAct_9fa48("441") ? {} : (stryCov_9fa48("441"), {
      hearing: stryMutAct_9fa48("442") ? {} : (stryCov_9fa48("442"), {
        reason: p.reason,
        requestedAt: ctx.at
      })
    }))
  }),
  record_hearing_outcome: stryMutAct_9fa48("443") ? {} : (stryCov_9fa48("443"), {
    zh: stryMutAct_9fa48("444") ? "" : (stryCov_9fa48("444"), '记录听证结果'),
    en: stryMutAct_9fa48("445") ? "" : (stryCov_9fa48("445"), 'Record hearing outcome'),
    from: stryMutAct_9fa48("446") ? [] : (stryCov_9fa48("446"), [stryMutAct_9fa48("447") ? "" : (stryCov_9fa48("447"), 'HEARING')]),
    to: stryMutAct_9fa48("448") ? [] : (stryCov_9fa48("448"), [stryMutAct_9fa48("449") ? "" : (stryCov_9fa48("449"), 'PUBLIC_NOTICE'), stryMutAct_9fa48("450") ? "" : (stryCov_9fa48("450"), 'UNDER_REVIEW')]),
    roles: stryMutAct_9fa48("451") ? [] : (stryCov_9fa48("451"), [stryMutAct_9fa48("452") ? "" : (stryCov_9fa48("452"), 'reviewer')]),
    who: stryMutAct_9fa48("453") ? "" : (stryCov_9fa48("453"), 'caseOfficer'),
    clock: stryMutAct_9fa48("454") ? "" : (stryCov_9fa48("454"), 'resume'),
    target: stryMutAct_9fa48("455") ? () => undefined : (stryCov_9fa48("455"), (_app, p) => p.next),
    apply: stryMutAct_9fa48("456") ? () => undefined : (stryCov_9fa48("456"), (app, p, ctx) => stryMutAct_9fa48("457") ? {} : (stryCov_9fa48("457"), {
      hearing: stryMutAct_9fa48("458") ? {} : (stryCov_9fa48("458"), {
        ...(stryMutAct_9fa48("459") ? app.hearing && {
          reason: '',
          requestedAt: ctx.at
        } : (stryCov_9fa48("459"), app.hearing ?? (stryMutAct_9fa48("460") ? {} : (stryCov_9fa48("460"), {
          reason: stryMutAct_9fa48("461") ? "Stryker was here!" : (stryCov_9fa48("461"), ''),
          requestedAt: ctx.at
        })))),
        summary: p.summary,
        next: p.next,
        recordedAt: ctx.at
      }),
      ...((stryMutAct_9fa48("464") ? p.next !== 'UNDER_REVIEW' : stryMutAct_9fa48("463") ? false : stryMutAct_9fa48("462") ? true : (stryCov_9fa48("462", "463", "464"), p.next === (stryMutAct_9fa48("465") ? "" : (stryCov_9fa48("465"), 'UNDER_REVIEW')))) ? stryMutAct_9fa48("466") ? {} : (stryCov_9fa48("466"), {
        proposal: undefined
      }) : {})
    }))
  }),
  withdraw: stryMutAct_9fa48("467") ? {} : (stryCov_9fa48("467"), {
    zh: stryMutAct_9fa48("468") ? "" : (stryCov_9fa48("468"), '撤回申请'),
    en: stryMutAct_9fa48("469") ? "" : (stryCov_9fa48("469"), 'Withdraw'),
    from: nonTerminalStates,
    to: stryMutAct_9fa48("470") ? [] : (stryCov_9fa48("470"), [stryMutAct_9fa48("471") ? "" : (stryCov_9fa48("471"), 'WITHDRAWN')]),
    roles: stryMutAct_9fa48("472") ? [] : (stryCov_9fa48("472"), [stryMutAct_9fa48("473") ? "" : (stryCov_9fa48("473"), 'applicant')]),
    who: stryMutAct_9fa48("474") ? "" : (stryCov_9fa48("474"), 'owner'),
    apply: stryMutAct_9fa48("475") ? () => undefined : (stryCov_9fa48("475"), (_app, p, ctx) => stryMutAct_9fa48("476") ? {} : (stryCov_9fa48("476"), {
      withdrawal: stryMutAct_9fa48("477") ? {} : (stryCov_9fa48("477"), {
        ...(p.reason ? stryMutAct_9fa48("478") ? {} : (stryCov_9fa48("478"), {
          reason: p.reason
        }) : {}),
        at: ctx.at
      })
    }))
  }),
  record_milestone: stryMutAct_9fa48("479") ? {} : (stryCov_9fa48("479"), {
    zh: stryMutAct_9fa48("480") ? "" : (stryCov_9fa48("480"), '记录建设跟踪节点'),
    en: stryMutAct_9fa48("481") ? "" : (stryCov_9fa48("481"), 'Record tracking milestone'),
    from: stryMutAct_9fa48("482") ? [] : (stryCov_9fa48("482"), [stryMutAct_9fa48("483") ? "" : (stryCov_9fa48("483"), 'APPROVED')]),
    to: stryMutAct_9fa48("484") ? [] : (stryCov_9fa48("484"), [stryMutAct_9fa48("485") ? "" : (stryCov_9fa48("485"), 'APPROVED')]),
    roles: stryMutAct_9fa48("486") ? [] : (stryCov_9fa48("486"), [stryMutAct_9fa48("487") ? "" : (stryCov_9fa48("487"), 'reviewer')]),
    who: stryMutAct_9fa48("488") ? "" : (stryCov_9fa48("488"), 'anyone'),
    guard: stryMutAct_9fa48("489") ? () => undefined : (stryCov_9fa48("489"), app => (stryMutAct_9fa48("493") ? app.milestones.length < milestones.length : stryMutAct_9fa48("492") ? app.milestones.length > milestones.length : stryMutAct_9fa48("491") ? false : stryMutAct_9fa48("490") ? true : (stryCov_9fa48("490", "491", "492", "493"), app.milestones.length >= milestones.length)) ? stryMutAct_9fa48("494") ? "" : (stryCov_9fa48("494"), 'every milestone has been recorded') : undefined),
    check: (app, p) => {
      if (stryMutAct_9fa48("495")) {
        {}
      } else {
        stryCov_9fa48("495");
        const expected = milestones[app.milestones.length];
        return (stryMutAct_9fa48("498") ? p.milestone !== expected : stryMutAct_9fa48("497") ? false : stryMutAct_9fa48("496") ? true : (stryCov_9fa48("496", "497", "498"), p.milestone === expected)) ? undefined : stryMutAct_9fa48("499") ? {} : (stryCov_9fa48("499"), {
          message: stryMutAct_9fa48("500") ? `` : (stryCov_9fa48("500"), `milestones are recorded in order; next is ${expected}`),
          path: stryMutAct_9fa48("501") ? "" : (stryCov_9fa48("501"), 'milestone')
        });
      }
    },
    apply: stryMutAct_9fa48("502") ? () => undefined : (stryCov_9fa48("502"), (app, p, ctx) => stryMutAct_9fa48("503") ? {} : (stryCov_9fa48("503"), {
      milestones: stryMutAct_9fa48("504") ? [] : (stryCov_9fa48("504"), [...app.milestones, stryMutAct_9fa48("505") ? {} : (stryCov_9fa48("505"), {
        milestone: p.milestone,
        ...(p.note ? stryMutAct_9fa48("506") ? {} : (stryCov_9fa48("506"), {
          note: p.note
        }) : {}),
        at: ctx.at,
        by: ctx.actor.id
      })])
    }))
  })
});
export function isActionName(name: string): name is ActionName {
  if (stryMutAct_9fa48("507")) {
    {}
  } else {
    stryCov_9fa48("507");
    return Object.hasOwn(workflow, name);
  }
}
export function actionDef(name: ActionName): ActionDef<ActionName> {
  if (stryMutAct_9fa48("508")) {
    {}
  } else {
    stryCov_9fa48("508");
    return workflow[name] as unknown as ActionDef<ActionName>;
  }
}