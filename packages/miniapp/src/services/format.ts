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
  expire: '积分过期',
  adjust: '积分调整',
  spend: '积分抵现',
  seed: '开卡赠送',
};
