// The counter pricing table: used by the shared unit test and, through HTTP on MariaDB, by the
// BFF's counter integration test, so both prove the same numbers.
export interface PricingCase {
  name: string;
  tier: 'normal' | 'silver' | 'gold' | 'diamond';
  balance: number;
  grossCents: number;
  coupon?: { kind: 'cash' | 'threshold' | 'discount'; valueCents?: number; thresholdCents?: number; discountPercent?: number; capCents?: number };
  pointsToUse?: number;
  /** The points flag inside the member's code: on unless a case says otherwise. */
  pointsAllowed?: boolean;
  /** A member day (the 18th, Asia/Shanghai) doubles points. */
  memberDay?: boolean;
  expect:
    | {
        tierDiscountCents: number;
        couponDiscountCents: number;
        pointsDiscountCents: number;
        dueCents: number;
        pointsToEarn: number;
        growthToEarn: number;
        maxPointsUsable: number;
      }
    | { error: string };
}

export const pricingCases: PricingCase[] = [
  {
    name: 'normal tier, no extras',
    tier: 'normal',
    balance: 0,
    grossCents: 10000,
    expect: { tierDiscountCents: 0, couponDiscountCents: 0, pointsDiscountCents: 0, dueCents: 10000, pointsToEarn: 100, growthToEarn: 100, maxPointsUsable: 0 },
  },
  {
    name: 'silver 9.5折',
    tier: 'silver',
    balance: 0,
    grossCents: 10000,
    expect: { tierDiscountCents: 500, couponDiscountCents: 0, pointsDiscountCents: 0, dueCents: 9500, pointsToEarn: 95, growthToEarn: 95, maxPointsUsable: 0 },
  },
  {
    name: 'gold 9折',
    tier: 'gold',
    balance: 0,
    grossCents: 10000,
    expect: { tierDiscountCents: 1000, couponDiscountCents: 0, pointsDiscountCents: 0, dueCents: 9000, pointsToEarn: 90, growthToEarn: 90, maxPointsUsable: 0 },
  },
  {
    name: 'diamond 8.5折',
    tier: 'diamond',
    balance: 0,
    grossCents: 10000,
    expect: { tierDiscountCents: 1500, couponDiscountCents: 0, pointsDiscountCents: 0, dueCents: 8500, pointsToEarn: 85, growthToEarn: 85, maxPointsUsable: 0 },
  },
  {
    name: 'tier discount rounds down (silver on ¥0.99)',
    tier: 'silver',
    balance: 0,
    grossCents: 99,
    expect: { tierDiscountCents: 4, couponDiscountCents: 0, pointsDiscountCents: 0, dueCents: 95, pointsToEarn: 0, growthToEarn: 0, maxPointsUsable: 0 },
  },
  {
    name: 'tiny amount: one cent',
    tier: 'diamond',
    balance: 5000,
    grossCents: 1,
    expect: { tierDiscountCents: 0, couponDiscountCents: 0, pointsDiscountCents: 0, dueCents: 1, pointsToEarn: 0, growthToEarn: 0, maxPointsUsable: 0 },
  },
  {
    name: 'cash coupon ¥10',
    tier: 'normal',
    balance: 0,
    grossCents: 5000,
    coupon: { kind: 'cash', valueCents: 1000 },
    expect: { tierDiscountCents: 0, couponDiscountCents: 1000, pointsDiscountCents: 0, dueCents: 4000, pointsToEarn: 40, growthToEarn: 40, maxPointsUsable: 0 },
  },
  {
    name: 'cash coupon larger than the amount stops at zero',
    tier: 'normal',
    balance: 1000,
    grossCents: 800,
    coupon: { kind: 'cash', valueCents: 1000 },
    expect: { tierDiscountCents: 0, couponDiscountCents: 800, pointsDiscountCents: 0, dueCents: 0, pointsToEarn: 0, growthToEarn: 0, maxPointsUsable: 0 },
  },
  {
    name: '满100减30 met after the tier discount',
    tier: 'silver',
    balance: 0,
    grossCents: 10600,
    coupon: { kind: 'threshold', thresholdCents: 10000, valueCents: 3000 },
    expect: {
      tierDiscountCents: 530,
      couponDiscountCents: 3000,
      pointsDiscountCents: 0,
      dueCents: 7070,
      pointsToEarn: 70,
      growthToEarn: 70,
      maxPointsUsable: 0,
    },
  },
  {
    name: '满100减30 missed because of the tier discount',
    tier: 'silver',
    balance: 0,
    grossCents: 10500,
    coupon: { kind: 'threshold', thresholdCents: 10000, valueCents: 3000 },
    expect: { error: 'COUPON_NOT_APPLICABLE' },
  },
  {
    name: '满100减30 exactly at the threshold',
    tier: 'normal',
    balance: 0,
    grossCents: 10000,
    coupon: { kind: 'threshold', thresholdCents: 10000, valueCents: 3000 },
    expect: { tierDiscountCents: 0, couponDiscountCents: 3000, pointsDiscountCents: 0, dueCents: 7000, pointsToEarn: 70, growthToEarn: 70, maxPointsUsable: 0 },
  },
  {
    name: '8折 coupon rounds down',
    tier: 'normal',
    balance: 0,
    grossCents: 999,
    coupon: { kind: 'discount', discountPercent: 80 },
    expect: { tierDiscountCents: 0, couponDiscountCents: 199, pointsDiscountCents: 0, dueCents: 800, pointsToEarn: 8, growthToEarn: 8, maxPointsUsable: 0 },
  },
  {
    name: '8折 coupon capped at ¥15',
    tier: 'gold',
    balance: 0,
    grossCents: 20000,
    coupon: { kind: 'discount', discountPercent: 80, capCents: 1500 },
    expect: {
      tierDiscountCents: 2000,
      couponDiscountCents: 1500,
      pointsDiscountCents: 0,
      dueCents: 16500,
      pointsToEarn: 165,
      growthToEarn: 165,
      maxPointsUsable: 0,
    },
  },
  {
    name: 'points within the 30% cap',
    tier: 'normal',
    balance: 5000,
    grossCents: 10000,
    pointsToUse: 3000,
    expect: {
      tierDiscountCents: 0,
      couponDiscountCents: 0,
      pointsDiscountCents: 3000,
      dueCents: 7000,
      pointsToEarn: 70,
      growthToEarn: 70,
      maxPointsUsable: 3000,
    },
  },
  { name: 'points over the 30% cap', tier: 'normal', balance: 5000, grossCents: 10000, pointsToUse: 3100, expect: { error: 'POINTS_CAP_EXCEEDED' } },
  { name: 'points more than the balance', tier: 'normal', balance: 250, grossCents: 10000, pointsToUse: 300, expect: { error: 'POINTS_INSUFFICIENT' } },
  { name: 'points not in whole yuan', tier: 'normal', balance: 5000, grossCents: 10000, pointsToUse: 150, expect: { error: 'VALIDATION_FAILED' } },
  {
    name: 'cap computed after tier and coupon, in whole yuan',
    tier: 'gold',
    balance: 100000,
    grossCents: 12345,
    coupon: { kind: 'cash', valueCents: 1000 },
    pointsToUse: 2000,
    // 12345 → −1234 (9折, floor) = 11111 → −1000 = 10111 → cap 30% = 3033 cents → ¥30 → 3000 points
    expect: {
      tierDiscountCents: 1234,
      couponDiscountCents: 1000,
      pointsDiscountCents: 2000,
      dueCents: 8111,
      pointsToEarn: 81,
      growthToEarn: 81,
      maxPointsUsable: 3000,
    },
  },
  {
    name: 'member day doubles points, not growth',
    tier: 'normal',
    balance: 0,
    grossCents: 10000,
    memberDay: true,
    expect: { tierDiscountCents: 0, couponDiscountCents: 0, pointsDiscountCents: 0, dueCents: 10000, pointsToEarn: 200, growthToEarn: 100, maxPointsUsable: 0 },
  },
  {
    name: 'diamond on member day: ×2, not ×4',
    tier: 'diamond',
    balance: 0,
    grossCents: 10000,
    memberDay: true,
    expect: {
      tierDiscountCents: 1500,
      couponDiscountCents: 0,
      pointsDiscountCents: 0,
      dueCents: 8500,
      pointsToEarn: 170,
      growthToEarn: 85,
      maxPointsUsable: 0,
    },
  },
  {
    name: 'everything at once: diamond × 8折 capped coupon × points × member day',
    tier: 'diamond',
    balance: 3000,
    grossCents: 25000,
    coupon: { kind: 'discount', discountPercent: 80, capCents: 2000 },
    pointsToUse: 1900,
    memberDay: true,
    // 25000 → −3750 = 21250 → −2000 (cap) = 19250 → cap 5775 cents → ¥57 but balance allows ¥30 → max 3000
    expect: {
      tierDiscountCents: 3750,
      couponDiscountCents: 2000,
      pointsDiscountCents: 1900,
      dueCents: 17350,
      pointsToEarn: 346,
      growthToEarn: 173,
      maxPointsUsable: 3000,
    },
  },
  { name: 'a negative balance allows no points', tier: 'normal', balance: -500, grossCents: 10000, pointsToUse: 100, expect: { error: 'POINTS_INSUFFICIENT' } },
  {
    name: 'under ¥3.34 no points can be used at all',
    tier: 'normal',
    balance: 10000,
    grossCents: 333,
    pointsToUse: 100,
    expect: { error: 'POINTS_CAP_EXCEEDED' },
  },
  {
    name: 'the full 30% cap on a large amount',
    tier: 'silver',
    balance: 100000,
    grossCents: 100000,
    pointsToUse: 28500,
    expect: {
      tierDiscountCents: 5000,
      couponDiscountCents: 0,
      pointsDiscountCents: 28500,
      dueCents: 66500,
      pointsToEarn: 665,
      growthToEarn: 665,
      maxPointsUsable: 28500,
    },
  },
  {
    name: 'without the member’s points flag nothing is usable',
    tier: 'normal',
    balance: 5000,
    grossCents: 10000,
    pointsAllowed: false,
    expect: { tierDiscountCents: 0, couponDiscountCents: 0, pointsDiscountCents: 0, dueCents: 10000, pointsToEarn: 100, growthToEarn: 100, maxPointsUsable: 0 },
  },
  {
    name: 'without the member’s points flag spending points is refused',
    tier: 'normal',
    balance: 5000,
    grossCents: 10000,
    pointsToUse: 100,
    pointsAllowed: false,
    expect: { error: 'NOT_ELIGIBLE' },
  },
];
