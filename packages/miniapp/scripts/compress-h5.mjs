// Writes `file.br` (brotli 11) and `file.gz` (gzip 9) beside each text file of the H5 build, which the
// BFF serves to browsers that accept them (packages/bff/src/http/static.ts); compressing at the highest
// level once here beats compressing at a fast level on the first request (brotli 11 takes ≈ 600 ms for
// the app bundle). Prints the totals, raw and compressed.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const root = path.resolve(import.meta.dirname, '../dist/h5');
const TEXT = /\.(html|js|css|json|svg|txt)$/;
const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const files = walk(root).filter((f) => TEXT.test(f) && !f.endsWith('.LICENSE.txt') && statSync(f).size >= 1024);
const totals = { raw: 0, br: 0, gz: 0 };
await Promise.all(
  files.map(async (file) => {
    const body = readFileSync(file);
    const [b, g] = await Promise.all([
      brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
      gz(body, { level: 9 }),
    ]);
    writeFileSync(`${file}.br`, b);
    writeFileSync(`${file}.gz`, g);
    totals.raw += body.length;
    totals.br += b.length;
    totals.gz += g.length;
  }),
);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`h5: ${files.length} files compressed, ${kb(totals.raw)} raw, ${kb(totals.gz)} gzip, ${kb(totals.br)} brotli`);
