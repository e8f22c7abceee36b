import qrcode from 'qrcode-generator';
// jsbarcode's Code 128 encoder only (no DOM renderer): it turns digits into bars.
import CODE128C from 'jsbarcode/bin/barcodes/CODE128/CODE128C';

/**
 * Drawings of the member code as SVG data URIs: a QR code and a Code 128 (set C) barcode. SVG in
 * an <Image> works the same on WeChat and H5, and stays sharp at any size.
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** base64 of an ASCII string (SVG markup); mini-programs have no btoa. */
export function asciiToBase64(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i += 3) {
    const a = s.charCodeAt(i);
    const b = i + 1 < s.length ? s.charCodeAt(i + 1) : NaN;
    const c = i + 2 < s.length ? s.charCodeAt(i + 2) : NaN;
    const n = (a << 16) | ((b || 0) << 8) | (c || 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (Number.isNaN(b) ? '=' : B64[(n >> 6) & 63]) + (Number.isNaN(c) ? '=' : B64[n & 63]);
  }
  return out;
}

function dataUri(svg: string): string {
  return `data:image/svg+xml;base64,${asciiToBase64(svg)}`;
}

/** QR code (error correction M, 4-module quiet zone) as one SVG path. */
export function qrSvg(text: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Numeric');
  qr.make();
  const n = qr.getModuleCount();
  const quiet = 4;
  let path = '';
  for (let r = 0; r < n; r++) {
    let run = 0;
    for (let c = 0; c <= n; c++) {
      if (c < n && qr.isDark(r, c)) {
        run++;
      } else if (run > 0) {
        path += `M${c - run + quiet} ${r + quiet}h${run}v1h-${run}z`;
        run = 0;
      }
    }
  }
  const size = n + quiet * 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
}

/** Bars of Code 128 set C for an even number of digits, as a string of 1 (bar) and 0 (space). */
export function code128Bars(digits: string): string {
  const encoder = new CODE128C(digits, {});
  if (!encoder.valid()) throw new Error('Code 128C needs an even number of digits');
  return encoder.encode().data;
}

export function barcodeSvg(digits: string): string {
  const bars = code128Bars(digits);
  const quiet = 10;
  const width = bars.length + quiet * 2;
  let path = '';
  let run = 0;
  for (let i = 0; i <= bars.length; i++) {
    if (bars[i] === '1') {
      run++;
    } else if (run > 0) {
      path += `M${i - run + quiet} 0h${run}v60h-${run}z`;
      run = 0;
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} 60" preserveAspectRatio="none" shape-rendering="crispEdges"><rect width="${width}" height="60" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
}

export const qrDataUri = (text: string) => dataUri(qrSvg(text));
export const barcodeDataUri = (digits: string) => dataUri(barcodeSvg(digits));

/** 18 digits grouped for reading aloud and typing at the till: 4-4-4-4-2. */
export function groupDigits(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ');
}
