// @ts-nocheck
import { vi } from 'vitest';

/** One line as the Powertools logger printed it (JSON), parsed. */
export type LogLine = Record<string, any>;

/**
 * Catches the lines the logger prints (info to stdout, warnings and errors to stderr) instead of
 * printing them, and hands them back parsed; anything else written passes through. The streams
 * are caught rather than the logger's methods so that a test sees the line as CloudWatch would,
 * with every key Powertools adds. Undone by vi.restoreAllMocks().
 */
export function captureLogLines(): LogLine[] {
  const lines: LogLine[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: any[]) => boolean;
    vi.spyOn(stream, 'write').mockImplementation((chunk: any, ...rest: any[]) => {
      const line = typeof chunk === 'string' ? parse(chunk) : undefined;
      if (!line) return write(chunk, ...rest);
      lines.push(line);
      return true;
    });
  }
  return lines;
}

function parse(text: string): LogLine | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    const isLog = typeof value === 'object' && value !== null && 'level' in value && 'service' in value;
    return isLog ? (value as LogLine) : undefined;
  } catch {
    return undefined;
  }
}
