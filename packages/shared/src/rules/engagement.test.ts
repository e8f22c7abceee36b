import { describe, expect, it } from '@jest/globals';
import { businessMonth } from './time';
import { invitationsToMilestone, invitePath, isReferralMilestone, landingParams, sharePath, shareWindowStart } from './engagement';

describe('share and invite paths', () => {
  it('puts the invite code on the member center', () => expect(invitePath('ABCD2345')).toBe('/pages/index/index?inviteCode=ABCD2345'));
  it('carries the token on every shared page, the item id and the invite code where they belong', () => {
    expect(sharePath('item', 'tok_tok_tok_tok_1', { id: '01J00000000000000000000000' })).toBe(
      '/subpackages/mall/item/index?id=01J00000000000000000000000&shareToken=tok_tok_tok_tok_1',
    );
    expect(sharePath('mall', 'tok_tok_tok_tok_1')).toBe('/pages/mall/index?shareToken=tok_tok_tok_tok_1');
    expect(sharePath('invite', 'tok_tok_tok_tok_1', { inviteCode: 'ABCD2345' })).toBe('/pages/index/index?inviteCode=ABCD2345&shareToken=tok_tok_tok_tok_1');
  });
  it('reads back only well-formed values from a landing query', () => {
    expect(landingParams({ shareToken: 'tok_tok_tok_tok_1', inviteCode: 'abcd2345' })).toEqual({ shareToken: 'tok_tok_tok_tok_1', inviteCode: 'ABCD2345' });
    expect(landingParams({ shareToken: 'short', inviteCode: 'no!' })).toEqual({});
    expect(landingParams({})).toEqual({});
  });
});

describe('windows, months and milestones', () => {
  it('opens the share window windowHours before now', () =>
    expect(shareWindowStart(new Date('2026-03-02T12:00:00Z'), 24).toISOString()).toBe('2026-03-01T12:00:00.000Z'));
  it('counts months in the business zone (Shanghai is ahead of UTC)', () => {
    expect(businessMonth(new Date('2026-03-31T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-04');
    expect(businessMonth(new Date('2026-03-31T15:30:00Z'), 'Asia/Shanghai')).toBe('2026-03');
  });
  it('gives the milestone on every n-th rewarded invitation', () => {
    expect([0, 1, 4, 5, 6, 10].map((n) => isReferralMilestone(n, 5))).toEqual([false, false, false, true, false, true]);
    expect(invitationsToMilestone(3, 5)).toBe(2);
    expect(invitationsToMilestone(5, 5)).toBe(5);
  });
});
