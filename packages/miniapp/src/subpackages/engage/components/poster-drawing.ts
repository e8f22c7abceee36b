import type Taro from '@tarojs/taro';
import qrcode from 'qrcode-generator';

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

/**
 * Draws the invite poster: a coloured band with the member's nickname and the invitation, and a QR
 * code of the invite link on white, whole pixels per module with a 4-module quiet zone, so a phone
 * camera (or the browser test) can read it back.
 */
export function drawPoster(ctx: Taro.CanvasContext, nickname: string, link: string): void {
  ctx.setFillStyle('#c9962c');
  ctx.fillRect(0, 0, POSTER_WIDTH, POSTER_HEIGHT);
  ctx.setFillStyle('#ffffff');
  ctx.setFontSize(20);
  ctx.setTextAlign('center');
  ctx.fillText(`${nickname} 邀请你加入会员`, POSTER_WIDTH / 2, 44);
  ctx.setFontSize(14);
  ctx.fillText('注册并完成首单，你我都有积分', POSTER_WIDTH / 2, 72);

  const matrix = qrMatrix(link);
  const n = matrix.length;
  const quiet = 4;
  const module = Math.max(2, Math.floor(220 / (n + 2 * quiet)));
  const size = module * (n + 2 * quiet);
  const x0 = Math.floor((POSTER_WIDTH - size) / 2);
  const y0 = 100;
  ctx.setFillStyle('#ffffff');
  ctx.fillRect(x0, y0, size, size);
  ctx.setFillStyle('#000000');
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (matrix[r][c]) ctx.fillRect(x0 + (c + quiet) * module, y0 + (r + quiet) * module, module, module);
    }
  }
  ctx.setFillStyle('#ffffff');
  ctx.setFontSize(13);
  ctx.fillText('长按或扫码打开邀请', POSTER_WIDTH / 2, y0 + size + 30);
}
