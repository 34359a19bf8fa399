import PDFDocument from 'pdfkit';
import type { DocumentContent } from './content.ts';
import { loadFont } from './font.ts';
import { qrMatrix, qrRuns } from './qr.ts';
import { type Block, type Wording, wordingOf } from './wording.ts';

export type { DocumentContent } from './content.ts';
export { fontPath } from './font.ts';

/** A4 in points. */
const PAGE = { width: 595.28, height: 841.89 } as const;
const MARGIN = { top: 56, bottom: 64, left: 64, right: 64 } as const;
const WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const RED = '#b71c1c';
const INK = '#111111';
const GREY = '#555555';
const QR_SIZE = 80;

/**
 * The PDF of a written document. Deterministic: the same content gives the same bytes (creation
 * and modification dates are the issue date at midnight in Beijing, the file ID is derived from
 * them and the title, nothing random), so a retry or a replay stores the very same file.
 */
export async function renderDocument(content: DocumentContent): Promise<Uint8Array> {
  const font = await loadFont();
  const w = wordingOf(content);
  const issued = beijingMidnight(content.issuedOn);
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    // The one font, from the start: pdfkit's standard fonts are never loaded (a bundle has no
    // files of theirs) nor embedded. pdfkit takes a parsed font; its types say only a name or path.
    font: font as unknown as string,
    bufferPages: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: `${w.title.zh} ${content.number}`,
      Author: w.bureau.zh,
      Subject: `${w.title.en} ${content.number}`,
      Keywords: content.number,
      Creator: w.bureau.en,
      Producer: 'PDFKit',
      CreationDate: issued,
      ModDate: issued,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });

  letterhead(doc, w, content.number);
  facts(doc, w);
  for (const block of w.body) drawBlock(doc, block);
  doc.moveDown(0.6);
  for (const block of w.notes) drawBlock(doc, block);
  signature(doc, w);
  verification(doc, w, content.verifyUrl);
  footers(doc, content.number);

  doc.end();
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
}

/** `YYYY-MM-DD` at 00:00 China Standard Time (UTC+8). */
function beijingMidnight(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) - 8 * 3600 * 1000);
}

/**
 * The letterhead, the number and the title. There is one face (Regular): the letterhead and the
 * title are thickened by a thin outline drawn over the fill, and stay text.
 */
function letterhead(doc: PDFKit.PDFDocument, w: Wording, number: string): void {
  doc.fillColor(RED).strokeColor(RED);
  doc.lineWidth(0.6).fontSize(26).text(w.bureau.zh, MARGIN.left, MARGIN.top, {
    width: WIDTH,
    align: 'center',
    characterSpacing: 6,
    stroke: true,
    fill: true,
  });
  doc.fontSize(9.5).text(w.bureau.en, { width: WIDTH, align: 'center', stroke: false });
  doc.moveDown(0.4);
  doc.fontSize(11).fillColor(INK).text(number, { width: WIDTH, align: 'center' });
  const y = doc.y + 6;
  doc
    .save()
    .lineWidth(1.6)
    .strokeColor(RED)
    .moveTo(MARGIN.left, y)
    .lineTo(MARGIN.left + WIDTH, y)
    .stroke()
    .restore();
  doc.y = y + 16;
  doc.fillColor(INK).strokeColor(INK);
  doc
    .lineWidth(0.35)
    .fontSize(18)
    .text(w.title.zh, MARGIN.left, doc.y, { width: WIDTH, align: 'center', stroke: true, fill: true });
  doc.fontSize(10).fillColor(GREY).text(w.title.en, { width: WIDTH, align: 'center', stroke: false });
  doc.fillColor(INK).moveDown(0.8);
}

/** The facts in two columns: label (Chinese, English) and value. */
function facts(doc: PDFKit.PDFDocument, w: Wording): void {
  const gap = 12;
  const column = (WIDTH - gap) / 2;
  const labelWidth = 92;
  doc.fontSize(9);
  for (let i = 0; i < w.facts.length; i += 2) {
    const y = doc.y;
    let bottom = y;
    w.facts.slice(i, i + 2).forEach((f, j) => {
      const x = MARGIN.left + j * (column + gap);
      doc.fillColor(GREY).text(`${f.zh} ${f.en}`, x, y, { width: labelWidth });
      bottom = Math.max(bottom, doc.y);
      doc.fillColor(INK).text(f.value, x + labelWidth, y, { width: column - labelWidth });
      bottom = Math.max(bottom, doc.y);
    });
    doc.y = bottom + 2;
  }
  doc.x = MARGIN.left;
  doc.moveDown(0.8);
}

function paragraph(doc: PDFKit.PDFDocument, zh: string, en: string | undefined, indent: number): void {
  doc
    .fontSize(12)
    .fillColor(INK)
    .text(zh, MARGIN.left, doc.y, { width: WIDTH, indent, lineGap: 3, align: 'justify' });
  if (en) {
    doc
      .fontSize(9)
      .fillColor(GREY)
      .text(en, MARGIN.left, doc.y + 1, { width: WIDTH, lineGap: 1 });
  }
  doc.fillColor(INK).moveDown(0.5);
}

/** A numbered item with a hanging indent: the number in the margin of its text. */
function numbered(
  doc: PDFKit.PDFDocument,
  n: number,
  lines: { text: string; size: number; color: string }[],
): void {
  const hang = 24;
  // The number never alone at the foot of a page.
  keepTogether(doc, 36);
  const y = doc.y;
  doc
    .fontSize(12)
    .fillColor(INK)
    .text(`${n}.`, MARGIN.left + 6, y, { width: hang, lineBreak: false });
  doc.y = y;
  for (const line of lines) {
    doc
      .fontSize(line.size)
      .fillColor(line.color)
      .text(line.text, MARGIN.left + hang + 6, doc.y, {
        width: WIDTH - hang - 6,
        lineGap: 3,
        align: 'justify',
      });
  }
  doc.fillColor(INK).moveDown(0.35);
}

function drawBlock(doc: PDFKit.PDFDocument, block: Block): void {
  switch (block.type) {
    case 'line':
      doc.fontSize(12).fillColor(INK).text(block.zh, MARGIN.left, doc.y, { width: WIDTH, lineGap: 4 });
      doc.moveDown(0.3);
      return;
    case 'paragraph':
      paragraph(doc, block.zh, block.en, 24);
      return;
    case 'list':
      block.items.forEach((item, i) => {
        numbered(doc, i + 1, [{ text: item, size: 12, color: INK }]);
      });
      doc.moveDown(0.2);
      return;
    case 'materials':
      block.items.forEach((item, i) => {
        numbered(doc, i + 1, [
          { text: `${item.name}（${item.code}）`, size: 12, color: INK },
          { text: `补正理由：${item.reason}`, size: 11, color: INK },
        ]);
      });
      doc.moveDown(0.2);
      return;
  }
}

function signature(doc: PDFKit.PDFDocument, w: Wording): void {
  doc.moveDown(0.8);
  keepTogether(doc, 40);
  doc
    .fontSize(12)
    .fillColor(INK)
    .text(w.bureau.zh, MARGIN.left, doc.y, { width: WIDTH - 24, align: 'right' });
  doc.text(w.dateLine, { width: WIDTH - 24, align: 'right' });
  doc.moveDown(0.8);
}

/** The QR code of the verification address, and the address in full beside it on one line. */
function verification(doc: PDFKit.PDFDocument, w: Wording, url: string): void {
  keepTogether(doc, QR_SIZE + 12);
  const top = doc.y;
  const m = qrMatrix(url);
  // A quiet zone of 4 modules on every side, inside QR_SIZE.
  const unit = QR_SIZE / (m.size + 8);
  const x0 = MARGIN.left + 4 * unit;
  const y0 = top + 4 * unit;
  doc.save().fillColor('#000000');
  for (const run of qrRuns(m)) {
    doc.rect(x0 + run.col * unit, y0 + run.row * unit, run.length * unit, unit);
  }
  doc.fill().restore();

  const textX = MARGIN.left + QR_SIZE + 10;
  const textWidth = WIDTH - QR_SIZE - 10;
  doc
    .fontSize(9)
    .fillColor(INK)
    .text(w.verify.zh, textX, top + 10, { width: textWidth });
  doc.fillColor(GREY).text(w.verify.en, textX, doc.y + 1, { width: textWidth });
  // The address on one line, smaller if it must be, so it can be copied and read as a whole (a
  // very long one wraps).
  let size = 8.5;
  doc.fontSize(size);
  while (size > 5 && doc.widthOfString(url) > textWidth) {
    size -= 0.25;
    doc.fontSize(size);
  }
  doc.fillColor(INK).text(url, textX, doc.y + 3, { width: textWidth, link: url });
  doc.x = MARGIN.left;
  doc.y = Math.max(doc.y, top + QR_SIZE);
}

/** A new page unless `height` points still fit above the bottom margin. */
function keepTogether(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > PAGE.height - MARGIN.bottom) doc.addPage();
}

/** `第 1 页 / 共 2 页 · number` at the foot of every page. */
function footers(doc: PDFKit.PDFDocument, number: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing into the bottom margin must not open a page of its own.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .fontSize(8.5)
      .fillColor(GREY)
      .text(`第 ${i + 1} 页 / 共 ${range.count} 页 · ${number}`, MARGIN.left, PAGE.height - 40, {
        width: WIDTH,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
}
