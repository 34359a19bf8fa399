/**
 * Rebuilds shared/domain/calendar-data.json from the `chinese-days` package.
 * Run: npx tsx scripts/seed-calendar.ts
 *
 * Years the bureau added by hand (published by the State Council before the package caught up)
 * are kept: the package only wins for the years it knows.
 */
// @ts-nocheck

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

interface YearData {
  holidays: string[];
  workdays: string[];
}

// Older years only bloat the file: no application in this system started before 2020.
const FIRST_YEAR = 2020;
const target = fileURLToPath(new URL('../shared/domain/calendar-data.json', import.meta.url));

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function loadPackageYears(): Map<string, YearData> {
  const path = createRequire(import.meta.url).resolve('chinese-days/dist/chinese-days.json');
  const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!isRecord(raw) || !isRecord(raw.holidays) || !isRecord(raw.workdays)) {
    throw new Error(`${path}: expected { holidays: {...}, workdays: {...} }`);
  }
  const years = new Map<string, YearData>();
  const add = (dates: Record<string, unknown>, kind: keyof YearData) => {
    for (const date of Object.keys(dates)) {
      const year = date.slice(0, 4);
      if (Number(year) < FIRST_YEAR) continue;
      let y = years.get(year);
      if (!y) {
        y = { holidays: [], workdays: [] };
        years.set(year, y);
      }
      y[kind].push(date);
    }
  };
  add(raw.holidays, 'holidays');
  add(raw.workdays, 'workdays');
  for (const y of years.values()) {
    y.holidays.sort();
    y.workdays.sort();
  }
  return years;
}

function loadExistingYears(): Map<string, YearData> {
  const years = new Map<string, YearData>();
  if (!existsSync(target)) return years;
  const raw: unknown = JSON.parse(readFileSync(target, 'utf8'));
  if (!isRecord(raw) || !isRecord(raw.years)) throw new Error(`${target}: expected { years: {...} }`);
  for (const [year, y] of Object.entries(raw.years)) {
    if (!isRecord(y) || !isDateList(y.holidays) || !isDateList(y.workdays)) {
      throw new Error(`${target}: year ${year} needs "holidays" and "workdays" lists of dates`);
    }
    years.set(year, { holidays: y.holidays, workdays: y.workdays });
  }
  return years;
}

function isDateList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((d) => typeof d === 'string');
}

const fromPackage = loadPackageYears();
const existing = loadExistingYears();
const merged = new Map(fromPackage);
const kept: string[] = [];
for (const [year, y] of existing) {
  if (merged.has(year)) continue;
  merged.set(year, y);
  kept.push(year);
}

const sorted = [...merged].sort(([a], [b]) => a.localeCompare(b));
// Same layout as `biome format` (width 110), so seeding and linting never fight over the file.
const list = (key: keyof YearData, dates: string[], comma: string) => {
  const quoted = dates.map((d) => JSON.stringify(d));
  const oneLine = `      "${key}": [${quoted.join(', ')}]${comma}`;
  if (oneLine.length <= 110) return oneLine;
  return [`      "${key}": [`, quoted.map((q) => `        ${q}`).join(',\n'), `      ]${comma}`].join('\n');
};
const body = sorted
  .map(([year, y]) =>
    [`    "${year}": {`, list('holidays', y.holidays, ','), list('workdays', y.workdays, ''), '    }'].join(
      '\n',
    ),
  )
  .join(',\n');
writeFileSync(target, `{\n  "years": {\n${body}\n  }\n}\n`);

console.log(`Wrote ${target}: years ${sorted.map(([year]) => year).join(', ')}`);
if (kept.length > 0) console.log(`Kept bureau-added years not in chinese-days: ${kept.join(', ')}`);
