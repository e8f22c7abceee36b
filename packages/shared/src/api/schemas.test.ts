import { describe, expect, it } from '@jest/globals';
import type { z } from 'zod';
import {
  CampaignBody,
  CampaignPatch,
  CouponTemplateBody,
  CouponTemplatePatch,
  MallItemBody,
  MallItemPatch,
  MAX_REPORT_DAYS,
  PointsAdjustmentBody,
  ReportQuery,
  StaffPatch,
  StoreBody,
} from './admin';
import { ImageUrl, pageOf, StoredDateTime } from './common';
import { CounterQuoteBody, MemberCodeInput } from './counter';
import { ReviewBody } from './engagement';
import { SubscriptionsBody } from './notifications';
import { CreateShareBody } from './share';

/** The messages of a refused value, path-qualified, so a test names the rule that refused it. */
function refusals(schema: z.ZodType, value: unknown): string[] {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const template = { code: 'spring-10', title: '春季券', validity: { days: 30 } };

describe('coupon template bodies', () => {
  it('ask each kind for its own terms', () => {
    expect(refusals(CouponTemplateBody, { ...template, kind: 'cash' })).toEqual(['valueCents: a cash coupon needs valueCents']);
    expect(refusals(CouponTemplateBody, { ...template, kind: 'threshold', valueCents: 500 })).toEqual([
      'thresholdCents: a threshold coupon needs thresholdCents',
    ]);
    expect(refusals(CouponTemplateBody, { ...template, kind: 'discount' })).toEqual(['discountPercent: a discount coupon needs discountPercent']);
    expect(refusals(CouponTemplateBody, { ...template, kind: 'cash', valueCents: 500 })).toEqual([]);
    expect(refusals(CouponTemplateBody, { ...template, kind: 'discount', discountPercent: 88 })).toEqual([]);
  });

  it('refuse a threshold coupon worth more than its threshold', () => {
    expect(refusals(CouponTemplateBody, { ...template, kind: 'threshold', valueCents: 6000, thresholdCents: 5000 })).toEqual([
      'valueCents: value must not exceed the threshold',
    ]);
    expect(refusals(CouponTemplateBody, { ...template, kind: 'threshold', valueCents: 5000, thresholdCents: 5000 })).toEqual([]);
  });

  it('refuse a fixed validity that ends before it starts, and a title that is only invisible characters', () => {
    const validity = { from: '2027-02-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' };
    expect(refusals(CouponTemplateBody, { ...template, kind: 'cash', valueCents: 1, validity })).toContain('validity.to: validity must end after it starts');
    expect(refusals(CouponTemplateBody, { ...template, kind: 'cash', valueCents: 1, title: '\u200b\u202e\u0000 ' })).toEqual([
      'title: must not be empty once invisible characters are removed',
    ]);
    expect(refusals(CouponTemplateBody, { ...template, kind: 'cash', valueCents: 1, title: '<b>券</b>' })).toEqual(['title: must not contain < or >']);
  });

  it('cleans the title it keeps', () => {
    const r = CouponTemplateBody.parse({ ...template, kind: 'cash', valueCents: 1, title: ' 新\u200b人券\u202e ' });
    expect(r.title).toBe('新人券');
  });

  it('refuse an empty patch', () => {
    expect(refusals(CouponTemplatePatch, {})).toEqual([': nothing to change']);
    expect(refusals(CouponTemplatePatch, { totalStock: null })).toEqual([]);
  });
});

describe('mall item bodies', () => {
  const item = { title: '帆布袋', pointsCost: 500, stock: 10 };

  it('tie coupon items to a template and only them', () => {
    expect(refusals(MallItemBody, { ...item, kind: 'coupon' })).toEqual(['couponTemplateCode: a coupon item needs a coupon template']);
    expect(refusals(MallItemBody, { ...item, kind: 'physical', couponTemplateCode: 'spring-10' })).toEqual([
      'couponTemplateCode: only coupon items have a template',
    ]);
    expect(refusals(MallItemBody, { ...item, kind: 'coupon', couponTemplateCode: 'spring-10' })).toEqual([]);
  });

  it('refuse a sale window that ends before it starts', () => {
    const window = { saleFrom: '2027-01-02T00:00:00Z', saleTo: '2027-01-01T00:00:00Z' };
    expect(refusals(MallItemBody, { ...item, kind: 'physical', ...window })).toEqual(['saleTo: sale must end after it starts']);
  });

  it('refuse an empty patch and accept a stock move', () => {
    expect(refusals(MallItemPatch, {})).toEqual([': nothing to change']);
    expect(refusals(MallItemPatch, { stockDelta: -3 })).toEqual([]);
  });
});

describe('operator bodies', () => {
  it('refuse a zero adjustment', () => {
    expect(refusals(PointsAdjustmentBody, { points: 0, reason: '补录' })).toContain('points: points must not be zero');
    expect(refusals(PointsAdjustmentBody, { points: -5, reason: '补录' })).toEqual([]);
  });

  it('refuse an empty staff patch and a store name with markup', () => {
    expect(refusals(StaffPatch, {})).toEqual([': nothing to change']);
    expect(refusals(StoreBody, { name: '<script>' })).toEqual(['name: must not contain < or >']);
  });

  it('ask a campaign for a day of the month or a closed window', () => {
    const campaign = { code: 'double-days', name: '双倍积分', multiplier: 2 };
    expect(refusals(CampaignBody, campaign)).toEqual(['dayOfMonth: a campaign needs a day of the month or a window with both ends']);
    expect(refusals(CampaignBody, { ...campaign, from: '2027-01-01' })).toHaveLength(1);
    expect(refusals(CampaignBody, { ...campaign, dayOfMonth: 18 })).toEqual([]);
    expect(refusals(CampaignBody, { ...campaign, from: '2027-01-01', to: '2027-01-01' })).toEqual([]);
  });

  it('refuse a campaign window that ends before it starts, in bodies and patches', () => {
    const window = { from: '2027-02-01', to: '2027-01-31' };
    expect(refusals(CampaignBody, { code: 'x-y', name: '活动', multiplier: 2, ...window })).toEqual(['to: the window must end on or after its first day']);
    expect(refusals(CampaignPatch, window)).toEqual(['to: the window must end on or after its first day']);
    expect(refusals(CampaignPatch, {})).toEqual([': nothing to change']);
  });

  it('keep campaign multipliers to two decimals', () => {
    expect(refusals(CampaignPatch, { multiplier: 1.555 })).toEqual(['multiplier: at most two decimals']);
    expect(refusals(CampaignPatch, { multiplier: 1.55 })).toEqual([]);
  });

  it('bound a report to a forward range of at most a year and a day', () => {
    expect(refusals(ReportQuery, { from: '2027-01-02', to: '2027-01-01' })).toEqual(['to: to must not be before from']);
    const last = new Date(Date.UTC(2027, 0, MAX_REPORT_DAYS)).toISOString().slice(0, 10);
    const oneTooMany = new Date(Date.UTC(2027, 0, MAX_REPORT_DAYS + 1)).toISOString().slice(0, 10);
    expect(refusals(ReportQuery, { from: '2027-01-01', to: last })).toEqual([]);
    expect(refusals(ReportQuery, { from: '2027-01-01', to: oneTooMany })).toEqual([`to: at most ${MAX_REPORT_DAYS} days`]);
  });
});

describe('member bodies', () => {
  it('accept each subscription kind once per answer', () => {
    expect(refusals(SubscriptionsBody, { accepted: ['points_changed', 'points_changed'] })).toEqual(['accepted: a kind may be accepted once per answer']);
  });

  it('ask an item share for the item', () => {
    expect(refusals(CreateShareBody, { page: 'item' })).toEqual(['params.id: an item share needs params.id']);
  });

  it('take each review tag once and a clean comment', () => {
    const tags = ReviewBody.safeParse({ stars: 5, answers: ['fast_service', 'fast_service'] });
    expect(tags.success).toBe(false);
    expect(refusals(ReviewBody, { stars: 4, comment: '不错<script>' })).toEqual(['comment: comment has forbidden characters']);
  });

  it('read a member code with spaces and refuse anything else', () => {
    expect(MemberCodeInput.parse('1234 5678 9012 3456 78')).toBe('123456789012345678');
    expect(MemberCodeInput.safeParse('12345678901234567x').success).toBe(false);
    expect(CounterQuoteBody.safeParse({ code: '123456789012345678', amountCents: 0 }).success).toBe(false);
  });
});

describe('common pieces', () => {
  it('bound stored instants by their UTC instant, not their text', () => {
    expect(StoredDateTime.safeParse('9999-12-31T23:00:00+08:00').success).toBe(true);
    expect(StoredDateTime.safeParse('9999-12-31T23:00:00-08:00').success).toBe(false);
    expect(StoredDateTime.safeParse('1969-12-31T23:59:59Z').success).toBe(false);
  });

  it('accept only site paths and https pictures', () => {
    for (const bad of ['//evil.test/x.png', '/\\evil.test', 'http://a.test/x.png', 'javascript:alert(1)', '/a b.png'])
      expect(ImageUrl.safeParse(bad).success).toBe(false);
    for (const good of ['/assets/a.png', 'https://cdn.example.com/a.png']) expect(ImageUrl.safeParse(good).success).toBe(true);
  });

  it('wrap a list in its envelope', () => {
    const page = pageOf(StoreBody);
    expect(page.safeParse({ data: [{ name: '旗舰店' }], nextCursor: null }).success).toBe(true);
    expect(page.safeParse({ data: [{ name: '' }], nextCursor: null }).success).toBe(false);
  });
});
