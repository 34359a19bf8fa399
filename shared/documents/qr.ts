import QRCode from 'qrcode';

/** A QR code as a square of modules: `dark[row * size + col]`. */
export interface QrMatrix {
  size: number;
  dark: boolean[];
}

/** The QR code of `text` (error correction M, the smallest version that holds it). */
export function qrMatrix(text: string): QrMatrix {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const dark: boolean[] = [];
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) dark.push(Boolean(modules.get(row, col)));
  }
  return { size: modules.size, dark };
}

/**
 * The dark modules as rectangles, one per horizontal run, in module units: what the PDF draws, so
 * the code is vector and the same text always gives the same drawing.
 */
export function qrRuns(m: QrMatrix): { row: number; col: number; length: number }[] {
  const runs: { row: number; col: number; length: number }[] = [];
  for (let row = 0; row < m.size; row++) {
    let col = 0;
    while (col < m.size) {
      if (!m.dark[row * m.size + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < m.size && m.dark[row * m.size + col]) col++;
      runs.push({ row, col: start, length: col - start });
    }
  }
  return runs;
}
