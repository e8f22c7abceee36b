/** ¥ amount from cents: ¥12, ¥12.5, ¥12.05. */
export function yuan(cents: number): string {
  const v = cents / 100;
  return `¥${Number.isInteger(v) ? v : v.toFixed(2).replace(/0$/, '')}`;
}

export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const pad = (n: number) => String(n).padStart(2, '0');

export function dateTime(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** 2027-01-10 → 2027年1月10日 */
export function chineseDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

export const REASON_TEXT: Record<string, string> = {
  order: '到店消费',
  checkin: '每日签到',
  review: '评价奖励',
  share: '分享奖励',
  referral: '邀请奖励',
  redeem: '积分兑换',
  redeem_cancel: '兑换取消退回',
  refund: '退款扣回',
  refund_return: '退款退回',
  expire: '积分过期',
  adjust: '积分调整',
  spend: '积分抵现',
  seed: '开卡赠送',
};

/** "12.5" typed on the keypad → 1250 cents; null when it is not a price. */
export function parseYuan(text: string): number | null {
  if (!/^\d{1,7}(\.\d{0,2})?$/.test(text)) return null;
  const [whole, frac = ''] = text.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

export function couponText(c: { kind: string; valueCents?: number; thresholdCents?: number; discountPercent?: number; capCents?: number }): string {
  if (c.kind === 'discount') return `${(c.discountPercent ?? 100) / 10}折${c.capCents ? `，最多减${yuan(c.capCents)}` : ''}`;
  if (c.kind === 'threshold') return `满${yuan(c.thresholdCents ?? 0)}减${yuan(c.valueCents ?? 0)}`;
  return `无门槛减${yuan(c.valueCents ?? 0)}`;
}

/** "金卡会员专享" for an item or coupon reserved to a tier. */
export function tierLabel(rules: { tiers: { code: string; name: string }[] }, code: string | undefined | null): string | null {
  if (!code) return null;
  return `${rules.tiers.find((t) => t.code === code)?.name ?? code}专享`;
}
