import { beforeAll, describe, expect, it } from '@jest/globals';
import { useTestApp, type TestApp } from '../../../test/support/test-app';

const t = useTestApp();
let admin: Awaited<ReturnType<TestApp['staff']>>;
let manager: Awaited<ReturnType<TestApp['staff']>>;
let cashier: Awaited<ReturnType<TestApp['staff']>>;
beforeAll(async () => {
  admin = await t.staff('admin');
  manager = await t.staff('manager');
  cashier = await t.staff('cashier');
});

describe('pickups: cancel and fulfil', () => {
  it('cancelling an unfulfilled pickup returns the points (with their expiry) and the stock, once', async () => {
    const bag = await t.adminItem(admin.auth, { pointsCost: 300, stock: 3 });
    const m = await t.memberWith('normal', 1000);
    const r = (await t.redeem(m.auth, bag.id).expect(201)).body.data;
    expect(r).toMatchObject({ status: 'awaiting_pickup', pickupCode: expect.stringMatching(/^\d{10}$/) });
    expect([await t.stockOf(bag.id), await t.balanceOf(m.auth)]).toEqual([2, 700]);
    const cancelled = await t.http.post(`/api/v1/me/redemptions/${r.id}/cancel`).set(m.auth).expect(200);
    expect(cancelled.body.data.status).toBe('cancelled');
    await t.http.post(`/api/v1/me/redemptions/${r.id}/cancel`).set(m.auth).expect(200);
    expect([await t.stockOf(bag.id), await t.balanceOf(m.auth)]).toEqual([3, 1000]);
    const reasons = (await t.http.get('/api/v1/me/points/ledger').set(m.auth)).body.data.map((e: { reason: string; delta: number }) => [e.reason, e.delta]);
    expect(reasons.slice(0, 2)).toEqual([
      ['redeem_cancel', 300],
      ['redeem', -300],
    ]);
  });

  it('a member can neither see nor cancel another member’s redemption', async () => {
    const bag = await t.adminItem(admin.auth, {});
    const a = await t.memberWith('normal', 1000);
    const b = await t.memberWith('normal', 0);
    const r = (await t.redeem(a.auth, bag.id).expect(201)).body.data;
    expect((await t.http.get('/api/v1/me/redemptions').set(b.auth).expect(200)).body.data).toEqual([]);
    expect((await t.http.post(`/api/v1/me/redemptions/${r.id}/cancel`).set(b.auth).expect(404)).body.error.code).toBe('NOT_FOUND');
    expect((await t.http.get('/api/v1/me/redemptions').set(a.auth).expect(200)).body.data[0].status).toBe('awaiting_pickup');
  });

  it('a manager hands the goods over once; cashiers may not; a fulfilled pickup cannot be cancelled', async () => {
    const bag = await t.adminItem(admin.auth, {});
    const m = await t.memberWith('normal', 1000);
    const r = (await t.redeem(m.auth, bag.id).expect(201)).body.data;
    expect((await t.http.post(`/api/v1/counter/pickups/${r.pickupCode}/fulfil`).set(cashier.auth).expect(403)).body.error.code).toBe('FORBIDDEN');
    const seen = await t.http.get(`/api/v1/counter/pickups/${r.pickupCode}`).set(manager.auth).expect(200);
    expect(seen.body.data).toMatchObject({ title: '帆布袋', status: 'awaiting_pickup', memberNickname: '小明' });
    const done = await t.http.post(`/api/v1/counter/pickups/${r.pickupCode}/fulfil`).set(manager.auth).expect(200);
    expect(done.body.data.status).toBe('fulfilled');
    await t.http.post(`/api/v1/counter/pickups/${r.pickupCode}/fulfil`).set(manager.auth).expect(200);
    expect((await t.http.post(`/api/v1/me/redemptions/${r.id}/cancel`).set(m.auth).expect(422)).body.error.code).toBe('NOT_ELIGIBLE');
    expect((await t.http.post('/api/v1/counter/pickups/0000000000/fulfil').set(manager.auth).expect(404)).body.error.code).toBe('NOT_FOUND');
  });

  it('a manager can cancel a pickup at the counter', async () => {
    const bag = await t.adminItem(admin.auth, { pointsCost: 50 });
    const m = await t.memberWith('normal', 50);
    const r = (await t.redeem(m.auth, bag.id).expect(201)).body.data;
    expect((await t.http.post(`/api/v1/counter/pickups/${r.pickupCode}/cancel`).set(manager.auth).expect(200)).body.data.status).toBe('cancelled');
    expect(await t.balanceOf(m.auth)).toBe(50);
  });
});
