import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { bffNodeFlags, DEFAULT_HEAP_MB } from './process-flags';

describe('the BFF process flags', () => {
  it('limit the heap to the default, or to BFF_HEAP_MB', () => {
    expect(bffNodeFlags({})).toEqual([`--max-old-space-size=${DEFAULT_HEAP_MB}`]);
    expect(bffNodeFlags({ BFF_HEAP_MB: '' })).toEqual([`--max-old-space-size=${DEFAULT_HEAP_MB}`]);
    expect(bffNodeFlags({ BFF_HEAP_MB: '512' })).toEqual(['--max-old-space-size=512']);
  });

  it.each(['abc', '1.5', '-1', '16', '128MB'])('refuse BFF_HEAP_MB=%s with a message naming the setting', (value) => {
    expect(() => bffNodeFlags({ BFF_HEAP_MB: value })).toThrow(/BFF_HEAP_MB/);
  });

  it("are the ones the package's own start script passes", () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '../package.json'), 'utf8')) as { scripts: { start: string } };
    expect(pkg.scripts.start).toBe(`node ${bffNodeFlags({}).join(' ')} dist/main.js`);
  });
});
