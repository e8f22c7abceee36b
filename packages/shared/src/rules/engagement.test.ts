import { describe, expect, it } from '@jest/globals';
import { businessMonth } from './time';
import {
  invitationsToMilestone,
  inviteCodeTarget,
  invitePath,
  isReferralMilestone,
  landingParams,
  sceneInviteCode,
  sharePath,
  shareWindowStart,
} from './engagement';

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

describe('the mini-program code of an invitation (scene)', () => {
  it('opens the invite landing page as WeChat wants it (no leading slash, no query) with the bare code as the scene', () => {
    expect(inviteCodeTarget('ABCD2345')).toEqual({ scene: 'ABCD2345', page: 'pages/index/index' });
    // The page is the one the invite path opens, so both ways in land where registration picks the code up.
    expect(invitePath('ABCD2345').startsWith(`/${inviteCodeTarget('ABCD2345').page}?`)).toBe(true);
  });
  it('reads the invite code back from the scene, encoded (as WeChat hands it) or not', () => {
    expect(sceneInviteCode('ABCD2345')).toBe('ABCD2345');
    expect(sceneInviteCode('abcd2345')).toBe('ABCD2345');
    expect(sceneInviteCode(encodeURIComponent(' ABCD2345 '))).toBe('ABCD2345');
  });
  it('gives nothing for a scene that is not an invite code', () => {
    for (const scene of [undefined, '', 'AB12', 'ABCD2345ABCD2', 'a=1', 'ABCD%2', '%E4%BD%A0%E5%A5%BD', 'ABCD-2345']) {
      expect(sceneInviteCode(scene)).toBeUndefined();
    }
  });
  it('a landing query takes the invite code from the scene like from the invite path; the path wins when both are there', () => {
    expect(landingParams({ scene: 'abcd2345' })).toEqual({ inviteCode: 'ABCD2345' });
    expect(landingParams({ scene: inviteCodeTarget('ZXCV6789').scene, shareToken: 'tok_tok_tok_tok_1' })).toEqual({
      inviteCode: 'ZXCV6789',
      shareToken: 'tok_tok_tok_tok_1',
    });
    expect(landingParams({ inviteCode: 'ABCD2345', scene: 'ZXCV6789' })).toEqual({ inviteCode: 'ABCD2345' });
    expect(landingParams({ inviteCode: 'no!', scene: 'ZXCV6789' })).toEqual({ inviteCode: 'ZXCV6789' });
    expect(landingParams({ scene: 'not a code' })).toEqual({});
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
