import { describe, expect, it } from '@jest/globals';
import type { PersonalDataExport, PublicRules } from '@member/shared/api';
import {
  birthdayChangeText,
  birthdayGiftText,
  checkNickname,
  eraseLosses,
  exportFileName,
  exportSummary,
  isBirthdayMonth,
  keepTierLine,
  keepTierText,
  memberDayBanner,
  memberDayText,
  nextTierUnlocks,
  tierTable,
} from './membership';
import { couponText } from './format';

const colors = { from: '#000', to: '#111', text: '#fff' };
const rules = {
  tiers: [
    // Deliberately out of order: the table sorts by threshold.
    { code: 'gold', name: '金卡会员', growthMin: 5000, discountPercent: 90, colors, perks: ['9折会员价', '升级礼包', '专属顾问', '活动邀请'] },
    { code: 'normal', name: '普通会员', growthMin: 0, discountPercent: 100, colors, perks: ['注册礼包', '生日券', '积分兑换'] },
    { code: 'silver', name: '银卡会员', growthMin: 1000, discountPercent: 95, colors, perks: ['9.5折会员价', '升级礼包（¥20券）', '新品优先购'] },
    { code: 'diamond', name: '钻石会员', growthMin: 20000, discountPercent: 85, colors, perks: ['8.5折会员价', '升级礼包', '会员日双倍积分'] },
  ],
  campaigns: [
    { code: 'member-day', name: '会员日', dayOfMonth: 18, multiplier: 2 },
    { code: 'member-day-diamond', name: '钻石会员日', dayOfMonth: 18, multiplier: 3, tiers: ['diamond'] },
  ],
  tierReview: { trailingDays: 365, maxDropPerReview: 1 },
} as unknown as PublicRules;

describe('member day (the business day the card was made on)', () => {
  it('shows the banner on the 18th and on the 17th, not on the 16th or the 19th', () => {
    expect(memberDayBanner('2026-11-18', rules.campaigns, 'normal')).toEqual({ when: 'today', name: '会员日', multiplier: 2, day: '2026-11-18' });
    expect(memberDayBanner('2026-11-17', rules.campaigns, 'normal')).toEqual({ when: 'eve', name: '会员日', multiplier: 2, day: '2026-11-18' });
    expect(memberDayBanner('2026-11-16', rules.campaigns, 'normal')).toBeNull();
    expect(memberDayBanner('2026-11-19', rules.campaigns, 'normal')).toBeNull();
  });

  it('takes the highest multiplier open to the tier (they do not add up)', () => {
    expect(memberDayBanner('2026-11-18', rules.campaigns, 'diamond')).toMatchObject({ name: '钻石会员日', multiplier: 3 });
    expect(memberDayBanner('2026-11-18', rules.campaigns, 'gold')).toMatchObject({ name: '会员日', multiplier: 2 });
  });

  it('finds the eve across a month end, and says the day', () => {
    const firsts = [{ code: 'm1', name: '月初会员日', dayOfMonth: 1, multiplier: 2 }];
    const b = memberDayBanner('2026-02-28', firsts, 'normal');
    expect(b).toEqual({ when: 'eve', name: '月初会员日', multiplier: 2, day: '2026-03-01' });
    expect(memberDayText(b!)).toBe('明天（2026年3月1日）是月初会员日，消费积分 ×2');
    expect(memberDayText(memberDayBanner('2026-11-18', rules.campaigns, 'normal')!)).toBe('今天是会员日，消费积分 ×2');
  });

  it('ignores a campaign that multiplies nothing', () => {
    expect(memberDayBanner('2026-11-18', [{ code: 'x', name: '会员日', dayOfMonth: 18, multiplier: 1 }], 'normal')).toBeNull();
  });
});

describe('birthday month', () => {
  it('is the month of the birthday, any year; never without a birthday', () => {
    expect(isBirthdayMonth('2026-11-01', '1990-11-30')).toBe(true);
    expect(isBirthdayMonth('2026-12-01', '1990-11-30')).toBe(false);
    expect(isBirthdayMonth('2026-11-30', '1990-01-11')).toBe(false);
    expect(isBirthdayMonth('2026-11-30', null)).toBe(false);
  });

  it('describes the gift by its terms, once', () => {
    const gift = { title: '生日满200减50', kind: 'threshold' as const, thresholdCents: 20000, valueCents: 5000 };
    expect(birthdayGiftText(gift)).toBe('生日满200减50'); // the title already says it (it read 生日满200减50（满¥200.00减¥50.00）)
    const named = { ...gift, title: '生日礼券' };
    expect(birthdayGiftText(named)).toBe(`生日礼券（${couponText(named)}）`); // the money format is the app's one formatter
  });

  it('says from which business day the birthday may change again', () => {
    const profile = { birthday: '1990-11-05', phoneMasked: null, birthdayChangeableFrom: '2027-11-17T16:00:00.000Z' };
    expect(birthdayChangeText(profile, 365, 'Asia/Shanghai')).toBe('生日每 365 天可修改一次，2027年11月18日起可再次修改');
    expect(birthdayChangeText({ ...profile, birthdayChangeableFrom: null }, 365, 'Asia/Shanghai')).toBeNull();
  });
});

describe("eraseLosses (the erase confirmation, in the member's own figures)", () => {
  const me = { points: { balance: 1234, expiring: null }, coupons: { available: 2 }, tier: { code: 'silver', name: '银卡会员', discountPercent: 95 } };
  it('names the points, the unused coupons and a tier above the first', () => {
    expect(eraseLosses(me, 'normal')).toBe('您现在的 1,234 积分、2 张未使用的优惠券和银卡会员等级将作废。');
  });
  it('leaves out what the member does not have, and says nothing when there is nothing to lose', () => {
    expect(eraseLosses({ ...me, coupons: { available: 0 } }, 'normal')).toBe('您现在的 1,234 积分和银卡会员等级将作废。');
    expect(eraseLosses({ ...me, points: { balance: 0, expiring: null } }, 'normal')).toBe('您现在的 2 张未使用的优惠券和银卡会员等级将作废。');
    expect(eraseLosses({ ...me, points: { balance: 0, expiring: null }, coupons: { available: 0 } }, 'normal')).toBe('您现在的银卡会员等级将作废。');
    expect(
      eraseLosses(
        { points: { balance: 0, expiring: null }, coupons: { available: 0 }, tier: { code: 'normal', name: '普通会员', discountPercent: 100 } },
        'normal',
      ),
    ).toBeNull();
  });
});

describe('tier table', () => {
  it('lists every tier lowest first with threshold, discount, gifts, member-day multiplier and the member position', () => {
    const table = tierTable(rules, 'silver');
    expect(table.map((c) => [c.code, c.threshold, c.discount, c.memberDay, c.position])).toEqual([
      ['normal', '0', '原价', '每月18日 ×2', 'passed'],
      ['silver', '1,000', '9.5折', '每月18日 ×2', 'current'],
      ['gold', '5,000', '9折', '每月18日 ×2', 'next'],
      ['diamond', '20,000', '8.5折', '每月18日 ×3', 'ahead'],
    ]);
    expect(table[2].gifts).toEqual(['9折会员价', '升级礼包', '专属顾问', '活动邀请']);
    // Each tier's perks add to the one below, and the column says so (a diamond column without 专属顾问 read as "diamonds lose it").
    expect(table.map((c) => c.includes)).toEqual([null, '含普通礼遇', '含银卡礼遇', '含金卡礼遇']);
    // The cell puts the multiplier under its day, so a four-character-wide cell never breaks "×2" apart.
    expect(table[3].memberDays).toEqual([{ when: '每月18日', multiplier: '×3' }]);
  });

  it('says what the next tier unlocks, and nothing past the top', () => {
    expect(nextTierUnlocks(rules, 'silver')).toEqual({ name: '金卡会员', lines: ['9折会员价', '升级礼包', '专属顾问', '活动邀请'] });
    // A tier whose perks do not mention its price gets the price as a line of its own.
    const plain = { ...rules, tiers: rules.tiers.map((t) => ({ ...t, perks: t.perks.filter((p) => !p.includes('折')) })) };
    expect(nextTierUnlocks(plain, 'silver')?.lines[0]).toBe('会员价 9折');
    expect(nextTierUnlocks(rules, 'gold')?.lines).toContain('会员日 每月18日 ×3');
    expect(nextTierUnlocks(rules, 'diamond')).toBeNull();
  });

  it('says how much growth keeps the tier at the next review, from the card', () => {
    const keep = { tierCode: 'gold', tierName: '金卡会员', needed: 1800, reviewAt: '2026-12-31T16:00:00.000Z', reviewOn: '2027-01-01' };
    expect(keepTierLine(keep)).toBe('再获得 1,800 成长值可保持金卡（2027年1月1日评定）');
    expect(keepTierLine({ ...keep, needed: 0 })).toBe('已满足保级条件（2027年1月1日评定）');
    expect(keepTierLine(null)).toBeNull(); // 普通会员 has nothing to keep
  });

  it('states the keep-tier rule from the rules', () => {
    expect(keepTierText(rules, 'gold')).toBe(
      '每季度评定一次：评定时近 365 天获得的成长值不低于 5,000，即可保持金卡会员；未达到则降一级（每次评定最多降 1 级）。',
    );
    expect(keepTierText(rules, 'normal')).toBe('普通会员无需保级，成长值达标即可升级。');
  });
});

describe('nickname as typed on the Me page', () => {
  it('counts characters, not UTF-16 units, after cleaning', () => {
    expect(checkNickname(' 小明😀\u200b ')).toEqual({ cleaned: '小明😀', count: '3/20', error: null });
    expect(checkNickname('😀'.repeat(20)).error).toBeNull();
    expect(checkNickname('😀'.repeat(21)).error).toBe('昵称最多 20 个字');
    expect(checkNickname('\u200b ').error).toBe('请输入昵称');
    expect(checkNickname('<b>').error).toBe('昵称不能包含 < 或 >');
  });
});

describe('personal data export', () => {
  const data = {
    exportedAt: '2026-11-22T17:30:00.000Z',
    member: { birthday: '1990-11-05', phone: '13812341234' },
    pointsLedger: [1, 2, 3],
    growthLedger: [1],
    tierHistory: [1],
    coupons: [1, 2],
    orders: [1],
    refunds: [],
    redemptions: [],
    checkins: [1, 2],
    reviews: [],
    shares: [],
    invitations: [],
    notifications: [1],
    subscriptions: [],
    consent: { version: '2026-11-01', consentedAt: null },
  } as unknown as PersonalDataExport;

  it('is summarised in counts the member can check', () => {
    expect(exportSummary(data)).toEqual([
      '资料：昵称、生日、手机号',
      '积分记录 3 条，成长值记录 1 条，等级变化 1 条',
      '优惠券 2 张，消费 1 笔，退款 0 笔，积分兑换 0 次',
      '签到 2 天，评价 0 条，分享 0 次，邀请 0 条',
      '消息通知 1 条',
      '同意的隐私保护指引：版本 2026-11-01',
    ]);
  });

  it('is saved under the business day it was made (Shanghai, past midnight UTC+8)', () => {
    expect(exportFileName(data, 'Asia/Shanghai')).toBe('会员数据-2026-11-23.json');
  });
});
