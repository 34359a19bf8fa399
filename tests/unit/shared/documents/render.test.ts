/**
 * The written documents as a reader gets them: each kind rendered, its text extracted with
 * poppler's `pdftotext` (installed by .ci/run), the QR code read back from a rasterised page
 * (`pdftoppm`, jsQR). The font is embedded as a subset, and the same content gives the same bytes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { DocumentContent } from '../../../../shared/documents/content.ts';
import { FONT_FILE, fontPath } from '../../../../shared/documents/font.ts';
import { qrMatrix } from '../../../../shared/documents/qr.ts';
import { renderDocument } from '../../../../shared/documents/render.ts';
import { FREE_OF_CHARGE, REMEDIES } from '../../../../shared/documents/wording.ts';

const poppler = spawnSync('pdftotext', ['-v']).error === undefined;
const dir = mkdtempSync(join(tmpdir(), 'documents-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const number = (kind: string) => `醴环评〔2026〕${kind.length}号`;
const verifyUrl = (n: string) => `https://eia.example.cn/#/verify/${encodeURIComponent(n)}`;

function common(kind: DocumentContent['kind']) {
  return {
    number: number(kind),
    issuedOn: '2026-03-05',
    // A registration is filed without a case (none is opened before acceptance).
    ...(kind === 'FILING_RECEIPT' ? {} : { caseNumber: 'LLHS-2026-7F3K2Q9M' }),
    category: 'REPORT' as const,
    project: {
      name: '茶山镇纸业技改项目',
      location: '醴陵市茶山镇',
      industry: '造纸',
      investmentCny: 12_000_000,
    },
    applicant: { orgName: '醴陵市茶山纸业有限公司', orgCode: '91430281MA4L12345X' },
    verifyUrl: verifyUrl(number(kind)),
  };
}

const contents: Record<DocumentContent['kind'], DocumentContent> = {
  ACCEPTANCE_NOTICE: {
    ...common('ACCEPTANCE_NOTICE'),
    kind: 'ACCEPTANCE_NOTICE',
    receivedOn: '2026-03-02',
    limitDays: 60,
    dayType: 'WORKING',
    dueOn: '2026-05-29',
    provisional: {
      zh: '2027年节假日安排尚未公布，此日期按周一至周五推算，为暂定日期',
      en: '2027 holidays not yet published: this date is counted Monday–Friday and may move',
    },
  },
  SUPPLEMENT_NOTICE: {
    ...common('SUPPLEMENT_NOTICE'),
    kind: 'SUPPLEMENT_NOTICE',
    items: [
      { code: 'PUBLIC_VERSION', name: '环境影响评价文件公开版本', reason: '未删除涉及商业秘密的内容' },
      {
        code: 'LAND_USE_OPINION',
        name: '用地预审（规划选址）意见',
        reason: '文件已过有效期，请提交有效期内的意见',
      },
    ],
  },
  NOT_ACCEPTED_DECISION: {
    ...common('NOT_ACCEPTED_DECISION'),
    kind: 'NOT_ACCEPTED_DECISION',
    reasons: ['该项目不属于本局审批权限，应向株洲市生态环境局申请。'],
  },
  APPROVAL: {
    ...common('APPROVAL'),
    kind: 'APPROVAL',
    conditions: [
      '废水经厂区污水处理站处理达到《制浆造纸工业水污染物排放标准》（GB 3544-2008）表2标准后排放。',
      '锅炉废气执行《锅炉大气污染物排放标准》（GB 13271-2014）特别排放限值。',
    ],
    comments: { received: 7, considered: 6 },
  },
  REJECTION: {
    ...common('REJECTION'),
    kind: 'REJECTION',
    reasons: ['项目选址位于渌江饮用水水源二级保护区内。', '报告书对主要污染物排放总量的来源未作说明。'],
  },
  FILING_RECEIPT: {
    ...common('FILING_RECEIPT'),
    kind: 'FILING_RECEIPT',
    category: 'REGISTRATION',
    receiptNumber: '醴环备〔2026〕5号',
  },
};

/** What each kind must say, beyond what every document says. */
const expected: Record<DocumentContent['kind'], string[]> = {
  ACCEPTANCE_NOTICE: [
    '受理通知书',
    '2026年3月2日',
    '60个工作日',
    '2026年5月29日',
    '决定予以受理',
    '为暂定日期',
  ],
  SUPPLEMENT_NOTICE: [
    '补正材料通知书',
    '环境影响评价文件公开版本（PUBLIC_VERSION）',
    '补正理由：未删除涉及商业秘密的内容',
    '用地预审（规划选址）意见（LAND_USE_OPINION）',
    '补正理由：文件已过有效期，请提交有效期内的意见',
  ],
  NOT_ACCEPTED_DECISION: [
    '不予受理决定书',
    '决定不予受理',
    '该项目不属于本局审批权限，应向株洲市生态环境局申请。',
  ],
  APPROVAL: [
    '关于《茶山镇纸业技改项目环境影响报告书》的批复',
    '同意该项目',
    '1.废水经厂区污水处理站处理达到《制浆造纸工业水污染物排放标准》（GB3544-2008）表2标准后排放。',
    '2.锅炉废气执行《锅炉大气污染物排放标准》（GB13271-2014）特别排放限值。',
    '共收到公众意见7条，已逐条研究处理6条',
    '12,000,000元',
  ],
  REJECTION: [
    '不予批准决定书',
    '决定不予批准',
    '1.项目选址位于渌江饮用水水源二级保护区内。',
    '2.报告书对主要污染物排放总量的来源未作说明。',
  ],
  FILING_RECEIPT: [
    '建设项目环境影响登记表备案回执',
    '《茶山镇纸业技改项目环境影响登记表》',
    '备案号：醴环备〔2026〕5号',
  ],
};

const flat = (s: string) => s.replace(/\s+/g, '');

function file(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function pdfText(bytes: Uint8Array): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file('text.pdf', bytes), '-'], { encoding: 'utf8' });
}

function pageCount(path: string): number {
  const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

/** The QR code on the last page, read from a 150 dpi greyscale rendering. */
function readQr(bytes: Uint8Array): string | undefined {
  const path = file('qr.pdf', bytes);
  const last = String(pageCount(path));
  const pgm = execFileSync('pdftoppm', ['-gray', '-r', '150', '-f', last, '-l', last, path], {
    maxBuffer: 64 * 1024 * 1024,
  });
  // Binary PGM: "P5\n<w> <h>\n<max>\n" then one byte per pixel.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('pdftoppm gave no PGM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const grey = pgm.subarray(header[0].length);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba.fill(grey[i] ?? 255, i * 4, i * 4 + 3);
    rgba[i * 4 + 3] = 255;
  }
  return jsQR(rgba, width, height)?.data;
}

describe('renderDocument', () => {
  it.runIf(!poppler)('needs pdftotext and pdftoppm (Debian: apt-get install poppler-utils)', (ctx) => {
    ctx.skip();
  });

  describe.each(Object.keys(contents) as DocumentContent['kind'][])('%s', (kind) => {
    const content = contents[kind];

    it.skipIf(!poppler)(
      'says what the document must say, in selectable text',
      { timeout: 30_000 },
      async () => {
        const text = flat(pdfText(await renderDocument(content)));
        const must = [
          '醴陵市生态环境局',
          content.number,
          '醴陵市茶山纸业有限公司',
          '91430281MA4L12345X',
          '茶山镇纸业技改项目',
          '2026年3月5日',
          FREE_OF_CHARGE.zh,
          content.verifyUrl,
          ...expected[kind],
        ];
        for (const s of must) expect(text).toContain(flat(s));
        const decision = kind === 'NOT_ACCEPTED_DECISION' || kind === 'REJECTION';
        if (decision) {
          expect(text).toContain(flat(REMEDIES.zh));
          expect(text).toContain('六十日内依法申请行政复议');
          expect(text).toContain('六个月内依法向人民法院提起行政诉讼');
        } else {
          expect(text).not.toContain('行政复议');
        }
        if (content.caseNumber) expect(text).toContain(content.caseNumber);
        else expect(text).not.toContain('案件编号');
      },
    );

    it.skipIf(!poppler)('carries a QR code of its verification address', { timeout: 30_000 }, async () => {
      expect(readQr(await renderDocument(content))).toBe(content.verifyUrl);
    });
  });

  it.skipIf(!poppler)('prints no personal contact data, even when the caller passes it', async () => {
    const withContact = {
      ...contents.APPROVAL,
      applicant: { ...contents.APPROVAL.applicant, contactName: '张三丰', contactPhone: '13800138000' },
    } as unknown as DocumentContent;
    const text = flat(pdfText(await renderDocument(withContact)));
    expect(text).toContain('醴陵市茶山纸业有限公司');
    expect(text).not.toContain('张三丰');
    expect(text).not.toContain('13800138000');
  });

  it.skipIf(!poppler)('says a deemed acceptance is one, and counts calendar days as days', async () => {
    const deemed: DocumentContent = {
      ...contents.ACCEPTANCE_NOTICE,
      deemed: true,
      dayType: 'CALENDAR',
      limitDays: 30,
    } as DocumentContent;
    const text = flat(pdfText(await renderDocument(deemed)));
    expect(text).toContain('自收到申请材料之日起即为受理');
    expect(text).toContain('自受理之日起30日内');
    expect(text).not.toContain('决定予以受理');
    const { provisional: _, ...firm } = contents.ACCEPTANCE_NOTICE as Extract<
      DocumentContent,
      { kind: 'ACCEPTANCE_NOTICE' }
    >;
    const plain = flat(pdfText(await renderDocument(firm)));
    expect(plain).not.toContain('暂定');
  });

  it.skipIf(!poppler)(
    'flows long conditions over pages, every one of them kept',
    { timeout: 30_000 },
    async () => {
      const conditions = Array.from(
        { length: 40 },
        (_, i) =>
          `第${i + 1}项要求：${'严格落实大气、水、噪声和固体废物污染防治措施，'.repeat(3)}确保达标排放。`,
      );
      const bytes = await renderDocument({ ...contents.APPROVAL, conditions } as DocumentContent);
      const pages = pageCount(file('long.pdf', bytes));
      expect(pages).toBeGreaterThan(2);
      const text = flat(pdfText(bytes));
      expect(text).toContain(`第${pages}页/共${pages}页·${flat(contents.APPROVAL.number)}`);
      // A condition that runs over a page break has the page's footer in the middle of its text.
      const body = text.replace(/第\d+页\/共\d+页·[^第]*?号/g, '');
      for (const c of conditions) expect(body).toContain(flat(c));
      expect(readQr(bytes)).toBe(contents.APPROVAL.verifyUrl);
    },
  );

  it('gives the same bytes for the same content, and other bytes for other content', async () => {
    const first = await renderDocument(contents.APPROVAL);
    const again = await renderDocument(structuredClone(contents.APPROVAL));
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
    const otherDay = await renderDocument({ ...contents.APPROVAL, issuedOn: '2026-03-06' });
    expect(Buffer.from(otherDay).equals(Buffer.from(first))).toBe(false);
    // Dates and the file ID come from the issue date, not the clock.
    const raw = Buffer.from(first).toString('latin1');
    expect([...raw.matchAll(/\(D:(\d{14})Z\)/g)].map((m) => m[1])).toEqual([
      '20260304160000',
      '20260304160000',
    ]);
  });

  describe('the font', () => {
    const saved = process.env.DOCUMENT_FONT_PATH;
    afterEach(() => {
      if (saved === undefined) delete process.env.DOCUMENT_FONT_PATH;
      else process.env.DOCUMENT_FONT_PATH = saved;
    });

    it('is embedded as a subset: one font, far smaller than the font file', async () => {
      const fontBytes = statSync(fontPath()).size;
      expect(fontBytes).toBeGreaterThan(8_000_000);
      for (const content of Object.values(contents)) {
        const pdf = await renderDocument(content);
        expect(pdf.length).toBeLessThan(200 * 1024);
        const raw = Buffer.from(pdf).toString('latin1');
        const fonts = [...raw.matchAll(/\/BaseFont \/(\S+)/g)].map((m) => m[1]);
        // The Type0 font and its CIDFont, both the tagged subset; no standard font beside them.
        expect(new Set(fonts)).toEqual(new Set([expect.stringMatching(/^[A-Z]{6}\+NotoSansHans-Regular$/)]));
        expect(raw).toContain('/FontFile3');
        expect(raw).toContain('/ToUnicode');
      }
    });

    it('is found in the npm package, or where DOCUMENT_FONT_PATH says', async () => {
      delete process.env.DOCUMENT_FONT_PATH;
      const fromPackage = fontPath();
      expect(fromPackage).toMatch(/@embedpdf[/\\]fonts-sc[/\\]fonts[/\\]NotoSansHans-Regular\.otf$/);
      expect(readFileSync(fromPackage).subarray(0, 4).toString('latin1')).toBe('OTTO');
      const before = await renderDocument(contents.FILING_RECEIPT);

      // Another path to the same file (as a bundle's copy would be): read afresh, same bytes out.
      const link = join(dir, FONT_FILE);
      symlinkSync(fromPackage, link);
      process.env.DOCUMENT_FONT_PATH = link;
      expect(fontPath()).toBe(link);
      expect(Buffer.from(await renderDocument(contents.FILING_RECEIPT)).equals(Buffer.from(before))).toBe(
        true,
      );

      process.env.DOCUMENT_FONT_PATH = join(dir, 'missing.otf');
      await expect(renderDocument(contents.FILING_RECEIPT)).rejects.toThrow(/missing\.otf/);
    });
  });

  it('draws the QR matrix of the address, as the qrcode package makes it', () => {
    const m = qrMatrix('https://eia.example.cn/#/verify/x');
    expect(m.dark).toHaveLength(m.size * m.size);
    // The three finder patterns: dark corners top-left, top-right, bottom-left; light bottom-right.
    expect(m.dark[0]).toBe(true);
    expect(m.dark[m.size - 1]).toBe(true);
    expect(m.dark[(m.size - 1) * m.size]).toBe(true);
    expect(m.dark[7 * m.size + 7]).toBe(false);
  });
});
