import { randomBytes } from 'node:crypto';
import { MallItemBody, type AuthResponse, type CouponKind } from '@member/shared';
import { CouponTemplateEntity, MallItemEntity, type MemberCouponRow } from '../../src/db/entities';
import { newId } from '../../src/lib/ids';
import type { Test } from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../src/config/config';
import type { Db } from '../../src/db/db';
import type { Services } from '../../src/services';
import type { TestClock } from './clock';
import type { FakeWechat } from './fake-wechat';

/** What the factories need of the test app. */
export interface TestBase {
  http: TestAgent<Test>;
  config: AppConfig;
  db: Db;
  dataSource: DataSource;
  services: Services;
  clock: TestClock;
  wechat: FakeWechat;
}

export type Tier = 'normal' | 'silver' | 'gold' | 'diamond';

export interface CouponTerms {
  kind: CouponKind;
  valueCents: number;
  thresholdCents: number;
  discountPercent: number;
  capCents: number;
  validityDays: number;
  totalStock: number;
  perMemberLimit: number;
  minTier: string;
}

/**
 * Builders of valid objects over the real app: members through the real sign-up over HTTP,
 * everything that moves value through the real services, so every test starts from a state the
 * product itself could have reached.
 */
export function factories(t: TestBase) {
  const stores = new Map<string, string>();

  /** Logs a new WeChat user in through the fake WeChat server. */
  async function login(openid = `o_${randomBytes(6).toString('hex')}`) {
    const res = await t.http
      .post('/api/v1/auth/wechat')
      .send({ code: t.wechat.loginCode(openid) })
      .expect(200);
    return { openid, token: res.body.data.token as string, body: res.body.data as AuthResponse };
  }

  /** Logs in a new WeChat user and registers them; returns what a phone would hold. */
  async function member(overrides: Record<string, unknown> = {}) {
    const session = await login();
    const res = await t.http
      .post('/api/v1/members')
      .set('Authorization', `Bearer ${session.token}`)
      .send({ nickname: '小明', consentVersion: t.config.loyalty.privacy.consentVersion, ...overrides })
      .expect(201);
    return { ...session, id: res.body.data.id as string, member: res.body.data as Record<string, unknown>, auth: { Authorization: `Bearer ${session.token}` } };
  }

  /** A registered member at a tier (by growth) with a balance, negative balances by a refund reversal. */
  async function memberWith(tier: Tier, balance: number) {
    const m = await member();
    const growth = { normal: 0, silver: 1000, gold: 5000, diamond: 20000 }[tier];
    if (growth) await t.services.points.addGrowth(m.id, { delta: growth, reason: 'adjust', sourceKey: 'setup:growth' });
    if (balance > 0) await t.services.points.credit(m.id, { amount: balance, reason: 'adjust', sourceKey: 'setup:points' });
    if (balance < 0) await t.services.points.reverse(m.id, { amount: -balance, reason: 'refund', sourceKey: 'setup:points' });
    return m;
  }

  /** A staff account (in a store created on first mention) and its bearer header. */
  async function staff(role: 'cashier' | 'manager' | 'admin' = 'cashier', storeName = '旗舰店') {
    let storeId = stores.get(storeName);
    if (!storeId) {
      storeId = (await t.services.staff.createStore(storeName)).id;
      stores.set(storeName, storeId);
    }
    const username = `${role}_${randomBytes(4).toString('hex')}`;
    await t.services.staff.createStaff({ storeId, username, password: 'correct horse battery', role });
    const res = await t.http.post('/api/v1/staff/sessions').send({ username, password: 'correct horse battery' }).expect(200);
    return {
      username,
      storeId,
      id: res.body.data.staff.id as string,
      token: res.body.data.token as string,
      auth: { Authorization: `Bearer ${res.body.data.token as string}` },
    };
  }

  /** A coupon template with the given terms (defaults: a ¥10 cash coupon valid 30 days); returns its code. */
  async function couponTemplate(terms: Partial<CouponTerms> = {}): Promise<string> {
    const now = t.clock.now();
    const code = `test-${newId().toLowerCase()}`;
    await t.dataSource.manager.insert(CouponTemplateEntity, {
      id: newId(),
      code,
      kind: terms.kind ?? 'cash',
      title: '测试券',
      valueCents: terms.valueCents ?? (terms.kind === 'discount' ? null : 1000),
      thresholdCents: terms.thresholdCents ?? null,
      discountPercent: terms.discountPercent ?? null,
      capCents: terms.capCents ?? null,
      validityDays: terms.validityDays ?? 30,
      validFrom: null,
      validTo: null,
      totalStock: terms.totalStock ?? null,
      issuedCount: 0,
      perMemberLimit: terms.perMemberLimit ?? null,
      minTier: terms.minTier ?? null,
      source: 'admin',
      createdAt: now,
      updatedAt: now,
    });
    return code;
  }

  /** Issues a coupon through the real issuing service, once per source key. */
  async function issueCoupon(memberId: string, templateCode: string, sourceKey: string): Promise<{ coupon: MemberCouponRow; replayed: boolean }> {
    return t.db.transaction(async () => {
      const locked = await t.services.points.lock(memberId, { withLots: false });
      return t.services.coupons.issueOnce(locked.member, templateCode, sourceKey);
    });
  }

  /** A coupon with the given terms, issued to a member. */
  async function couponFor(memberId: string, terms: Partial<CouponTerms> = {}): Promise<MemberCouponRow> {
    const code = await couponTemplate(terms);
    return (await issueCoupon(memberId, code, `test:${code}`)).coupon;
  }

  /** A points-mall item created by an operator (physical, 100 points, stock 10 by default). */
  async function mallItem(fields: Partial<MallItemBody> = {}) {
    const actor = newId();
    return t.services.admin.createItem(actor, MallItemBody.parse({ kind: 'physical', title: '测试商品', pointsCost: 100, stock: 10, ...fields }));
  }

  let keys = 0;
  /** A fresh Idempotency-Key (or any unique suffix). */
  const freshKey = () => `k-${Date.now()}-${++keys}`;

  /** A mall item created over HTTP by an operator (a physical item, 100 points, stock 10 by default). */
  async function adminItem(adminAuth: Record<string, string>, body: Record<string, unknown>) {
    const res = await t.http
      .post('/api/v1/admin/mall-items')
      .set(adminAuth)
      .send({ kind: 'physical', title: '帆布袋', description: '门店自提', pointsCost: 100, stock: 10, ...body })
      .expect(201);
    return res.body.data as { id: string };
  }

  /** A coupon template created over HTTP by an operator (a ¥5 cash coupon valid 30 days by default). */
  async function adminTemplate(adminAuth: Record<string, string>, body: Record<string, unknown>) {
    const res = await t.http
      .post('/api/v1/admin/coupon-templates')
      .set(adminAuth)
      .send({ code: `t-${freshKey()}`, kind: 'cash', title: '¥5 券', valueCents: 500, validity: { days: 30 }, ...body })
      .expect(201);
    return res.body.data as { id: string; code: string };
  }

  /** A member's redemption request, with a fresh Idempotency-Key unless one is given. */
  const redeem = (auth: Record<string, string>, itemId: string, quantity = 1, idem = freshKey()) =>
    t.http.post('/api/v1/mall/redemptions').set(auth).set('Idempotency-Key', idem).send({ itemId, quantity });

  const stockOf = async (itemId: string) => (await t.dataSource.manager.findOneByOrFail(MallItemEntity, { id: itemId })).stock;

  /** The balance a member's card shows. */
  const balanceOf = async (auth: Record<string, string>) => (await t.http.get('/api/v1/me').set(auth).expect(200)).body.data.points.balance as number;

  return { login, member, memberWith, staff, couponTemplate, issueCoupon, couponFor, mallItem, freshKey, adminItem, adminTemplate, redeem, stockOf, balanceOf };
}
