import { generateMemberCode } from '@member/shared';
import type { Response, Test } from 'supertest';
import type TestAgent from 'supertest/lib/agent';

/**
 * A seeded, randomized, concurrent workload over the BFF's HTTP API: members sign up (some through
 * another member's invitation), pay at the counter (earning points, spending points, using coupons),
 * get refunds, redeem in the mall and cancel pickups, check in, open each other's share links; a
 * manager hands out pickups and an operator runs the points-expiry job. Everything goes through
 * the real routes of one BFF (in-process through supertest, or a running process by its URL), so
 * the checks afterwards judge the whole pipeline. The same seed gives the same sequence of
 * operations (the interleaving of concurrent requests is the database's business).
 */

/** mulberry32: a tiny, well-known 32-bit PRNG; the same seed, the same sequence. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of this run: `RELIABILITY_SEED` to replay one, else a fresh one; printed either way. */
export function workloadSeed(label: string): number {
  const given = process.env.RELIABILITY_SEED;
  const seed = given !== undefined && given !== '' ? Number(given) >>> 0 : Math.floor(Math.random() * 2 ** 32);
  process.stdout.write(`[${label}] seed ${seed} (replay with RELIABILITY_SEED=${seed})\n`);
  return seed;
}

export interface WorkloadEnv {
  http: TestAgent<Test>;
  /** A WeChat login code for an openid (the fake WeChat server's). */
  loginCode: (openid: string) => string;
  consentVersion: string;
  codePeriodSeconds: number;
  /** The instant the BFF believes it is (the test clock in-process, the real time for a process). */
  now: () => number;
  cashier: Record<string, string>;
  manager: Record<string, string>;
  admin: Record<string, string>;
}

export interface WorkloadMember {
  id: string;
  auth: Record<string, string>;
  codeRef: string;
  codeSecret: string;
  inviteCode: string;
  coupons: string[];
  /** The code step (window) this member last paid in: one order per window, as a phone shows one code. */
  lastStep: number;
}

/** One write sent, with what came back (`status` 0: no answer, the connection broke). */
export interface SentWrite {
  op: string;
  method: 'post';
  path: string;
  body: Record<string, unknown>;
  headers: Record<string, string>;
  status: number;
  data: Record<string, unknown> | null;
  errorCode: string | null;
  memberId: string | null;
}

export interface WorkloadState {
  members: WorkloadMember[];
  items: { id: string; kind: string; pointsCost: number; stock: number }[];
  orders: { id: string; memberId: string; dueCents: number; refundable: number }[];
  redemptions: { id: string; member: WorkloadMember; pickupCode: string | null }[];
  shares: { token: string; sharer: WorkloadMember }[];
  sent: SentWrite[];
  /** Every answer by status, and the 5xx ones in full. */
  statuses: Map<number, number>;
  serverErrors: string[];
  seq: number;
}

export function newState(): WorkloadState {
  return { members: [], items: [], orders: [], redemptions: [], shares: [], sent: [], statuses: new Map(), serverErrors: [], seq: 0 };
}

async function send(env: WorkloadEnv, state: WorkloadState, w: Omit<SentWrite, 'status' | 'data' | 'errorCode'>): Promise<SentWrite> {
  const rec: SentWrite = { ...w, status: 0, data: null, errorCode: null };
  state.sent.push(rec);
  let res: Response;
  try {
    res = await env.http.post(w.path).set(w.headers).send(w.body);
  } catch (e) {
    rec.errorCode = (e as { code?: string }).code ?? 'NO_ANSWER';
    state.statuses.set(0, (state.statuses.get(0) ?? 0) + 1);
    return rec;
  }
  rec.status = res.status;
  state.statuses.set(res.status, (state.statuses.get(res.status) ?? 0) + 1);
  const body = res.body as { data?: Record<string, unknown>; error?: { code: string } } | undefined;
  rec.data = body?.data ?? null;
  rec.errorCode = body?.error?.code ?? null;
  if (res.status >= 500) state.serverErrors.push(`${w.op} ${w.path} → ${res.status} ${rec.errorCode ?? ''}`);
  return rec;
}

const ok = (r: SentWrite) => r.status >= 200 && r.status < 300;

/** Signs a new member up over HTTP (through an invitation when `inviter` is given). */
export async function signUp(env: WorkloadEnv, state: WorkloadState, openid: string, inviter?: WorkloadMember): Promise<WorkloadMember | null> {
  const login = await send(env, state, {
    op: 'login',
    method: 'post',
    path: '/api/v1/auth/wechat',
    body: { code: env.loginCode(openid) },
    headers: {},
    memberId: null,
  });
  if (!ok(login) || !login.data) return null;
  const auth = { Authorization: `Bearer ${String(login.data.token)}` };
  const reg = await send(env, state, {
    op: 'register',
    method: 'post',
    path: '/api/v1/members',
    body: { nickname: '小明', consentVersion: env.consentVersion, ...(inviter ? { inviteCode: inviter.inviteCode } : {}) },
    headers: auth,
    memberId: null,
  });
  if (!ok(reg) || !reg.data) return null;
  const m: WorkloadMember = {
    id: String(reg.data.id),
    auth,
    codeRef: String(login.data.codeRef),
    codeSecret: String(login.data.codeSecret),
    inviteCode: String(reg.data.inviteCode),
    coupons: [],
    lastStep: -1,
  };
  const coupons = await env.http.get('/api/v1/me/coupons').query({ status: 'available' }).set(auth);
  if (coupons.status === 200) m.coupons = (coupons.body as { data: { id: string }[] }).data.map((c) => c.id);
  state.members.push(m);
  return m;
}

/** Mall items created by the operator over HTTP: a few physical ones with small stocks (so they sell out) and a coupon item. */
export async function stockMall(env: WorkloadEnv, state: WorkloadState): Promise<void> {
  const specs = [
    { kind: 'physical', title: '帆布袋', pointsCost: 100, stock: 6, perMemberLimit: null },
    { kind: 'physical', title: '保温杯', pointsCost: 250, stock: 4, perMemberLimit: null },
    { kind: 'service', title: '咖啡体验课', pointsCost: 60, stock: 10, perMemberLimit: null },
  ];
  for (const s of specs) {
    const res = await env.http.post('/api/v1/admin/mall-items').set(env.admin).send({ kind: s.kind, title: s.title, pointsCost: s.pointsCost, stock: s.stock });
    if (res.status !== 201) throw new Error(`mall item: ${res.status} ${JSON.stringify(res.body)}`);
    state.items.push({ id: (res.body as { data: { id: string } }).data.id, kind: s.kind, pointsCost: s.pointsCost, stock: s.stock });
  }
}

export type OpName = 'order' | 'refund' | 'redeem' | 'cancel' | 'fulfil' | 'checkin' | 'share' | 'visit' | 'invite' | 'replay' | 'expire';

export interface RoundPlan {
  ops: number;
  /** The mix: weights of each operation. */
  weights: Partial<Record<OpName, number>>;
  /** Run the points-expiry job as of this instant (absent: as of the BFF's now). */
  expireAsOf?: () => string | undefined;
}

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

/**
 * One round: `plan.ops` operations drawn with the seeded PRNG, all sent at once (so they race).
 * A member pays at most once per round and code window, as a phone shows one code at a time.
 */
export async function runRound(env: WorkloadEnv, state: WorkloadState, rand: () => number, plan: RoundPlan): Promise<void> {
  const entries = Object.entries(plan.weights) as [OpName, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  const choose = (): OpName => {
    let x = rand() * total;
    for (const [op, w] of entries) if ((x -= w) < 0) return op;
    return entries[entries.length - 1][0];
  };
  const pending: Promise<unknown>[] = [];
  const step = Math.floor(env.now() / 1000 / env.codePeriodSeconds);
  for (let i = 0; i < plan.ops; i++) {
    const op = choose();
    const seq = ++state.seq;
    const m = pick(rand, state.members);
    const other = pick(rand, state.members);
    switch (op) {
      case 'order': {
        if (m.lastStep >= step) break;
        m.lastStep = step;
        const amountCents = 500 + Math.floor(rand() * 60) * 500;
        const pointsToUse = rand() < 0.35 ? pick(rand, [100, 200, 500, 1000]) : 0;
        const couponId = rand() < 0.3 && m.coupons.length ? pick(rand, m.coupons) : undefined;
        const code = generateMemberCode(m.codeRef, m.codeSecret, env.now(), env.codePeriodSeconds, pointsToUse > 0).code;
        const body = { code, amountCents, receiptNo: `R-${seq}`, ...(pointsToUse ? { pointsToUse } : {}), ...(couponId ? { couponId } : {}) };
        pending.push(
          send(env, state, { op, method: 'post', path: '/api/v1/counter/orders', body, headers: env.cashier, memberId: m.id }).then((r) => {
            if (ok(r) && r.data)
              state.orders.push({ id: String(r.data.id), memberId: m.id, dueCents: Number(r.data.dueCents), refundable: Number(r.data.dueCents) });
          }),
        );
        break;
      }
      case 'refund': {
        const o = state.orders.length ? pick(rand, state.orders) : null;
        if (!o || o.refundable <= 1) break;
        // Partial and small, so a cashier may do it without a manager (a 403 would also be a fine answer).
        const amountCents = Math.max(1, Math.min(o.refundable - 1, Math.floor(rand() * o.dueCents * 0.6)));
        pending.push(
          send(env, state, {
            op,
            method: 'post',
            path: `/api/v1/counter/orders/${o.id}/refunds`,
            body: { refundNo: `F-${seq}`, amountCents },
            headers: rand() < 0.5 ? env.cashier : env.manager,
            memberId: o.memberId,
          }).then((r) => {
            if (ok(r)) o.refundable -= amountCents;
          }),
        );
        break;
      }
      case 'redeem': {
        const item = pick(rand, state.items);
        pending.push(
          send(env, state, {
            op,
            method: 'post',
            path: '/api/v1/mall/redemptions',
            body: { itemId: item.id, quantity: rand() < 0.8 ? 1 : 2 },
            headers: { ...m.auth, 'Idempotency-Key': `rd-${seq}` },
            memberId: m.id,
          }).then((r) => {
            if (ok(r) && r.data) state.redemptions.push({ id: String(r.data.id), member: m, pickupCode: (r.data.pickupCode as string | null) ?? null });
          }),
        );
        break;
      }
      case 'cancel': {
        const r = state.redemptions.length ? pick(rand, state.redemptions) : null;
        if (!r) break;
        pending.push(
          send(env, state, { op, method: 'post', path: `/api/v1/me/redemptions/${r.id}/cancel`, body: {}, headers: r.member.auth, memberId: r.member.id }),
        );
        break;
      }
      case 'fulfil': {
        const r = state.redemptions.filter((x) => x.pickupCode);
        if (!r.length) break;
        const x = pick(rand, r);
        pending.push(
          send(env, state, {
            op,
            method: 'post',
            path: `/api/v1/counter/pickups/${x.pickupCode ?? ''}/fulfil`,
            body: {},
            headers: env.manager,
            memberId: x.member.id,
          }),
        );
        break;
      }
      case 'checkin':
        pending.push(send(env, state, { op, method: 'post', path: '/api/v1/me/checkins', body: {}, headers: m.auth, memberId: m.id }));
        break;
      case 'share':
        pending.push(
          send(env, state, { op, method: 'post', path: '/api/v1/shares', body: { page: 'mall' }, headers: m.auth, memberId: m.id }).then((r) => {
            if (ok(r) && r.data) state.shares.push({ token: String(r.data.token), sharer: m });
          }),
        );
        break;
      case 'visit': {
        const s = state.shares.length ? pick(rand, state.shares) : null;
        if (!s) break;
        // Sometimes the sharer opens their own link: refused, never rewarded.
        pending.push(send(env, state, { op, method: 'post', path: `/api/v1/shares/${s.token}/visits`, body: {}, headers: other.auth, memberId: other.id }));
        break;
      }
      case 'invite':
        pending.push(signUp(env, state, `o_rel_${seq}_${Math.floor(rand() * 1e9)}`, m));
        break;
      case 'replay': {
        // A till or a phone sending a write again (a double tap, a retry after a timeout).
        const done = state.sent.filter((s) => s.op === 'order' || s.op === 'redeem' || s.op === 'refund');
        if (!done.length) break;
        const s = pick(rand, done);
        pending.push(send(env, state, { ...s, op: `replay-${s.op}` }));
        break;
      }
      case 'expire': {
        const asOf = plan.expireAsOf?.();
        pending.push(
          send(env, state, {
            op,
            method: 'post',
            path: '/api/v1/admin/jobs/points-expiry/run',
            body: asOf ? { asOf } : {},
            headers: env.admin,
            memberId: null,
          }),
        );
        break;
      }
    }
  }
  await Promise.all(pending);
}

/** The answers of a run, by status, for the log. */
export function statusSummary(state: WorkloadState): string {
  return [...state.statuses.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, c]) => `${s}×${c}`)
    .join(' ');
}
