import { beforeAll, describe, expect, it } from '@jest/globals';
import { MemberEntity, OrderEntity, PointsLedgerEntity } from '../../db/entities';
import { useTestApp, type TestApp } from '../../../test/support/test-app';

// The member decides on their phone whether points may be spent (使用积分抵扣); the choice travels
// as digit 11 of the signed dynamic code. These tests are the cashier trying to spend anyway.
const t = useTestApp();
let cashier: Awaited<ReturnType<TestApp['staff']>>;
beforeAll(async () => {
  cashier = await t.staff('cashier', '积分同意店');
});

const ORDINARY_DAY = '2026-11-20T04:00:00Z';
const ledger = (memberId: string) => t.dataSource.manager.find(PointsLedgerEntity, { where: { memberId }, order: { id: 'ASC' } });
const balance = async (memberId: string) => (await t.dataSource.manager.findOneByOrFail(MemberEntity, { id: memberId })).pointsBalance;
const orders = (memberId: string) => t.dataSource.manager.countBy(OrderEntity, { memberId });
/** The same code with digit 11, the points flag, changed: what a till could try. */
const flipFlag = (code: string) => code.slice(0, 10) + (code[10] === '1' ? '0' : '1') + code.slice(11);

describe('a member who did not switch on 使用积分抵扣', () => {
  it('is looked up with pointsAllowed false, and quoted with nothing usable', async () => {
    t.clock.set(ORDINARY_DAY);
    const m = await t.memberWith('normal', 3185);
    const code = t.codeOf(m, { usePoints: false });
    const lookup = await t.http.post('/api/v1/counter/lookup').set(cashier.auth).send({ code }).expect(200);
    expect(lookup.body.data).toMatchObject({ pointsAllowed: false, member: { pointsBalance: 3185 } });
    const quote = await t.http.post('/api/v1/counter/quote').set(cashier.auth).send({ code, amountCents: 10000 }).expect(200);
    expect(quote.body.data).toMatchObject({ maxPointsUsable: 0, pointsUsed: 0, dueCents: 10000 });
    const asked = await t.http.post('/api/v1/counter/quote').set(cashier.auth).send({ code, amountCents: 10000, pointsToUse: 3000 }).expect(422);
    expect(asked.body.error.code).toBe('NOT_ELIGIBLE');
  });

  it('cannot have points spent by the till: 422 NOT_ELIGIBLE, no order, balance and ledger unchanged', async () => {
    t.clock.set(ORDINARY_DAY);
    const m = await t.memberWith('normal', 3185);
    const before = await ledger(m.id);
    const code = t.codeOf(m, { usePoints: false });
    const res = await t.http
      .post('/api/v1/counter/orders')
      .set(cashier.auth)
      .send({ code, amountCents: 10000, pointsToUse: 3000, receiptNo: 'NO-CONSENT-1' })
      .expect(422);
    expect(res.body.error.code).toBe('NOT_ELIGIBLE');
    expect(JSON.stringify(res.body)).not.toContain(m.id);
    expect(await balance(m.id)).toBe(3185);
    expect(await ledger(m.id)).toEqual(before);
    expect(await orders(m.id)).toBe(0);
    // The refused attempt did not use up the code: the purchase goes through without points.
    const paid = await t.http.post('/api/v1/counter/orders').set(cashier.auth).send({ code, amountCents: 10000, receiptNo: 'NO-CONSENT-2' }).expect(201);
    expect(paid.body.data).toMatchObject({ pointsUsed: 0, dueCents: 10000, pointsEarned: 100, member: { pointsBalance: 3285 } });
  });

  it('a till that flips the flag digit to 1 gets CODE_INVALID everywhere, and nothing moves', async () => {
    t.clock.set(ORDINARY_DAY);
    const m = await t.memberWith('normal', 3185);
    const before = await ledger(m.id);
    const forged = flipFlag(t.codeOf(m, { usePoints: false }));
    expect(forged[10]).toBe('1');
    for (const [path, body] of [
      ['/api/v1/counter/lookup', { code: forged }],
      ['/api/v1/counter/quote', { code: forged, amountCents: 10000, pointsToUse: 3000 }],
      ['/api/v1/counter/orders', { code: forged, amountCents: 10000, pointsToUse: 3000, receiptNo: 'FORGED-FLAG' }],
    ] as const) {
      const res = await t.http.post(path).set(cashier.auth).send(body).expect(422);
      expect(res.body.error.code).toBe('CODE_INVALID');
    }
    expect(await balance(m.id)).toBe(3185);
    expect(await ledger(m.id)).toEqual(before);
    expect(await orders(m.id)).toBe(0);
  });
});

describe('a member who switched on 使用积分抵扣', () => {
  it('is looked up with pointsAllowed true and can spend up to the 30 % cap; the phone sees the spend', async () => {
    t.clock.set(ORDINARY_DAY);
    const m = await t.memberWith('normal', 3185);
    const code = t.codeOf(m, { usePoints: true });
    expect(code[10]).toBe('1');
    const lookup = await t.http.post('/api/v1/counter/lookup').set(cashier.auth).send({ code }).expect(200);
    expect(lookup.body.data.pointsAllowed).toBe(true);
    const quote = await t.http.post('/api/v1/counter/quote').set(cashier.auth).send({ code, amountCents: 10000 }).expect(200);
    expect(quote.body.data.maxPointsUsable).toBe(3000);
    const over = await t.http.post('/api/v1/counter/quote').set(cashier.auth).send({ code, amountCents: 10000, pointsToUse: 3100 }).expect(422);
    expect(over.body.error.code).toBe('POINTS_CAP_EXCEEDED');

    const res = await t.http
      .post('/api/v1/counter/orders')
      .set(cashier.auth)
      .send({ code, amountCents: 10000, pointsToUse: 3000, receiptNo: 'CONSENT-1' })
      .expect(201);
    expect(res.body.data).toMatchObject({ pointsUsed: 3000, pointsDiscountCents: 3000, dueCents: 7000, member: { pointsBalance: 3185 - 3000 + 70 } });
    expect((await ledger(m.id)).slice(-2).map((e) => [e.reason, e.delta])).toEqual([
      ['spend', -3000],
      ['order', 70],
    ]);
    // What the member's phone reads the next time it is online.
    const mine = await t.http.get('/api/v1/me/orders').set(m.auth).expect(200);
    expect(mine.body.data[0]).toMatchObject({ id: res.body.data.id, pointsUsed: 3000, dueCents: 7000, storeName: '积分同意店' });
  });

  it('a till that flips the flag digit to 0 gets CODE_INVALID too: the flag is only ever the member’s', async () => {
    t.clock.set(ORDINARY_DAY);
    const m = await t.memberWith('normal', 500);
    const forged = flipFlag(t.codeOf(m, { usePoints: true }));
    const res = await t.http.post('/api/v1/counter/orders').set(cashier.auth).send({ code: forged, amountCents: 10000, receiptNo: 'FORGED-OFF' }).expect(422);
    expect(res.body.error.code).toBe('CODE_INVALID');
    expect(await orders(m.id)).toBe(0);
  });
});
