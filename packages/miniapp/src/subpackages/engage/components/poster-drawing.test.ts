import { describe, expect, it } from '@jest/globals';
import { drawPoster, POSTER_WIDTH, qrMatrix, type PosterContext } from './poster-drawing';

/** A canvas context that records what is drawn. */
function recorder() {
  const calls: { op: string; args: unknown[] }[] = [];
  const rec =
    (op: string) =>
    (...args: unknown[]) => {
      calls.push({ op, args });
    };
  const ctx = {
    setFillStyle: rec('setFillStyle'),
    fillRect: rec('fillRect'),
    setFontSize: rec('setFontSize'),
    setTextAlign: rec('setTextAlign'),
    fillText: rec('fillText'),
    drawImage: rec('drawImage'),
  } as unknown as PosterContext;
  return { ctx, calls, of: (op: string) => calls.filter((c) => c.op === op).map((c) => c.args) };
}

describe('drawPoster', () => {
  it('on WeChat draws the mini-program code image, centred on white, and no QR modules of its own', () => {
    const r = recorder();
    drawPoster(r.ctx, '小明', { kind: 'image', file: 'wxfile://tmp/code.png' });
    expect(r.of('drawImage')).toEqual([['wxfile://tmp/code.png', 50, 110, 200, 200]]);
    // The band and the white square behind the code only.
    expect(r.of('fillRect')).toEqual([
      [0, 0, POSTER_WIDTH, 420],
      [40, 100, 220, 220],
    ]);
    expect(r.of('fillText').map((a) => a[0])).toEqual(['小明 邀请你加入会员', '注册并完成首单，你我都有积分', '长按识别或微信扫码打开邀请']);
  });

  it('on H5 draws a QR code of the link itself: one square per dark module, inside the white square', () => {
    const r = recorder();
    const link = 'https://example.com/#/pages/index/index?inviteCode=ABCD2345';
    drawPoster(r.ctx, '小明', { kind: 'qr', text: link });
    const dark = qrMatrix(link)
      .flat()
      .filter((d) => d).length;
    expect(r.of('drawImage')).toEqual([]);
    expect(r.of('fillRect')).toHaveLength(2 + dark);
    const [, white, ...modules] = r.of('fillRect') as number[][];
    for (const [x, y, w, h] of modules) {
      expect(x).toBeGreaterThanOrEqual(white[0]);
      expect(y).toBeGreaterThanOrEqual(white[1]);
      expect(x + w).toBeLessThanOrEqual(white[0] + white[2]);
      expect(y + h).toBeLessThanOrEqual(white[1] + white[3]);
    }
  });
});
