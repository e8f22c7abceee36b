import { describe, expect, it } from '@jest/globals';
import { CouponView, InviteRefusal, PointsReason, RedemptionStatus, ReferralStatus, RefundCouponOutcome, ReviewTag } from '@member/shared/vocabulary';
import {
  COUPON_VIEW_EMPTY,
  COUPON_VIEW_HINT,
  COUPON_VIEW_TEXT,
  INVITE_REFUSAL_TEXT,
  labelOf,
  PICKUP_STATUS_TEXT,
  POINTS_REASON_TEXT,
  REDEMPTION_STATUS_TEXT,
  REFERRAL_STATUS_TEXT,
  REFUND_COUPON_PREVIEW,
  REFUND_COUPON_RESULT,
  REVIEW_TAG_TEXT,
} from './labels';

// The Records make the compiler demand a label for every value; this checks none is left blank or
// in English, and that the tables still match the vocabulary's values one for one.
describe.each([
  ['POINTS_REASON_TEXT', POINTS_REASON_TEXT, PointsReason.options],
  ['REDEMPTION_STATUS_TEXT', REDEMPTION_STATUS_TEXT, RedemptionStatus.options],
  ['PICKUP_STATUS_TEXT', PICKUP_STATUS_TEXT, RedemptionStatus.options],
  ['COUPON_VIEW_TEXT', COUPON_VIEW_TEXT, CouponView.options],
  ['COUPON_VIEW_HINT', COUPON_VIEW_HINT, CouponView.options],
  ['COUPON_VIEW_EMPTY', COUPON_VIEW_EMPTY, CouponView.options],
  ['REFUND_COUPON_PREVIEW', REFUND_COUPON_PREVIEW, RefundCouponOutcome.options],
  ['REFUND_COUPON_RESULT', REFUND_COUPON_RESULT, RefundCouponOutcome.options],
  ['REVIEW_TAG_TEXT', REVIEW_TAG_TEXT, ReviewTag.options],
  ['REFERRAL_STATUS_TEXT', REFERRAL_STATUS_TEXT, ReferralStatus.options],
  ['INVITE_REFUSAL_TEXT', INVITE_REFUSAL_TEXT, InviteRefusal.options],
] as [string, Record<string, string>, readonly string[]][])('%s', (_name, table, values) => {
  it('labels exactly the vocabulary’s values', () => {
    expect(Object.keys(table).sort()).toEqual([...values].sort());
  });

  it.each(values)('labels %s in Chinese', (value) => {
    expect(table[value]).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('labelOf', () => {
  it('shows a value a newer server sent as itself rather than as nothing', () => {
    expect(labelOf(POINTS_REASON_TEXT, 'lottery' as PointsReason)).toBe('lottery');
    expect(labelOf(POINTS_REASON_TEXT, 'expire')).toBe('积分过期');
  });
});
