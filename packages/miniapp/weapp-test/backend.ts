/**
 * The BFF's side of the pages' exchanges, in memory: for the phone of phone.ts when no real BFF can
 * run (Jest's jsdom environment, which miniprogram-simulate needs, has no `fetch` and cannot load
 * the browser tests' start-up).
 *
 * Every answer is checked against the contract before it leaves: the route is found by its path in
 * `Paths` (the templates the BFF mounts), and its `data` must parse with the route's response schema
 * from @member/shared (the schemas the BFF declares and its OpenAPI document is generated from),
 * inside the BFF's success envelope. A fixture that drifts from the contract fails the suite here,
 * not silently in a page. A request for a route the test did not answer is a 404 in the contract's
 * error shape, and is recorded so the test can demand there were none.
 */
import { Coupon, MallItem, MemberCard, Paths, PublicRules, parseLoyaltyConfig, growthProgress, type CouponView } from '@member/shared';
import rawLoyalty from '../../../config/loyalty.json';
import type { Backend, BackendRequest } from './phone';

/**
 * The routes the member centre, the wallet and the mall read: the schema of each answer's `data`,
 * as the BFF's route table declares it (`list`: an array, sent as `{ data, nextCursor: null }`).
 */
const CONTRACT = {
  rules: { method: 'GET', path: Paths.rules, schema: PublicRules, list: false },
  me: { method: 'GET', path: Paths.me, schema: MemberCard, list: false },
  coupons: { method: 'GET', path: Paths.meCoupons, schema: Coupon, list: true },
  mallItems: { method: 'GET', path: Paths.mallItems, schema: MallItem, list: true },
} as const;

type Route = keyof typeof CONTRACT;

/** What the test's BFF answers on each route, from the request's query (the wallet asks by `status`). */
export interface Fixtures {
  rules: () => PublicRules;
  me: () => MemberCard;
  coupons: (query: Record<string, string>) => Coupon[];
  mallItems: () => MallItem[];
}

/** The loyalty configuration the BFF ships with (config/loyalty.json), validated as at start-up. */
export const loyalty = parseLoyaltyConfig(rawLoyalty);

/**
 * `GET /rules` as the BFF presents the shipped configuration: the public part of it (the schema
 * drops what is not public), with the two figures the BFF derives from coupon templates.
 */
export function rulesFixture(): PublicRules {
  const birthday = loyalty.couponTemplates.find((t) => t.code === loyalty.couponEvents.birthday);
  return PublicRules.parse({
    ...loyalty,
    birthdayGift: birthday ? { ...birthday } : null,
    referral: { ...loyalty.referral, milestoneTitle: loyalty.couponTemplates.find((t) => t.code === loyalty.referral.milestoneTemplate)?.title ?? '' },
  });
}

/** A member card for `tierCode` with `qualifying` growth: the growth view made by the shared rule the BFF uses. */
export function memberCardFixture(o: {
  nickname: string;
  tierCode: string;
  qualifying: number;
  balance: number;
  couponsAvailable: number;
  today: string;
}): MemberCard {
  const tier = loyalty.tiers.find((t) => t.code === o.tierCode);
  if (!tier) throw new Error(`no tier ${o.tierCode} in config/loyalty.json`);
  return {
    id: 'member-0001',
    nickname: o.nickname,
    tier: { code: tier.code, name: tier.name, discountPercent: tier.discountPercent },
    growth: { ...growthProgress(loyalty.tiers, tier.code, { lifetime: o.qualifying, qualifying: o.qualifying }, loyalty.growth.perYuanPaid), keep: null },
    points: { balance: o.balance, expiring: null },
    coupons: { available: o.couponsAvailable },
    checkin: { today: false, streak: 0 },
    projection: { pointsPerYear: 0, worthCents: 0 },
    today: o.today,
    profile: { birthday: null, phoneMasked: null, birthdayChangeableFrom: null },
  };
}

/** The wallet's coupons of one view (`status`). */
export function couponsOf(all: readonly Coupon[], status: string | undefined): Coupon[] {
  return all.filter((c) => c.status === ((status ?? 'available') as CouponView));
}

export interface ContractBackend {
  backend: Backend;
  /** `METHOD path` of every request no fixture answered. */
  unanswered: string[];
  /** Each answer that did not parse with its route's schema (it went out as a 500), with zod's account. */
  offContract: string[];
}

/** A backend answering `fixtures`, each answer parsed with its route's response schema first. */
export function contractBackend(fixtures: Fixtures): ContractBackend {
  const unanswered: string[] = [];
  const offContract: string[] = [];
  const backend: Backend = (req: BackendRequest) => {
    const route = (Object.keys(CONTRACT) as Route[]).find((r) => CONTRACT[r].method === req.method && CONTRACT[r].path === req.path);
    if (!route) {
      unanswered.push(`${req.method} ${req.path}`);
      return { status: 404, data: { error: { code: 'NOT_FOUND', message: `the test's BFF has no answer for ${req.method} ${req.path}` } } };
    }
    const { schema, list } = CONTRACT[route];
    const raw: unknown = fixtures[route](req.query);
    const parsed = list ? schema.array().safeParse(raw) : schema.safeParse(raw);
    if (!parsed.success) {
      offContract.push(`${req.method} ${req.path}: ${parsed.error.message}`);
      return { status: 500, data: { error: { code: 'INTERNAL', message: 'fixture off the contract' } } };
    }
    const data: unknown = parsed.data;
    return { status: 200, data: list ? { data, nextCursor: null } : { data } };
  };
  return { backend, unanswered, offContract };
}
