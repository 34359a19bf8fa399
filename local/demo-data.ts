import { createHash } from 'node:crypto';
import { addCalendarDays, beijingDate, type IsoDate } from '../shared/domain/calendar.ts';
import { defaultConfig } from '../shared/domain/config.ts';
import type { Category } from '../shared/domain/types.ts';
import { usccCheckChar } from '../shared/domain/uscc.ts';
import { pdfBytes } from './sample-files.ts';
import type { TokenSubject } from './tokens.ts';

/**
 * Demo applications from Liling, each driven through the HTTP API with the server's clock set
 * back, so that every record, event and notice obeys the same rules as real data: each material a
 * small real PDF, uploaded to the local S3 store through its presigned URL.
 */
export interface DemoApi {
  token(subject: TokenSubject): Promise<string>;
  /** POST/PATCH/GET; throws on a non-2xx answer, naming the step. */
  call(method: string, path: string, token: string, body?: unknown): Promise<Record<string, unknown>>;
  setNow(iso: string): Promise<void>;
}

const orgCode = (first17: string) => first17 + usccCheckChar(first17);

const officials = {
  clerk: { sub: 'demo-clerk', name: '王芳', groups: ['clerk'] },
  reviewer: { sub: 'demo-reviewer', name: '陈静', groups: ['reviewer'] },
  approver: { sub: 'demo-approver', name: '赵志刚', groups: ['approver'] },
} as const satisfies Record<string, TokenSubject>;

/**
 * Uploads one small real PDF for a material, as the console does: announce it
 * (POST /applications/{id}/uploads), PUT its bytes to the presigned URL with the headers given;
 * the material the upload answered.
 */
async function uploadPdf(
  api: DemoApi,
  token: string,
  id: string,
  code: string,
  text: string,
  fileName = `${code.toLowerCase()}.pdf`,
): Promise<Record<string, unknown>> {
  const bytes = pdfBytes(text);
  const upload = await api.call('POST', `/applications/${id}/uploads`, token, {
    code,
    fileName,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sizeBytes: bytes.length,
    contentType: 'application/pdf',
  });
  const headers = Object.fromEntries(
    Object.entries(upload.headers as Record<string, string>).filter(
      ([h]) => h.toLowerCase() !== 'content-length',
    ),
  );
  const put = await fetch(String(upload.url), { method: 'PUT', headers, body: bytes });
  if (!put.ok) throw new Error(`demo: PUT ${fileName} answered ${put.status}: ${await put.text()}`);
  return upload.material as Record<string, unknown>;
}

/** A file for every material the category requires, uploaded; the materials naming them. */
async function uploadMaterials(api: DemoApi, token: string, id: string, category: Category, n: number) {
  const materials: Record<string, unknown>[] = [];
  for (const code of defaultConfig.required[category])
    materials.push(await uploadPdf(api, token, id, code, `Liling EIA demo ${n} - ${code}`));
  return materials;
}

interface Scenario {
  owner: TokenSubject;
  orgName: string;
  category: Category;
  project: { name: string; location: string; industry: string; investmentCny: number; description: string };
  /** Created this many days before now; by default the demo's start plus one day per scenario. */
  startDaysBack?: number;
  /**
   * Steps after creation: [who, action, payload, days to move the clock forward first, and the
   * codes of new versions of materials to upload and name in the payload's `materials`]. A
   * proposal or a decision moves it further when its period has not ended yet (waitsOut).
   */
  steps: [keyof typeof officials | 'owner', string, Record<string, unknown>, number, string[]?][];
  /** A walk-in (窗口代录): the clerk takes it in for `owner`'s organisation and, as `owner`, acts for it. */
  walkIn?: true;
  /** The consultancy that prepared the documents. */
  preparedBy?: { orgName: string; orgCode: string };
}

// The printed demo applicant (local/demo.ts DEMO_USERS) owns this one, so its token can act on it.
const paper = orgCode('91430281MA4L00011');
const kiln = orgCode('91430281MA4L2CK0L');
const fireworks = orgCode('91430281MA4L3YH0H');
const tourism = orgCode('91430281MA4L4LY0Y');
const brick = orgCode('91430281MA4L5DF0T');
const consultancy = { orgName: '湖南湘环环境科技有限公司', orgCode: orgCode('91430200MA4Q0001X') };

export const scenarios: Scenario[] = [
  {
    owner: { sub: 'demo-applicant', name: '刘建国', groups: ['applicant'], orgCode: paper },
    orgName: '醴陵市铁河口纸业有限公司',
    category: 'REPORT',
    preparedBy: consultancy,
    project: {
      name: '铁河口纸业集聚区废水深度处理及扩建项目',
      location: '醴陵市茶山镇铁河口',
      industry: '造纸和纸制品业',
      investmentCny: 86_000_000,
      description: '新增年产5万吨瓦楞原纸生产线，配套建设废水深度处理站。',
    },
    steps: [
      ['owner', 'request_preview', { question: '项目位于渌江支流附近，需编制报告书还是报告表？' }, 0],
      [
        'clerk',
        'give_preview_advice',
        { advice: '属造纸行业扩建，应编制环境影响报告书。', suggestedCategory: 'REPORT' },
        1,
      ],
      ['owner', 'submit', {}, 2],
      ['clerk', 'accept', {}, 1],
      ['reviewer', 'start_review', {}, 1],
      [
        'reviewer',
        'start_expert_review',
        { expectedWorkingDays: 10, panel: ['湖南省环境保护科学研究院 张教授', '株洲市环境监测中心 李工'] },
        2,
      ],
    ],
  },
  {
    owner: { sub: 'demo-applicant-kiln', name: '黄秀英', groups: ['applicant'], orgCode: kiln },
    orgName: '醴陵市瓷城陶瓷有限公司',
    category: 'REPORT_FORM',
    project: {
      name: '日用陶瓷隧道窑天然气改造项目',
      location: '醴陵市经济开发区陶瓷产业园',
      industry: '陶瓷制品制造',
      investmentCny: 12_500_000,
      description: '将两条燃煤隧道窑改为天然气窑，配套脱硫除尘设施。',
    },
    steps: [
      ['owner', 'submit', {}, 0],
      [
        'clerk',
        'request_supplement',
        {
          items: [
            { code: 'LAND_USE_OPINION', reason: '用地预审意见已过期，请提供有效文件。' },
            { code: 'PUBLIC_VERSION', reason: '公开版本未删除涉及商业秘密的内容。' },
          ],
        },
        2,
      ],
    ],
  },
  {
    owner: { sub: 'demo-applicant-fireworks', name: '周志强', groups: ['applicant'], orgCode: fireworks },
    orgName: '醴陵市花炮制造有限公司',
    category: 'REPORT_FORM',
    project: {
      name: '烟花爆竹生产线安全环保提质改造项目',
      location: '醴陵市浦口镇',
      industry: '烟花爆竹制造',
      investmentCny: 9_800_000,
      description: '改造药物混合及装药工房，新增粉尘收集与危废暂存间。',
    },
    steps: [
      ['owner', 'submit', {}, 0],
      ['clerk', 'accept', {}, 1],
      ['reviewer', 'start_review', {}, 1],
      [
        'reviewer',
        'request_revision',
        { items: [{ topic: '危险废物', detail: '补充废药渣的产生量及处置去向。' }] },
        3,
      ],
      [
        'owner',
        'submit_revision',
        { response: '已补充废药渣产生量核算，委托有资质单位处置。' },
        4,
        ['EIA_DOCUMENT'],
      ],
      [
        'reviewer',
        'propose_decision',
        { proposal: 'approve', conditions: ['严格落实粉尘收集措施', '危险废物按规定贮存和转移'] },
        2,
      ],
    ],
  },
  {
    owner: { sub: 'demo-applicant-tourism', name: '邓丽华', groups: ['applicant'], orgCode: tourism },
    orgName: '醴陵市渌江文旅发展有限公司',
    category: 'REGISTRATION',
    project: {
      name: '渌江书院周边步道及游客服务中心项目',
      location: '醴陵市西山街道',
      industry: '旅游',
      investmentCny: 3_200_000,
      description: '建设游步道2.4公里及游客服务中心一处。',
    },
    steps: [['owner', 'submit', {}, 0]],
  },
  {
    owner: { sub: 'demo-applicant-kiln', name: '黄秀英', groups: ['applicant'], orgCode: kiln },
    orgName: '醴陵市瓷城陶瓷有限公司',
    category: 'REPORT_FORM',
    project: {
      name: '釉料车间扩建项目',
      location: '醴陵市经济开发区陶瓷产业园',
      industry: '陶瓷制品制造',
      investmentCny: 4_600_000,
      description: '扩建釉料制备车间，新增球磨机6台。',
    },
    steps: [
      ['owner', 'submit', {}, 0],
      ['clerk', 'accept', {}, 1],
      ['reviewer', 'start_review', {}, 1],
      ['reviewer', 'propose_decision', { proposal: 'approve', conditions: ['球磨废水循环使用不外排'] }, 5],
      ['approver', 'approve', {}, 14],
      ['reviewer', 'record_milestone', { milestone: 'CONSTRUCTION_STARTED', note: '已开工建设' }, 5],
    ],
  },
  {
    // Accepted some 60 days ago and never decided: the sweeper marks it OVERDUE and escalates it.
    owner: { sub: 'demo-applicant-brick', name: '谭志明', groups: ['applicant'], orgCode: brick },
    orgName: '醴陵市东富新型建材有限公司',
    category: 'REPORT_FORM',
    project: {
      name: '页岩烧结多孔砖生产线技改项目',
      location: '醴陵市东富镇',
      industry: '非金属矿物制品业',
      investmentCny: 7_300_000,
      description: '隧道窑烟气脱硫设施升级，原料堆场全封闭改造。',
    },
    startDaysBack: 64,
    steps: [
      ['owner', 'submit', {}, 0],
      ['clerk', 'accept', {}, 2],
      ['reviewer', 'start_review', {}, 2],
    ],
  },
  {
    // Brought to the window on paper: the demo applicant's organisation sees it as its own.
    owner: { sub: 'demo-applicant', name: '刘建国', groups: ['applicant'], orgCode: paper },
    orgName: '醴陵市铁河口纸业有限公司',
    category: 'REPORT_FORM',
    walkIn: true,
    preparedBy: consultancy,
    project: {
      name: '铁河口纸业成品仓库及配套道路项目',
      location: '醴陵市茶山镇铁河口',
      industry: '造纸和纸制品业',
      investmentCny: 2_600_000,
      description: '新建成品仓库一栋及厂区配套道路，按纸质申报材料窗口代录。',
    },
    startDaysBack: 2,
    steps: [['owner', 'submit', {}, 0]],
  },
];

const DAY = 24 * 60 * 60 * 1000;

/**
 * The last day of the period a step must wait out, read off the application as the last act
 * answered it: a proposal waits for the public's comments on the acceptance notice, a decision
 * for the proposed decision's notice. Whatever the calendar around the demo's dates holds.
 */
function waitsOut(action: string, app: Record<string, unknown> | undefined): IsoDate | undefined {
  const acceptance = app?.acceptance as { commentEndsOn?: IsoDate } | undefined;
  const proposal = app?.proposal as { noticeEndsOn?: IsoDate } | undefined;
  if (action === 'propose_decision') return acceptance?.commentEndsOn;
  if (action === 'approve' || action === 'reject') return proposal?.noticeEndsOn;
  return undefined;
}

/** Creates every scenario, starting `daysBack` days ago, and puts the clock back to `now` after. */
export async function loadScenarios(api: DemoApi, now: Date, daysBack = 45): Promise<string[]> {
  const ids: string[] = [];
  const tokens = new Map<string, string>();
  const tokenOf = async (subject: TokenSubject) => {
    const known = tokens.get(subject.sub);
    if (known) return known;
    const token = await api.token(subject);
    tokens.set(subject.sub, token);
    return token;
  };
  try {
    for (const [i, s] of scenarios.entries()) {
      // 09:30 Beijing time, a few days apart, so the demo's dates look like office hours.
      let at = new Date(
        Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 1, 30) -
          (s.startDaysBack ?? daysBack - i) * DAY,
      );
      await api.setNow(at.toISOString());
      // A walk-in is typed in, and acted on, by the window.
      const owner = await tokenOf(s.walkIn ? officials.clerk : s.owner);
      const created = await api.call('POST', '/applications', owner, {
        category: s.category,
        project: s.project,
        applicant: {
          orgName: s.orgName,
          orgCode: s.owner.orgCode,
          contactName: s.owner.name,
          contactPhone: `1387330${String(1000 + i).padStart(4, '0')}`,
        },
        ...(s.preparedBy ? { preparedBy: s.preparedBy } : {}),
        ...(s.walkIn ? { onBehalfOf: { orgName: s.orgName, orgCode: s.owner.orgCode } } : {}),
      });
      const id = String(created.id);
      ids.push(id);
      // Every material is a file: uploaded to the new draft, then named in it.
      const materials = await uploadMaterials(api, owner, id, s.category, i + 1);
      await api.call('PATCH', `/applications/${id}`, owner, { materials });
      let app: Record<string, unknown> | undefined;
      for (const [who, action, payload, days, revised] of s.steps) {
        let moved = days > 0;
        if (days) at = new Date(at.getTime() + days * DAY);
        // Not before the day after the period it waits for (09:30 Beijing that day).
        const until = waitsOut(action, app);
        if (until && beijingDate(at) <= until) {
          at = new Date(`${addCalendarDays(until, 1)}T09:30:00+08:00`);
          moved = true;
        }
        if (moved) await api.setNow(at.toISOString());
        const token = who === 'owner' ? owner : await tokenOf(officials[who]);
        const files = [];
        for (const code of revised ?? [])
          files.push(
            await uploadPdf(
              api,
              token,
              id,
              code,
              `Liling EIA demo ${i + 1} - ${code} (revised)`,
              `${code.toLowerCase()}-v2.pdf`,
            ),
          );
        const done = await api.call(
          'POST',
          `/applications/${id}/actions/${action}`,
          token,
          files.length > 0 ? { ...payload, materials: files } : payload,
        );
        app = done.application as Record<string, unknown> | undefined;
      }
    }
  } finally {
    await api.setNow(now.toISOString());
  }
  return ids;
}
