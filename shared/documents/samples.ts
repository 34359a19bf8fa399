import type { DocumentContent } from './content.ts';

/**
 * One document of each kind for one made-up project, as the bench renders them (and as one may
 * look at them: `renderDocument(sampleContents(url)[0])`). Nothing here is a real organisation.
 */
export function sampleContents(publicBaseUrl = 'https://eia.example.cn'): DocumentContent[] {
  const verify = (number: string) => `${publicBaseUrl}/#/verify/${encodeURIComponent(number)}`;
  const common = {
    issuedOn: '2026-03-05',
    category: 'REPORT' as const,
    project: {
      name: '茶山镇纸业技改项目',
      location: '醴陵市茶山镇',
      industry: '造纸',
      investmentCny: 12_000_000,
    },
    applicant: { orgName: '醴陵市示例纸业有限公司', orgCode: '91430281MA4L12345X' },
  };
  const caseNumber = 'LLHS-2026-7F3K2Q9M';
  return [
    {
      ...common,
      kind: 'ACCEPTANCE_NOTICE',
      number: '醴环受〔2026〕12号',
      caseNumber,
      verifyUrl: verify('醴环受〔2026〕12号'),
      receivedOn: '2026-03-02',
      limitDays: 60,
      dayType: 'WORKING',
      dueOn: '2026-05-29',
    },
    {
      ...common,
      kind: 'SUPPLEMENT_NOTICE',
      number: '醴环补〔2026〕4号',
      verifyUrl: verify('醴环补〔2026〕4号'),
      items: [
        { code: 'PUBLIC_VERSION', name: '环境影响评价文件公开版本', reason: '未删除涉及商业秘密的内容' },
        {
          code: 'LAND_USE_OPINION',
          name: '用地预审（规划选址）意见',
          reason: '文件已过有效期，请提交有效期内的意见',
        },
      ],
    },
    {
      ...common,
      kind: 'NOT_ACCEPTED_DECISION',
      number: '醴环不受〔2026〕1号',
      verifyUrl: verify('醴环不受〔2026〕1号'),
      reasons: ['该项目不属于本局审批权限，应向有审批权的生态环境主管部门申请。'],
    },
    {
      ...common,
      kind: 'APPROVAL',
      number: '醴环评〔2026〕17号',
      caseNumber,
      verifyUrl: verify('醴环评〔2026〕17号'),
      conditions: [
        '废水经厂区污水处理站处理达到《制浆造纸工业水污染物排放标准》（GB 3544-2008）表2标准后排放。',
        '锅炉废气执行《锅炉大气污染物排放标准》（GB 13271-2014）特别排放限值。',
        '按报告书要求设置卫生防护距离，距离内不得新建居民住宅等环境敏感建筑。',
      ],
      comments: { received: 3, considered: 3 },
    },
    {
      ...common,
      kind: 'REJECTION',
      number: '醴环评〔2026〕18号',
      caseNumber,
      verifyUrl: verify('醴环评〔2026〕18号'),
      reasons: ['项目选址位于饮用水水源二级保护区内。', '报告书对主要污染物排放总量的来源未作说明。'],
    },
    {
      ...common,
      kind: 'FILING_RECEIPT',
      category: 'REGISTRATION',
      number: '醴环备〔2026〕5号',
      verifyUrl: verify('醴环备〔2026〕5号'),
      receiptNumber: '醴环备〔2026〕5号',
    },
  ];
}
