import { describe, expect, it } from '@jest/globals';
import { allocateDebit, earnForPayment, expiredLots, lotExpiry, maxPointsUsable, pointsMultiplier, upcomingExpiry, yearlyProjection, type Lot } from './points';
import { businessDate } from './time';
import { testConfig } from '../../test/test-config';

const tz = testConfig.businessTimeZone;

describe('pointsMultiplier', () => {
  it.each([
    // instant (UTC), tier, multiplier
    ['2026-11-18T02:00:00Z', 'normal', 2], // member day
    ['2026-11-18T02:00:00Z', 'diamond', 2], // diamond bonus does not stack on member day
    ['2026-11-17T15:59:59Z', 'normal', 1], // 23:59:59 on the 17th in Shanghai
    ['2026-11-17T16:00:00Z', 'gold', 2], // 00:00 on the 18th in Shanghai
    ['2026-11-18T16:00:00Z', 'diamond', 1], // already the 19th in Shanghai
    ['2026-11-19T02:00:00Z', 'silver', 1],
  ])('%s for %s → ×%i', (at, tier, m) => {
    expect(pointsMultiplier(testConfig.campaigns, tier, new Date(at), tz)).toBe(m);
  });

  it('takes the highest multiplier when several campaigns apply', () => {
    const campaigns = [
      { code: 'a', name: 'a', dayOfMonth: 1, multiplier: 2 },
      { code: 'b', name: 'b', dayOfMonth: 1, multiplier: 3, tiers: ['gold'] },
      { code: 'c', name: 'c', dayOfMonth: 1, multiplier: 1.5 },
    ];
    const at = new Date('2026-12-01T04:00:00Z');
    expect(pointsMultiplier(campaigns, 'gold', at, tz)).toBe(3);
    expect(pointsMultiplier(campaigns, 'silver', at, tz)).toBe(2);
  });

  it('applies an operator’s campaign on the business days of its window only (both ends included, in the business zone)', () => {
    const week = [{ code: 'w', name: '周', multiplier: 3, from: '2026-12-01', to: '2026-12-07' }];
    expect(pointsMultiplier(week, 'normal', new Date('2026-11-30T15:59:59Z'), tz)).toBe(1); // 23:59:59 on 30 Nov in Shanghai
    expect(pointsMultiplier(week, 'normal', new Date('2026-11-30T16:00:00Z'), tz)).toBe(3); // 00:00 on 1 Dec
    expect(pointsMultiplier(week, 'normal', new Date('2026-12-07T15:59:59Z'), tz)).toBe(3);
    expect(pointsMultiplier(week, 'normal', new Date('2026-12-07T16:00:00Z'), tz)).toBe(1);
    // A monthly day inside a window: only that day of the window's months.
    const monthly = [{ code: 'm', name: '月', dayOfMonth: 5, multiplier: 2, from: '2026-12-01', to: '2027-01-31' }];
    expect(pointsMultiplier(monthly, 'normal', new Date('2026-12-05T04:00:00Z'), tz)).toBe(2);
    expect(pointsMultiplier(monthly, 'normal', new Date('2026-12-06T04:00:00Z'), tz)).toBe(1);
    expect(pointsMultiplier(monthly, 'normal', new Date('2027-02-05T04:00:00Z'), tz)).toBe(1);
  });
});

describe('earnForPayment', () => {
  it.each([
    // paid cents, multiplier, points, growth
    [0, 1, 0, 0],
    [1, 1, 0, 0],
    [99, 1, 0, 0],
    [100, 1, 1, 1],
    [9999, 1, 99, 99],
    [9999, 2, 198, 99], // floor first, then the multiplier
    [12345, 1, 123, 123],
    [100_000_00, 2, 200_000, 100_000],
    [-500, 1, 0, 0],
  ])('%i cents ×%i → %i points, %i growth', (paid, mult, points, growth) => {
    expect(earnForPayment(paid, mult, testConfig)).toEqual({ points, growth, multiplier: mult });
  });
});

describe('maxPointsUsable', () => {
  it.each([
    // due cents, balance, max points
    [10000, 100_000, 3000], // 30% of ¥100 = ¥30
    [10000, 2999, 2900], // balance limits, whole yuan only
    [10000, 99, 0],
    [333, 100_000, 0], // 30% of ¥3.33 is under ¥1
    [334, 100_000, 100], // ¥1.002 → ¥1
    [9999, 100_000, 2900], // ¥29.997 → ¥29
    [0, 100_000, 0],
    [10000, 0, 0],
    [10000, -500, 0], // a negative balance blocks spending
  ])('due %i, balance %i → %i', (due, balance, max) => {
    expect(maxPointsUsable(due, balance, testConfig.spend)).toBe(max);
  });
});

const day = (d: string) => new Date(`${d}T00:00:00+08:00`);
const lot = (id: string, remaining: number, expires: string, earned = '2026-01-01'): Lot => ({
  id,
  remaining,
  earnedAt: day(earned),
  expiresAt: day(expires),
});

describe('allocateDebit', () => {
  const now = day('2026-06-01');
  const lots = [lot('c', 300, '2027-03-01'), lot('a', 100, '2026-07-01'), lot('b', 200, '2026-09-01')];

  it.each([
    [50, [['a', 50]], 0],
    [100, [['a', 100]], 0],
    [
      250,
      [
        ['a', 100],
        ['b', 150],
      ],
      0,
    ],
    [
      600,
      [
        ['a', 100],
        ['b', 200],
        ['c', 300],
      ],
      0,
    ],
    [
      700,
      [
        ['a', 100],
        ['b', 200],
        ['c', 300],
      ],
      100,
    ],
  ])('debit %i takes closest-to-expiry first', (amount, takes, shortfall) => {
    const r = allocateDebit(lots, amount, now);
    expect(r.allocations.map((a) => [a.lotId, a.amount])).toEqual(takes);
    expect(r.shortfall).toBe(shortfall);
  });

  it('skips empty and already expired lots', () => {
    const r = allocateDebit([lot('x', 500, '2026-05-31'), lot('y', 0, '2026-06-15'), lot('z', 40, '2026-12-01')], 30, now);
    expect(r.allocations).toEqual([{ lotId: 'z', amount: 30 }]);
  });

  it('breaks ties on expiry by earning date, then id', () => {
    const r = allocateDebit(
      [lot('b', 10, '2026-12-01', '2026-01-02'), lot('a', 10, '2026-12-01', '2026-01-02'), lot('c', 10, '2026-12-01', '2025-12-31')],
      25,
      now,
    );
    expect(r.allocations.map((a) => a.lotId)).toEqual(['c', 'a', 'b']);
  });

  it("takes from the named lots first (a refund takes back its own order's points), then closest to expiry", () => {
    const lots3 = [lot('soon', 500, '2026-06-10'), lot('order', 200, '2027-06-01'), lot('later', 300, '2026-12-01')];
    expect(allocateDebit(lots3, 150, now, ['order']).allocations).toEqual([{ lotId: 'order', amount: 150 }]);
    expect(allocateDebit(lots3, 260, now, ['order']).allocations).toEqual([
      { lotId: 'order', amount: 200 },
      { lotId: 'soon', amount: 60 },
    ]);
    // An empty or expired named lot is passed over like any other.
    expect(allocateDebit([lot('gone', 50, '2026-05-01'), ...lots3], 10, now, ['gone']).allocations).toEqual([{ lotId: 'soon', amount: 10 }]);
  });
});

describe('expiredLots', () => {
  it('returns only lots past expiry that still hold points', () => {
    const now = day('2026-06-01');
    const lots = [lot('gone', 10, '2026-05-01'), lot('edge', 5, '2026-06-01'), lot('empty', 0, '2026-01-01'), lot('live', 9, '2026-06-02')];
    expect(expiredLots(lots, now).map((l) => l.id)).toEqual(['gone', 'edge']);
  });
});

describe('lotExpiry', () => {
  it('is lotLifetimeDays after earning', () => {
    expect(lotExpiry(new Date('2026-01-01T10:00:00Z'), testConfig.points.lotLifetimeDays).toISOString()).toBe('2027-01-01T10:00:00.000Z');
  });
});

describe('upcomingExpiry', () => {
  const now = day('2026-06-01');
  it('sums the lots expiring on the earliest business day inside the warning window', () => {
    const lots = [
      lot('a', 100, '2026-06-20'),
      { ...lot('b', 50, '2026-06-20'), expiresAt: new Date('2026-06-20T15:00:00Z') },
      lot('c', 70, '2026-06-25'),
      lot('d', 10, '2026-08-01'),
    ];
    expect(upcomingExpiry(lots, now, 30, tz)).toEqual({ amount: 150, on: '2026-06-20' });
  });
  it('is null when nothing expires inside the window', () => {
    expect(upcomingExpiry([lot('d', 10, '2026-08-01')], now, 30, tz)).toBeNull();
  });
});

describe('yearlyProjection', () => {
  it.each([
    [0, 0, 0],
    [90, 365, 365], // one point a day for 90 days → 365 a year → ¥3.65
    [1000, 4056, 4056],
  ])('%i points in the window → %i a year worth %i cents', (earned, perYear, worth) => {
    expect(yearlyProjection(earned, testConfig)).toEqual({ pointsPerYear: perYear, worthCents: worth });
  });
});

describe('businessDate', () => {
  it.each([
    ['2026-11-21T15:59:59Z', '2026-11-21'],
    ['2026-11-21T16:00:00Z', '2026-11-22'],
  ])('%s is business day %s in Shanghai', (at, d) => expect(businessDate(new Date(at), tz)).toBe(d));
});
