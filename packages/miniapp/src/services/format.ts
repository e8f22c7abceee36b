import { parseYuanToCents } from '@member/shared/rules/money';
import type { CouponKind } from '@member/shared/vocabulary';
import { entryOf } from './labels';

export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "1234.50" from 123450 cents: integer arithmetic, so no binary-fraction rounding (¥0.29 stays 0.29). */
function decimal(cents: number): { sign: string; whole: number; fraction: string } {
  const abs = Math.abs(Math.round(cents));
  return { sign: cents < 0 ? '-' : '', whole: Math.floor(abs / 100), fraction: String(abs % 100).padStart(2, '0') };
}

/**
 * The one way the app prints money: from cents, always two decimals, thousands separated —
 * ¥12.00, ¥128.50, ¥1,234.05, -¥3.00. Every amount a member or cashier reads goes through here.
 */
export function yuan(cents: number): string {
  const d = decimal(cents);
  return `${d.sign}¥${thousands(d.whole)}.${d.fraction}`;
}

/** An amount to prefill a text field with (no sign, no separators, so it parses back): "170.00". */
export function yuanInput(cents: number): string {
  const d = decimal(cents);
  return `${d.sign}${d.whole}.${d.fraction}`;
}

const zoned = new Map<string, Intl.DateTimeFormat>();

/**
 * "2026-11-20 12:05" in the business time zone (`rules.businessTimeZone`), whatever the phone's
 * own zone: what a receipt or a coupon's validity says is the store's time.
 */
export function businessDateTime(iso: string, timeZone: string): string {
  let f = zoned.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    zoned.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** "2026.11.20" (zero-padded: "2027.01.05"): a day as a coupon's validity shows it, in the business time zone. */
export function businessDayDots(iso: string, timeZone: string): string {
  return businessDateTime(iso, timeZone).slice(0, 10).replace(/-/g, '.');
}

/** 2027-01-10 → 2027年1月10日 */
export function chineseDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/**
 * "12.5" typed on the keypad → 1250 cents; null when it is not a price. The shared strict rule
 * (`parseYuanToCents`), allowing what typing passes through: a trailing point ("12."), and at most
 * seven whole digits (the keypad's display).
 */
export function parseYuan(text: string): number | null {
  if (/^\d{8}/.test(text)) return null;
  return parseYuanToCents(text.endsWith('.') ? text.slice(0, -1) : text);
}

/** What a coupon's terms are, in one line; the fields that matter depend on its kind. */
export interface CouponTerms {
  kind: CouponKind;
  valueCents?: number;
  thresholdCents?: number;
  discountPercent?: number;
  capCents?: number;
}

const COUPON_TEXT: Record<CouponKind, (c: CouponTerms) => string> = {
  discount: (c) => `${(c.discountPercent ?? 100) / 10}折${c.capCents ? `，最多减${yuan(c.capCents)}` : ''}`,
  threshold: (c) => `满${yuan(c.thresholdCents ?? 0)}减${yuan(c.valueCents ?? 0)}`,
  cash: (c) => `无门槛减${yuan(c.valueCents ?? 0)}`,
};

/** "满¥100减¥30", "8.5折，最多减¥20", "无门槛减¥10". */
export function couponText(c: CouponTerms): string {
  return (entryOf(COUPON_TEXT, c.kind) ?? COUPON_TEXT.cash)(c);
}

/** "金卡会员专享" for an item or coupon reserved to a tier. */
export function tierLabel(rules: { tiers: { code: string; name: string }[] }, code: string | undefined | null): string | null {
  if (!code) return null;
  return `${rules.tiers.find((t) => t.code === code)?.name ?? code}专享`;
}
