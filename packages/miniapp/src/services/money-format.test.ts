import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';

// Money is printed one way only: `yuan()` in services/format.ts. This walks the mini-program's
// sources and fails on any other way of turning cents into text.
const SRC = join(__dirname, '..');
const ALLOWED = new Set(['services/format.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const OTHER_WAYS: [RegExp, string][] = [
  [/toFixed\(/, 'toFixed'],
  [/\/\s*100\b/, 'divides by 100'],
  [/¥\{/, '¥ written beside a JSX value'],
  [/¥\$\{(?!amountText\})/, '¥ written beside a template value'],
];

describe('money formatting', () => {
  it('no source prints money except through yuan()', () => {
    const offences = sources(SRC)
      .filter((p) => !ALLOWED.has(relative(SRC, p).split('\\').join('/')))
      .flatMap((p) =>
        readFileSync(p, 'utf8')
          .split('\n')
          .flatMap((line, i) =>
            line.trim().startsWith('//') || line.trim().startsWith('*')
              ? []
              : OTHER_WAYS.filter(([re]) => re.test(line)).map(([, why]) => `${relative(SRC, p)}:${i + 1} ${why}`),
          ),
      );
    expect(offences).toEqual([]);
  });
});
