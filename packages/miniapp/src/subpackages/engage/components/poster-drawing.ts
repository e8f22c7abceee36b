import type Taro from '@tarojs/taro';
import qrcode from 'qrcode-generator';
import type { PosterCode } from '../../../platform/index';

export const POSTER_WIDTH = 300;
export const POSTER_HEIGHT = 420;

/** Dark modules of a QR code (error correction M) of `text`, as a square matrix. */
export function qrMatrix(text: string): boolean[][] {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c)));
}

/** The square the poster's code takes: its side and top-left corner. */
const CODE_BOX = 220;
const CODE_TOP = 100;

/** The part of the poster's canvas API the drawing uses (so tests can record it). */
export type PosterContext = Pick<Taro.CanvasContext, 'setFillStyle' | 'fillRect' | 'setFontSize' | 'setTextAlign' | 'fillText' | 'drawImage'>;

/**
 * Draws the invite poster: a coloured band with the member's nickname and the invitation, and the
 * code on white. A QR code (H5: of the invite link) is drawn in whole pixels per module with a
 * 4-module quiet zone, so a phone camera (or the browser test) can read it back; an image (WeChat's
 * mini-program code, a temporary file) fills the square inside a small white margin.
 */
export function drawPoster(ctx: PosterContext, nickname: string, code: PosterCode): void {
  ctx.setFillStyle('#c9962c');
  ctx.fillRect(0, 0, POSTER_WIDTH, POSTER_HEIGHT);
  ctx.setFillStyle('#ffffff');
  ctx.setFontSize(20);
  ctx.setTextAlign('center');
  ctx.fillText(`${nickname} 邀请你加入会员`, POSTER_WIDTH / 2, 44);
  ctx.setFontSize(14);
  ctx.fillText('注册并完成首单，你我都有积分', POSTER_WIDTH / 2, 72);

  let size = CODE_BOX;
  if (code.kind === 'image') {
    const x0 = Math.floor((POSTER_WIDTH - size) / 2);
    ctx.setFillStyle('#ffffff');
    ctx.fillRect(x0, CODE_TOP, size, size);
    ctx.drawImage(code.file, x0 + 10, CODE_TOP + 10, size - 20, size - 20);
  } else {
    const matrix = qrMatrix(code.text);
    const n = matrix.length;
    const quiet = 4;
    const module = Math.max(2, Math.floor(CODE_BOX / (n + 2 * quiet)));
    size = module * (n + 2 * quiet);
    const x0 = Math.floor((POSTER_WIDTH - size) / 2);
    ctx.setFillStyle('#ffffff');
    ctx.fillRect(x0, CODE_TOP, size, size);
    ctx.setFillStyle('#000000');
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        if (matrix[r][c]) ctx.fillRect(x0 + (c + quiet) * module, CODE_TOP + (r + quiet) * module, module, module);
      }
    }
  }
  ctx.setFillStyle('#ffffff');
  ctx.setFontSize(13);
  ctx.fillText(code.kind === 'image' ? '长按识别或微信扫码打开邀请' : '长按或扫码打开邀请', POSTER_WIDTH / 2, CODE_TOP + size + 30);
}
