import { addDays } from '@member/shared';
import { bootstrap } from './bootstrap';

/**
 * Demo data for `pnpm start` and `pnpm seed`: four members at different tiers with a few months
 * of points and growth history (some points close to expiry), and a store with a cashier, a
 * manager and an admin (development-only passwords). Safe to run again: members that
 * exist are left alone. Log in as them with dev login (openid `demo-<tier>`).
 */
const DEMO = [
  { openid: 'demo-normal', nickname: '林小满', birthday: '1998-04-12', phone: '13800000001', orders: [58, 120, 86] },
  { openid: 'demo-silver', nickname: '陈一鸣', birthday: '1990-09-30', phone: '13800000002', orders: [320, 260, 198, 410] },
  { openid: 'demo-gold', nickname: '王思远', birthday: '1985-12-01', phone: '13800000003', orders: [1200, 980, 1500, 760, 640] },
  { openid: 'demo-diamond', nickname: '赵雅琪', birthday: '1979-06-18', phone: '13800000004', orders: [5200, 6100, 4800, 3900] },
];

const DEMO_STORE = '会员中心旗舰店';
const DEMO_PASSWORD = 'demo-password';

async function main(): Promise<void> {
  let pinned: Date | null = null;
  const { config, services: s, close } = await bootstrap({ now: () => pinned ?? new Date() });
  try {
    const now = new Date();
    for (const d of DEMO) {
      const { member } = await s.members.login(d.openid, null);
      if (member.status !== 'pending') {
        console.log(`  ${d.nickname} (${d.openid}) already there`);
        continue;
      }
      pinned = addDays(now, -(d.orders.length * 40 + 20));
      await s.members.register(member.id, {
        nickname: d.nickname,
        birthday: d.birthday,
        phone: d.phone,
        consentVersion: config.loyalty.privacy.consentVersion,
      });
      // Orders every 40 days up to the last fortnight: ¥1 = 1 point and 1 growth.
      for (const [i, yuan] of d.orders.entries()) {
        pinned = addDays(now, -((d.orders.length - i) * 40 - 10));
        // The oldest lot of each member is backdated so it expires within the warning window.
        const expiresAt = i === 0 ? addDays(now, 12 + d.orders.length) : undefined;
        await s.points.credit(member.id, { amount: yuan, reason: 'order', sourceKey: `seed:order:${i}`, expiresAt });
        await s.points.addGrowth(member.id, { delta: yuan, reason: 'order', sourceKey: `seed:order:${i}` });
      }
      pinned = addDays(now, -3);
      await s.points.credit(member.id, { amount: 5, reason: 'checkin', sourceKey: 'seed:checkin' });
      await s.points.addGrowth(member.id, { delta: 2, reason: 'checkin', sourceKey: 'seed:checkin' });
      if (d.orders.length > 3) {
        pinned = addDays(now, -2);
        await s.points.debit(member.id, { amount: 100, reason: 'spend', sourceKey: 'seed:spend' });
      }
      pinned = null;
      const row = await s.members.registered(member.id);
      console.log(`  ${d.nickname} (${d.openid}): ${row.tier}, growth ${row.growth}, points ${row.pointsBalance}`);
    }
    // One store with the three roles; development-only credentials, listed in the README.
    const store = (await s.staff.storeByName(DEMO_STORE)) ?? (await s.staff.createStore(DEMO_STORE));
    for (const role of ['cashier', 'manager', 'admin'] as const) {
      const username = `demo-${role}`;
      try {
        await s.staff.createStaff({ storeId: store.id, username, password: DEMO_PASSWORD, role });
        console.log(`  ${role} ${username} / ${DEMO_PASSWORD} at ${DEMO_STORE}`);
      } catch (e) {
        if ((e as { code?: string }).code !== 'USERNAME_TAKEN') throw e;
      }
    }
    // A small catalogue for the points mall: coupons, gifts to pick up, and a gold-only service.
    if ((await s.admin.listItems()).length === 0) {
      const adminId = (await s.staff.signIn('demo-admin', DEMO_PASSWORD)).id;
      const cash10 = await s.admin.createTemplate(adminId, {
        code: 'mall-cash-10',
        kind: 'cash',
        title: '¥10 无门槛券',
        valueCents: 1000,
        validity: { days: 30 },
      });
      const off20 = await s.admin.createTemplate(adminId, {
        code: 'mall-100-20',
        kind: 'threshold',
        title: '满100减20',
        valueCents: 2000,
        thresholdCents: 10000,
        validity: { days: 30 },
      });
      const items = [
        {
          kind: 'coupon' as const,
          title: '¥10 无门槛券',
          description: '兑换后立即到账券包，30 天内到店可用。',
          imageUrl: '/assets/mall/coupon.svg',
          pointsCost: 1000,
          stock: 500,
          couponTemplateCode: cash10.code,
        },
        {
          kind: 'coupon' as const,
          title: '满100减20 券',
          description: '单笔满 ¥100 可用，每人限兑 3 张。',
          imageUrl: '/assets/mall/coupon.svg',
          pointsCost: 1500,
          stock: 300,
          perMemberLimit: 3,
          couponTemplateCode: off20.code,
        },
        {
          kind: 'physical' as const,
          title: '精品挂耳咖啡（10 包）',
          description: '到任一门店凭提货码领取。',
          imageUrl: '/assets/mall/coffee.svg',
          pointsCost: 800,
          stock: 100,
          perMemberLimit: 2,
        },
        {
          kind: 'physical' as const,
          title: '会员帆布托特包',
          description: '到任一门店凭提货码领取。',
          imageUrl: '/assets/mall/tote.svg',
          pointsCost: 2500,
          stock: 50,
        },
        {
          kind: 'physical' as const,
          title: '会员定制笔记本',
          description: '已兑完，敬请期待补货。',
          imageUrl: '/assets/mall/notebook.svg',
          pointsCost: 1200,
          stock: 0,
        },
        {
          kind: 'service' as const,
          title: '金卡专享 · 手冲咖啡体验课',
          description: '金卡及以上会员专享，凭预约码到店体验。',
          imageUrl: '/assets/mall/class.svg',
          pointsCost: 5000,
          stock: 20,
          minTier: 'gold',
        },
      ];
      for (const item of items) await s.admin.createItem(adminId, item);
      console.log(`  points mall: ${items.length} items`);
    }
    console.log(`seeded demo members on ${config.dbUrl ? 'MySQL' : `SQLite (${config.sqlitePath})`}`);
  } finally {
    await close();
  }
}

main().catch((e: unknown) => {
  console.error(`seed failed: ${(e as Error).message}`);
  process.exit(1);
});
