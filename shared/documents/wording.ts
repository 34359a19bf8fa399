import type { IsoDate } from '../domain/clock.ts';
import type { Category } from '../domain/types.ts';
import { type Bureau, type DocumentContent, documentTitles, LILING_BUREAU } from './content.ts';

/**
 * What a written document says, as blocks in reading order: Chinese first, an English line under
 * the title and under each key sentence. The renderer only lays these out, so everything a reader
 * sees is written here.
 */
export type Block =
  /** A paragraph; `en` is printed under it, smaller. */
  | { type: 'paragraph'; zh: string; en?: string }
  /** A numbered list (conditions, reasons), each item as given. */
  | { type: 'list'; items: string[] }
  /** The supplement notice's materials: each with its code and the reason it must be supplemented. */
  | { type: 'materials'; items: { code: string; name: string; reason: string }[] }
  /** A line with no first-line indent (the salutation). */
  | { type: 'line'; zh: string };

export interface Wording {
  bureau: Bureau;
  title: { zh: string; en: string };
  /** Label and value pairs under the title (case number, project, applicant). */
  facts: { zh: string; en: string; value: string }[];
  body: Block[];
  /** The closing: free of charge, the remedies where due. */
  notes: Block[];
  dateLine: string;
  verify: { zh: string; en: string };
}

const categoryNames: Record<Category, { zh: string; en: string; short: string }> = {
  REPORT: { zh: '环境影响报告书', en: 'environmental impact report', short: '报告书' },
  REPORT_FORM: { zh: '环境影响报告表', en: 'environmental impact report form', short: '报告表' },
  REGISTRATION: { zh: '环境影响登记表', en: 'environmental impact registration form', short: '登记表' },
};

/** `2026-03-05` → `2026年3月5日`. */
export function zhDate(date: IsoDate): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** Whole yuan with thousands separators: `12,000,000`. */
export function yuan(amount: number): string {
  return String(Math.trunc(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export const FREE_OF_CHARGE = {
  zh: '依照《中华人民共和国环境影响评价法》第二十二条，审批建设项目环境影响报告书、报告表以及备案环境影响登记表，不收取任何费用。',
  en: 'Approval and filing are free of charge (Environmental Impact Assessment Law of the PRC, Article 22).',
} as const;

export const REMEDIES = {
  zh: '如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼（《中华人民共和国行政复议法》第二十条、《中华人民共和国行政诉讼法》第四十六条）。',
  en: "If you disagree with this decision, you may apply for administrative reconsideration within 60 days of receiving it, or bring an administrative lawsuit in a people's court within 6 months of receiving it.",
} as const;

export function wordingOf(c: DocumentContent): Wording {
  const bureau = c.bureau ?? LILING_BUREAU;
  const cat = categoryNames[c.category];
  const file = `《${c.project.name}${cat.zh}》`;
  const facts: Wording['facts'] = [];
  if (c.caseNumber) facts.push({ zh: '案件编号', en: 'Case No.', value: c.caseNumber });
  facts.push(
    { zh: '项目名称', en: 'Project', value: c.project.name },
    { zh: '建设地点', en: 'Location', value: c.project.location },
    { zh: '文件类别', en: 'Category', value: cat.zh },
    { zh: '建设单位', en: 'Applicant', value: c.applicant.orgName },
    { zh: '统一社会信用代码', en: 'Credit code', value: c.applicant.orgCode },
  );
  const salutation: Block = { type: 'line', zh: `${c.applicant.orgName}：` };
  const free: Block = { type: 'paragraph', zh: FREE_OF_CHARGE.zh, en: FREE_OF_CHARGE.en };
  const remedies: Block = { type: 'paragraph', zh: REMEDIES.zh, en: REMEDIES.en };
  let title = documentTitles[c.kind];
  let body: Block[];
  let notes: Block[] = [free];

  switch (c.kind) {
    case 'ACCEPTANCE_NOTICE': {
      const unit = c.dayType === 'WORKING' ? '个工作日' : '日';
      const unitEn = c.dayType === 'WORKING' ? 'working days' : 'days';
      body = [
        salutation,
        c.deemed
          ? {
              type: 'paragraph',
              zh: `我局于${zhDate(c.receivedOn)}收到你单位报送的${file}审批申请，未在法定期限内告知需要补正的内容，根据《中华人民共和国行政许可法》第三十二条第一款第（四）项的规定，自收到申请材料之日起即为受理。`,
              en: `We received your application for approval of the ${cat.en} on ${c.receivedOn}. As no supplement was requested in time, it counts as accepted from that day (Administrative Licensing Law, Article 32).`,
            }
          : {
              type: 'paragraph',
              zh: `我局于${zhDate(c.receivedOn)}收到你单位报送的${file}审批申请。经审查，申请材料齐全、符合法定形式，根据《中华人民共和国行政许可法》第三十二条的规定，决定予以受理。`,
              en: `We received your application for approval of the ${cat.en} on ${c.receivedOn}. The materials are complete and in the required form: the application is accepted (Administrative Licensing Law, Article 32).`,
            },
        {
          type: 'paragraph',
          zh: `我局将自受理之日起${c.limitDays}${unit}内作出审批决定，期限届满日为${zhDate(c.dueOn)}。依法需要组织专家评审、举行听证的，所需时间不计算在上述期限内。`,
          en: `The decision is due within ${c.limitDays} ${unitEn} of acceptance, by ${c.dueOn}. Time for an expert review or a hearing is not counted.`,
        },
      ];
      if (c.provisional) {
        body.push({ type: 'paragraph', zh: `注：${c.provisional.zh}。`, en: `Note: ${c.provisional.en}.` });
      }
      break;
    }
    case 'SUPPLEMENT_NOTICE':
      body = [
        salutation,
        {
          type: 'paragraph',
          zh: `你单位报送的${file}审批申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（四）项的规定，现将需要补正的全部内容一次告知如下：`,
          en: 'Some materials of your application are incomplete or not in the required form. Everything to be supplemented is listed here at once (Administrative Licensing Law, Article 32):',
        },
        { type: 'materials', items: c.items },
        {
          type: 'paragraph',
          zh: '请按上述要求补正后一并重新提交。补正材料齐全、符合法定形式的，我局将予以受理；审批期限自受理之日起计算。',
          en: 'Please supplement all of them and submit again. Once the materials are complete and in the required form, the application will be accepted; the time limit for the decision runs from acceptance.',
        },
      ];
      break;
    case 'NOT_ACCEPTED_DECISION':
      body = [
        salutation,
        {
          type: 'paragraph',
          zh: `你单位报送的${file}审批申请，经审查，不符合受理条件。根据《中华人民共和国行政许可法》第三十二条的规定，我局决定不予受理。理由如下：`,
          en: 'Your application does not meet the conditions for acceptance and is not accepted (Administrative Licensing Law, Article 32), for these reasons:',
        },
        { type: 'list', items: c.reasons },
      ];
      notes = [remedies, free];
      break;
    case 'APPROVAL':
      title = {
        zh: `关于${file}的批复`,
        en: `Approval of the ${cat.en} for ${c.project.name}`,
      };
      body = [
        salutation,
        {
          type: 'paragraph',
          zh: `你单位报送的${file}（以下简称《${cat.short}》）收悉。该项目位于${c.project.location}，属${c.project.industry}行业，总投资${yuan(c.project.investmentCny)}元。经研究，批复如下：`,
          en: `We have examined the ${cat.en} of your project at ${c.project.location} (industry: ${c.project.industry}; investment: CNY ${yuan(c.project.investmentCny)}) and reply as follows.`,
        },
        {
          type: 'paragraph',
          zh: `一、在全面落实《${cat.short}》提出的各项生态环境保护措施和本批复要求的前提下，从生态环境保护角度，我局同意该项目按照《${cat.short}》所列的性质、规模、地点、生产工艺和生态环境保护措施进行建设。`,
          en: `1. Provided that every environmental protection measure of the ${cat.en} and every condition of this approval is carried out, the project is approved as described there.`,
        },
        {
          type: 'paragraph',
          zh:
            c.conditions.length > 0
              ? '二、项目建设和运营中应当落实以下要求：'
              : `二、除《${cat.short}》提出的措施外，本批复无其他附加要求。`,
          en:
            c.conditions.length > 0
              ? '2. Conditions of this approval:'
              : '2. This approval sets no further conditions.',
        },
        ...(c.conditions.length > 0 ? [{ type: 'list', items: c.conditions } as const] : []),
        {
          type: 'paragraph',
          zh: '三、项目建设必须严格执行配套建设的环境保护设施与主体工程同时设计、同时施工、同时投产使用的环境保护“三同时”制度。项目竣工后，建设单位应当按照规定开展竣工环境保护验收。',
          en: '3. Environmental protection facilities must be designed, built and put into use together with the main works; after completion the applicant must carry out the environmental protection acceptance as required.',
        },
        {
          type: 'paragraph',
          zh: `四、项目的性质、规模、地点、采用的生产工艺或者防治污染、防止生态破坏的措施发生重大变动的，应当重新报批环境影响评价文件；自批准之日起超过五年方决定开工建设的，环境影响评价文件应当报我局重新审核（《中华人民共和国环境影响评价法》第二十四条）。`,
          en: '4. A major change of the nature, scale, site, process or protection measures needs a new approval; if construction starts more than five years after this approval, the document must be examined again (EIA Law, Article 24).',
        },
        {
          type: 'paragraph',
          zh: `五、公众意见：公示期间共收到公众意见${c.comments.received}条，已逐条研究处理${c.comments.considered}条。`,
          en: `5. Public comments: ${c.comments.received} received during the public notice, ${c.comments.considered} considered.`,
        },
      ];
      break;
    case 'REJECTION':
      body = [
        salutation,
        {
          type: 'paragraph',
          zh: `你单位报送的${file}审批申请，经审查，根据《中华人民共和国环境影响评价法》和《建设项目环境保护管理条例》第十一条的规定，我局决定不予批准。理由如下：`,
          en: `Having examined the ${cat.en} of your project, we do not approve it (EIA Law; Regulations on Environmental Protection Management of Construction Projects, Article 11), for these reasons:`,
        },
        { type: 'list', items: c.reasons },
      ];
      notes = [remedies, free];
      break;
    case 'FILING_RECEIPT':
      body = [
        salutation,
        {
          type: 'paragraph',
          zh: `你单位填报的${file}已于${zhDate(c.issuedOn)}完成备案，备案号：${c.receiptNumber}。`,
          en: `The ${cat.en} of your project was filed on ${c.issuedOn}; filing number ${c.receiptNumber}.`,
        },
        {
          type: 'paragraph',
          zh: '建设单位应当严格执行登记表中的生态环境保护措施，并对登记表内容的真实性、准确性和完整性负责（《建设项目环境影响登记表备案管理办法》）。',
          en: 'The applicant must carry out the protection measures of the form and is responsible for its content being true, accurate and complete.',
        },
      ];
      break;
  }

  return {
    bureau,
    title,
    facts,
    body,
    notes,
    dateLine: zhDate(c.issuedOn),
    verify: {
      zh: '核验：扫描二维码或访问以下网址，可核验本文书的编号、签发日期和文件摘要。',
      en: 'Verify this document: scan the QR code or open the address below.',
    },
  };
}
