import { addDays, generateMemberCode } from '@member/shared';
import type { Services } from '../services';
import { runGrowthAging } from '../jobs/growth-aging';
import { bootstrap } from './bootstrap';

/**
 * Demo data for `pnpm start` and `pnpm seed`: four members at different tiers with about a year of
 * history made through the real services, so every page has something to show and every ledger
 * matches its source: counter orders at the demo store (their points, growth and tier, the oldest
 * lot close to expiry), the last days' check-ins, coupons in the wallet (one used on an order), a
 * mall redemption waiting for pickup and one picked up, and an invited friend; and a store with a
 * cashier, a manager and an admin (development-only passwords). Safe to run again: members that
 * exist are left alone. Log in as them with dev login (openid `demo-<tier>`, `?as=demo-gold`).
 */
const DEMO = [
  { openid: 'demo-gold', nickname: '王思远', birthday: '1985-12-01', phone: '13800000003', orders: [1200, 980, 1500, 1060, 940] },
  { openid: 'demo-silver', nickname: '陈一鸣', birthday: '1990-09-30', phone: '13800000002', orders: [320, 260, 198, 410] },
  // Invited by the gold member: the gold member's invitation page lists a friend who ordered.
  { openid: 'demo-normal', nickname: '林小满', birthday: '1998-04-12', phone: '13800000001', orders: [58, 120, 86], invitedBy: 'demo-gold' },
  { openid: 'demo-diamond', nickname: '赵雅琪', birthday: '1979-06-18', phone: '13800000004', orders: [5200, 6100, 5800, 5400] },
];

const DEMO_STORE = '会员中心旗舰店';
const DEMO_PASSWORD = 'demo-password';

async function main(): Promise<void> {
  let pinned: Date | null = null;
  const { config, services: s, close } = await bootstrap({ now: () => pinned ?? new Date() });
  try {
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
    const cashier = await s.staff.signIn('demo-cashier', DEMO_PASSWORD);
    const till = { staffId: cashier.id, storeId: store.id };
    await seedCatalogue(s);
    const { items } = await s.mall.listItems();
    const coffee = items.find((i) => i.title.startsWith('精品挂耳咖啡'));
    const period = config.loyalty.dynamicCode.periodSeconds;
    const lifetime = config.loyalty.points.lotLifetimeDays;

    const now = new Date();
    // Every member's history, made as one timeline in date order (ledger entries are ordered as made).
    const steps: { at: Date; run: () => Promise<void> }[] = [];
    const made = new Map<string, { id: string; codeRef: string }>();
    for (const [n, d] of DEMO.entries()) {
      const { member, codeSecret } = await s.members.login(d.openid, null);
      if (member.status !== 'pending') {
        console.log(`  ${d.nickname} (${d.openid}) already there`);
        continue;
      }
      const at = (days: number, hours = 0) => new Date(addDays(now, days).getTime() + hours * 3_600_000);
      // Registered about a year ago (inviters first); the first order is old enough that its points
      // expire within the warning window, the others follow every 40 days up to the last month.
      steps.push({
        at: at(-lifetime + n),
        run: async () => {
          const inviter = d.invitedBy ? made.get(d.invitedBy) : undefined;
          const inviteCode = inviter ? (await s.members.registered(inviter.id)).inviteCode : null;
          await s.members.register(member.id, {
            nickname: d.nickname,
            birthday: d.birthday,
            phone: d.phone,
            consentVersion: config.loyalty.privacy.consentVersion,
            ...(inviteCode ? { inviteCode } : {}),
          });
          made.set(d.openid, { id: member.id, codeRef: (await s.members.registered(member.id)).codeRef });
        },
      });
      let giftCoupon: string | undefined;
      for (const [i, yuan] of d.orders.entries()) {
        const day = i === 0 ? -(lifetime - 12 - d.orders.length) : -((d.orders.length - i) * 40 - 10);
        const last = i === d.orders.length - 1;
        // A coupon given five days before the last order is used on it.
        if (last)
          steps.push({
            at: at(day - 5),
            run: async () => {
              giftCoupon = (await s.coupons.issue(await s.members.registered(member.id), 'mall-cash-10', [`seed:gift:${d.openid}`])).coupons[0].id;
            },
          });
        // An order at the counter, as a cashier scans the member's code: points, growth and tier follow the rules.
        steps.push({
          at: at(day),
          run: async () => {
            const { codeRef } = made.get(d.openid) ?? { codeRef: '' };
            const code = generateMemberCode(codeRef, codeSecret, at(day).getTime(), period, false).code;
            await s.counter.order(till, {
              code,
              amountCents: yuan * 100,
              receiptNo: `SEED-${d.openid}-${i + 1}`,
              ...(last && giftCoupon ? { couponId: giftCoupon } : {}),
            });
          },
        });
      }
      // Coupons in the wallet, given last week (valid for a month).
      steps.push({
        at: at(-6),
        run: async () => {
          const row = await s.members.registered(member.id);
          await s.coupons.issue(row, 'mall-cash-10', [`seed:welcome:${d.openid}:1`]);
          await s.coupons.issue(row, 'mall-100-20', [`seed:welcome:${d.openid}:2`, `seed:welcome:${d.openid}:3`]);
        },
      });
      // Checked in on each of the last three days.
      for (const day of [-3, -2, -1])
        steps.push({
          at: at(day, n),
          run: async () => {
            await s.checkins.checkIn(member.id, 'seed');
          },
        });
      // A gift redeemed in the mall: waiting for pickup, or (the diamond member) already picked up.
      steps.push({
        at: at(-1, 6 + n),
        run: async () => {
          if (!coffee || (await s.members.registered(member.id)).pointsBalance < coffee.pointsCost) return;
          const { redemption } = await s.mall.redeem(member.id, coffee.id, 1);
          if (d.openid === 'demo-diamond' && redemption.pickupCode) await s.mall.fulfil(till, redemption.pickupCode);
        },
      });
    }
    // Stable sort: steps at the same moment keep their order.
    steps.sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const step of steps) {
      pinned = step.at;
      await step.run();
    }
    pinned = null;
    // Growth older than the trailing window no longer qualifies: age it as the hourly job would.
    await runGrowthAging(s, { now: new Date() });
    for (const d of DEMO) {
      const m = made.get(d.openid);
      if (!m) continue;
      const row = await s.members.registered(m.id);
      console.log(`  ${d.nickname} (${d.openid}): ${row.tier}, growth ${row.growth} (qualifying ${row.qualifyingGrowth}), points ${row.pointsBalance}`);
    }
    console.log(`seeded demo members on ${config.dbUrl ? 'MySQL' : `SQLite (${config.sqlitePath})`}`);
  } finally {
    await close();
  }
}

/** A small catalogue for the points mall (coupons, gifts to pick up, a gold-only service), once. */
async function seedCatalogue(s: Services): Promise<void> {
  if ((await s.admin.listItems()).length > 0) return;
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

main().catch((e: unknown) => {
  console.error(`seed failed: ${(e as Error).message}`);
  process.exit(1);
});
