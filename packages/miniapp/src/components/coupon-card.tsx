import { View, Text } from '@tarojs/components';
import type { Coupon, PublicRules } from '@member/shared/api';
import type { CouponKind } from '@member/shared/vocabulary';
import { businessDayDots, yuan } from '../services/format';
import { COUPON_VIEW_HINT, entryOf, labelOf } from '../services/labels';
import './coupon-card.css';

const DAY = 86_400_000;

interface Look {
  /** The big figure on the left of a coupon: ¥10, or 8.5折. */
  face: (c: Coupon) => { value: string; unit: '¥' | '折' };
  /** The condition under it. */
  terms: (c: Coupon) => string;
}

const cash: Look = { face: (c) => ({ value: yuan(c.valueCents ?? 0).slice(1), unit: '¥' }), terms: () => '无门槛' };

const LOOK: Record<CouponKind, Look> = {
  cash,
  threshold: { face: cash.face, terms: (c) => `满${yuan(c.thresholdCents ?? 0)}可用` },
  discount: {
    face: (c) => ({ value: String((c.discountPercent ?? 100) / 10), unit: '折' }),
    terms: (c) => (c.capCents ? `最多减${yuan(c.capCents)}` : '全场通用'),
  },
};

/** What a coupon card needs of the rules: when "即将过期" starts, and the zone its dates are in. */
export type CouponCardRules = Pick<PublicRules, 'wallet' | 'businessTimeZone'>;

/** A coupon as the wallet shows it: value, threshold, validity, and whether it ends soon. */
export function CouponCard({ coupon, rules, onClick }: { coupon: Coupon; rules: CouponCardRules; onClick?: () => void }) {
  const tz = rules.businessTimeZone;
  const look = entryOf(LOOK, coupon.kind) ?? cash;
  const f = look.face(coupon);
  const left = new Date(coupon.validTo).getTime() - Date.now();
  const soon = coupon.status === 'available' && left > 0 && left <= rules.wallet.expiringSoonDays * DAY;
  return (
    <View className={`coupon-card coupon-${coupon.status}`} data-testid='coupon-card' onClick={onClick}>
      <View className='coupon-face'>
        {f.unit === '¥' ? <Text className='coupon-unit'>¥</Text> : null}
        <Text className='coupon-value'>{f.value}</Text>
        {f.unit === '折' ? <Text className='coupon-unit'>折</Text> : null}
        <View className='coupon-terms'>{look.terms(coupon)}</View>
      </View>
      <View className='coupon-body'>
        <View className='coupon-title'>
          {coupon.title}
          {soon ? (
            <Text className='coupon-soon' data-testid='expiring-soon'>
              即将过期
            </Text>
          ) : null}
        </View>
        <View className='coupon-validity'>
          {businessDayDots(coupon.validFrom, tz)} – {businessDayDots(coupon.validTo, tz)}
        </View>
        <View className='coupon-hint'>{labelOf(COUPON_VIEW_HINT, coupon.status)}</View>
      </View>
    </View>
  );
}
