/**
 * What the card, the tier benefits page and the Me page say about tiers, the member day and the
 * birthday: pure functions of `/rules` and the card (whose `today` is the server's business day),
 * so nothing here reads the phone's clock or hard-codes a number the rules serve.
 */
import type { MemberCard, PersonalDataExport, PublicRules } from '@member/shared/api';
import { addBusinessDays, businessDate } from '@member/shared/rules/time';
import { NICKNAME_MAX_CHARS, charCount, cleanText, nicknameProblem, type NicknameProblem } from '@member/shared/text/text';
import { chineseDate, couponText, thousands, yuanInput } from './format';

type Campaign = PublicRules['campaigns'][number];
type Tier = PublicRules['tiers'][number];

const appliesTo = (c: Campaign, tier: string) => !c.tiers || c.tiers.includes(tier);

/** The campaigns of a tier on a day of the month, highest multiplier first (multipliers do not add up: the highest wins). */
function campaignsOn(campaigns: readonly Campaign[], tier: string, dayOfMonth: number): Campaign[] {
  return campaigns.filter((c) => c.dayOfMonth === dayOfMonth && appliesTo(c, tier)).sort((a, b) => b.multiplier - a.multiplier);
}

export interface MemberDayBanner {
  /** `today`: the member day is today; `eve`: it is tomorrow. */
  when: 'today' | 'eve';
  name: string;
  multiplier: number;
  /** The business day of the member day. */
  day: string;
}

/**
 * The member-day banner for `today` (a business day, `YYYY-MM-DD`): on the campaign's day and on
 * the day before it, for a campaign open to the member's tier; null on other days.
 */
export function memberDayBanner(today: string, campaigns: readonly Campaign[], tier: string): MemberDayBanner | null {
  for (const [when, day] of [
    ['today', today],
    ['eve', addBusinessDays(today, 1)],
  ] as const) {
    const found = campaignsOn(campaigns, tier, Number(day.slice(8, 10)));
    if (found.length > 0 && found[0].multiplier > 1) return { when, name: found[0].name, multiplier: found[0].multiplier, day };
  }
  return null;
}

export function memberDayText(b: MemberDayBanner): string {
  return b.when === 'today' ? `今天是${b.name}，消费积分 ×${b.multiplier}` : `明天（${chineseDate(b.day)}）是${b.name}，消费积分 ×${b.multiplier}`;
}

/** Whether `today` (business day) falls in the birthday's month; false without a birthday. */
export function isBirthdayMonth(today: string, birthday: string | null): boolean {
  return birthday !== null && birthday.slice(5, 7) === today.slice(5, 7);
}

/** The birthday gift's terms in one line: "生日满200减50（满¥200减¥50）". */
export function birthdayGiftText(gift: NonNullable<PublicRules['birthdayGift']>): string {
  // A title that already names every figure ("生日满200减50") is said once, not "生日满200减50（满¥200.00减¥50.00）".
  const figures = [gift.thresholdCents, gift.valueCents, gift.capCents]
    .filter((c): c is number => c !== undefined && c > 0)
    .map((c) => yuanInput(c).replace(/\.00$/, ''));
  if (gift.discountPercent !== undefined) figures.push(String(gift.discountPercent / 10));
  return figures.length > 0 && figures.every((f) => gift.title.includes(f)) ? gift.title : `${gift.title}（${couponText(gift)}）`;
}

export type TierPosition = 'current' | 'passed' | 'next' | 'ahead';

export interface TierColumn {
  code: string;
  name: string;
  colors: Tier['colors'];
  /** Growth needed, with thousands separators. */
  threshold: string;
  /** "9.5折" or "原价". */
  discount: string;
  /** The tier's perks (gifts and privileges), as the rules list them: what it adds to the tier below. */
  gifts: string[];
  /** "含银卡礼遇": every tier keeps the perks of the one below (null for the first). */
  includes: string | null;
  /** "每月18日 ×2", or "—" when no campaign multiplies this tier's points. */
  memberDay: string;
  /** The same, one entry per monthly day, for a table cell that puts the multiplier under its day. */
  memberDays: { when: string; multiplier: string }[];
  position: TierPosition;
}

export function discountText(percent: number): string {
  return percent >= 100 ? '原价' : `${percent / 10}折`;
}

/** The monthly days that multiply this tier's points, each at its highest multiplier (they do not add up). */
function memberDaysOf(campaigns: readonly Campaign[], tier: string): { when: string; multiplier: string }[] {
  const byDay = new Map<number, number>();
  for (const c of campaigns) {
    // Monthly days only: a campaign over a window of dates (双11) is not a member day.
    if (c.dayOfMonth === undefined || !appliesTo(c, tier) || c.multiplier <= 1) continue;
    byDay.set(c.dayOfMonth, Math.max(byDay.get(c.dayOfMonth) ?? 0, c.multiplier));
  }
  return [...byDay].sort(([a], [b]) => a - b).map(([day, m]) => ({ when: `每月${day}日`, multiplier: `×${m}` }));
}

function memberDayOf(campaigns: readonly Campaign[], tier: string): string {
  const days = memberDaysOf(campaigns, tier);
  return days.length === 0 ? '—' : days.map((d) => `${d.when} ${d.multiplier}`).join('、');
}

/** Every tier side by side, lowest first, with where the member stands. */
export function tierTable(rules: Pick<PublicRules, 'tiers' | 'campaigns'>, current: string): TierColumn[] {
  const tiers = [...rules.tiers].sort((a, b) => a.growthMin - b.growthMin);
  const at = tiers.findIndex((t) => t.code === current);
  return tiers.map((t, i) => ({
    code: t.code,
    name: t.name,
    colors: t.colors,
    threshold: thousands(t.growthMin),
    discount: discountText(t.discountPercent),
    gifts: t.perks,
    includes: i > 0 ? `含${tiers[i - 1].name.replace('会员', '')}礼遇` : null,
    memberDay: memberDayOf(rules.campaigns, t.code),
    memberDays: memberDaysOf(rules.campaigns, t.code),
    position: i === at ? 'current' : i < at ? 'passed' : i === at + 1 ? 'next' : 'ahead',
  }));
}

/**
 * What keeps a tier at the quarterly review (保级), as the rules state it: the review counts
 * qualifying growth (earned in the trailing days). The member's own figure is `keepTierLine`.
 */
export function keepTierText(rules: Pick<PublicRules, 'tiers' | 'tierReview'>, current: string): string {
  const tiers = [...rules.tiers].sort((a, b) => a.growthMin - b.growthMin);
  const at = tiers.findIndex((t) => t.code === current);
  if (at <= 0) return `${tiers[0]?.name ?? '普通会员'}无需保级，成长值达标即可升级。`;
  const t = tiers[at];
  const drop = rules.tierReview.maxDropPerReview;
  return (
    `每季度评定一次：评定时近 ${rules.tierReview.trailingDays} 天获得的成长值不低于 ${thousands(t.growthMin)}，即可保持${t.name}；` +
    `未达到则${drop === 1 ? '降一级' : `最多降 ${drop} 级`}（每次评定最多降 ${drop} 级）。`
  );
}

/**
 * The member's 保级 figure from the card (`growth.keep`, computed by the BFF): "再获得 1,800 成长值可保持金卡（2027年1月1日评定）",
 * or "已满足保级条件" when the growth that will still count on the review day is enough; null for
 * the lowest tier, which has nothing to keep.
 */
export function keepTierLine(keep: MemberCard['growth']['keep']): string | null {
  if (!keep) return null;
  const when = `（${chineseDate(keep.reviewOn)}评定）`;
  return keep.needed > 0 ? `再获得 ${thousands(keep.needed)} 成长值可保持${keep.tierName.replace('会员', '')}${when}` : `已满足保级条件${when}`;
}

/** What the next tier adds over the current one: its discount when better, and the perks the current tier does not have. */
export function nextTierUnlocks(rules: Pick<PublicRules, 'tiers' | 'campaigns'>, current: string): { name: string; lines: string[] } | null {
  const tiers = [...rules.tiers].sort((a, b) => a.growthMin - b.growthMin);
  const at = tiers.findIndex((t) => t.code === current);
  if (at < 0 || at + 1 >= tiers.length) return null;
  const now = tiers[at];
  const next = tiers[at + 1];
  const lines: string[] = [];
  const price = discountText(next.discountPercent);
  // The better price, unless a perk of the tier already says it ("9折会员价").
  if (next.discountPercent < now.discountPercent && !next.perks.some((p) => p.includes(price))) lines.push(`会员价 ${price}`);
  const have = new Set(now.perks);
  for (const p of next.perks) if (!have.has(p)) lines.push(p);
  const day = memberDayOf(rules.campaigns, next.code);
  if (day !== memberDayOf(rules.campaigns, now.code) && day !== '—') lines.push(`会员日 ${day}`);
  return { name: next.name, lines };
}

/** Why a typed nickname cannot be saved, in Chinese, or null; counted like the server (code points, cleaned). */
const NICKNAME_TEXT: Record<NicknameProblem, string> = {
  empty: '请输入昵称',
  'too-long': `昵称最多 ${NICKNAME_MAX_CHARS} 个字`,
  'forbidden-characters': '昵称不能包含 < 或 >',
};

export interface NicknameCheck {
  cleaned: string;
  /** "5/20" as the member sees it. */
  count: string;
  error: string | null;
}

export function checkNickname(typed: string): NicknameCheck {
  const cleaned = cleanText(typed);
  const problem = nicknameProblem(cleaned);
  return { cleaned, count: `${charCount(cleaned)}/${NICKNAME_MAX_CHARS}`, error: problem ? NICKNAME_TEXT[problem] : null };
}

/** Whether the birthday may be changed now, and if not, the line that says from when (a business day of the change limit). */
export function birthdayChangeText(profile: MemberCard['profile'], days: number, timeZone: string): string | null {
  if (!profile.birthdayChangeableFrom) return null;
  return `生日每 ${days} 天可修改一次，${chineseDate(businessDate(new Date(profile.birthdayChangeableFrom), timeZone))}起可再次修改`;
}

/**
 * What erasing costs this member, in their own figures, for the confirmation: "您现在的 1,234 积分、
 * 2 张未使用的优惠券和银卡会员等级将作废。" — only what they have; null when there is nothing to lose.
 */
export function eraseLosses(me: Pick<MemberCard, 'points' | 'coupons' | 'tier'>, firstTierCode: string): string | null {
  const parts: string[] = [];
  if (me.points.balance > 0) parts.push(`${thousands(me.points.balance)} 积分`);
  if (me.coupons.available > 0) parts.push(`${me.coupons.available} 张未使用的优惠券`);
  const tier = me.tier.code !== firstTierCode ? `${me.tier.name}等级` : null;
  if (parts.length === 0 && !tier) return null;
  const things = parts.join('、') + (tier ? `${parts.length ? '和' : ''}${tier}` : '');
  return `您现在的${/^\d/.test(things) ? ' ' : ''}${things}将作废。`;
}

/** What an export holds, counted, for the member to see before keeping the file. */
export function exportSummary(d: PersonalDataExport): string[] {
  const n = (a: readonly unknown[]) => a.length;
  return [
    `资料：昵称${d.member.birthday ? '、生日' : ''}${d.member.phone ? '、手机号' : ''}`,
    `积分记录 ${n(d.pointsLedger)} 条，成长值记录 ${n(d.growthLedger)} 条，等级变化 ${n(d.tierHistory)} 条`,
    `优惠券 ${n(d.coupons)} 张，消费 ${n(d.orders)} 笔，退款 ${n(d.refunds)} 笔，积分兑换 ${n(d.redemptions)} 次`,
    `签到 ${n(d.checkins)} 天，评价 ${n(d.reviews)} 条，分享 ${n(d.shares)} 次，邀请 ${n(d.invitations)} 条`,
    `消息通知 ${n(d.notifications)} 条`,
    `同意的隐私保护指引：版本 ${d.consent.version}`,
  ];
}

/** The file name an export is saved under: 会员数据-2026-11-23.json (the day from the export's own time). */
export function exportFileName(d: Pick<PersonalDataExport, 'exportedAt'>, timeZone: string): string {
  return `会员数据-${businessDate(new Date(d.exportedAt), timeZone)}.json`;
}
