import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, useTestApp, type TestApp } from '../../../test/support/test-app';

const PASSWORD = 'correct horse battery';
const perAddress = { freeFailures: 3, lockSeconds: 1, maxLockSeconds: 2, forgetAfterSeconds: 3600 };
const perUsername = { freeFailures: 6, windowSeconds: 3600, delayStepMs: 100, maxDelayMs: 400 };

// Behind the trusted proxy, X-Forwarded-For names the client: that is how these tests sit at
// different addresses.
const t = useTestApp({
  tweak: (c) => {
    c.runtime.http.trustProxy = true;
    Object.assign(c.runtime.staffAuth, { perAddress, perUsername });
  },
});
let cashier: Awaited<ReturnType<TestApp['staff']>>;
beforeAll(async () => {
  cashier = await t.staff('cashier');
});

const signIn = (app: TestApp, username: string, password: string, from: string) =>
  app.http.post('/api/v1/staff/sessions').set('X-Forwarded-For', from).send({ username, password });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('POST /api/v1/staff/sessions', () => {
  it('signs staff in with a staff token; admins get an admin token', async () => {
    const admin = await t.staff('admin');
    expect(JSON.parse(Buffer.from(cashier.token.split('.')[1], 'base64url').toString()).aud).toBe('staff');
    expect(JSON.parse(Buffer.from(admin.token.split('.')[1], 'base64url').toString()).aud).toBe('admin');
  });

  it("an attacker's wrong passwords lock their own address out, longer each time, never the cashier at the till", async () => {
    const s = await t.staff('cashier');
    const attacker = '203.0.113.66';
    const till = '198.51.100.10';
    for (let i = 1; i < perAddress.freeFailures; i++) expect((await signIn(t, s.username, 'guess', attacker)).status).toBe(401);
    const locked = await signIn(t, s.username, 'guess', attacker).expect(429);
    expect(locked.body.error.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers['retry-after'])).toBe(perAddress.lockSeconds);
    // Locked means locked for that address, even with the right password...
    await signIn(t, s.username, PASSWORD, attacker).expect(429);
    // ...while the cashier at the till signs in as usual.
    await signIn(t, s.username, PASSWORD, till).expect(200);

    // Back-off: once the lock lapses, the next wrong password locks for twice as long, up to the cap.
    await sleep(perAddress.lockSeconds * 1000 + 100);
    const longer = await signIn(t, s.username, 'guess', attacker).expect(429);
    expect(Number(longer.headers['retry-after'])).toBe(perAddress.lockSeconds * 2);
    await signIn(t, s.username, PASSWORD, till).expect(200);
    await sleep(perAddress.lockSeconds * 2 * 1000 + 100);
    const capped = await signIn(t, s.username, 'guess', attacker).expect(429);
    expect(Number(capped.headers['retry-after'])).toBe(perAddress.maxLockSeconds);
    await signIn(t, s.username, PASSWORD, till).expect(200);
  });

  it('a success from an address forgets the failures counted there', async () => {
    const s = await t.staff('cashier');
    const till = '198.51.100.20';
    for (let round = 0; round < 3; round++) {
      for (let i = 1; i < perAddress.freeFailures; i++) await signIn(t, s.username, 'typo', till).expect(401);
      await signIn(t, s.username, PASSWORD, till).expect(200);
    }
  });

  it('wrong passwords from many addresses slow the username down but never lock it', async () => {
    const s = await t.staff('cashier');
    const flood = perUsername.freeFailures + 6;
    for (let i = 0; i < flood; i++) {
      // One failure per address: no address is ever locked, so only the username's ceiling applies.
      expect((await signIn(t, s.username, 'guess', `192.0.2.${i + 1}`)).status).toBe(401);
    }
    const started = Date.now();
    await signIn(t, s.username, PASSWORD, '198.51.100.30').expect(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(perUsername.maxDelayMs - 20);
    // The attacker, too, is only slowed: still 401, not a lock anyone could turn against the cashier.
    expect((await signIn(t, s.username, 'guess', '192.0.2.200')).status).toBe(401);
  });

  it("a cashier guessing the manager's password on the refund sheet locks only their own till", async () => {
    const [rogue, honest, manager] = [await t.staff('cashier'), await t.staff('cashier'), await t.staff('manager')];
    const [rogueTill, honestTill] = ['203.0.113.90', '198.51.100.90'];
    const paid = async (by: typeof rogue, from: string) => {
      const m = await t.memberWith('normal', 0);
      const body = { code: t.codeOf(m), amountCents: 50000, receiptNo: `R${Date.now()}${Math.random().toString().slice(2, 8)}` };
      return (await t.http.post('/api/v1/counter/orders').set(by.auth).set('X-Forwarded-For', from).send(body).expect(201)).body.data as { id: string };
    };
    const refund = (by: typeof rogue, from: string, orderId: string, password: string) =>
      t.http
        .post(`/api/v1/counter/orders/${orderId}/refunds`)
        .set(by.auth)
        .set('X-Forwarded-For', from)
        .send({ refundNo: 'RF1', amountCents: 20000, approval: { username: manager.username, password } });

    const target = await paid(rogue, rogueTill);
    const answers: number[] = [];
    for (let i = 0; i < perAddress.freeFailures; i++) answers.push((await refund(rogue, rogueTill, target.id, `guess-${i}`)).status);
    expect(answers).toEqual([...Array<number>(perAddress.freeFailures - 1).fill(403), 429]);

    // At another till the manager approves, and signs in, as usual.
    const order = await paid(honest, honestTill);
    expect((await refund(honest, honestTill, order.id, PASSWORD).expect(201)).body.data.approvedBy).toBe(manager.id);
    await signIn(t, manager.username, PASSWORD, honestTill).expect(200);
  });

  it('stores a scrypt hash, not the password', async () => {
    const row = await t.dataSource.query('SELECT password_hash AS h FROM staff WHERE username = ?', [cashier.username]);
    expect(row[0].h).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(row[0].h).not.toContain('correct horse');
  });
});

describe('known and unknown usernames', () => {
  // A real scrypt cost, so that the work of checking a password dominates the answer time.
  let app: TestApp;
  let known: string;
  beforeAll(async () => {
    app = await startTestApp({
      tweak: (c) => {
        c.runtime.http.trustProxy = true;
        c.runtime.staffAuth.scryptCost = 32768;
        Object.assign(c.runtime.staffAuth, { perAddress, perUsername: { ...perUsername, freeFailures: 1000 } });
      },
    });
    known = (await app.staff('cashier')).username;
  });
  afterAll(async () => {
    await app.close();
  });

  it('answer a wrong password with the same status and body', async () => {
    const a = await signIn(app, known, 'wrong', '203.0.113.1');
    const b = await signIn(app, 'nobody_at_all', 'wrong', '203.0.113.1');
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(b.body).toEqual(a.body);
    expect(a.body.error).toEqual({ code: 'UNAUTHENTICATED', message: 'wrong username or password' });
    expect(b.headers['cache-control']).toBe(a.headers['cache-control']);
  });

  it('are counted alike: both lock at the same failure, for as long', async () => {
    const answers = async (username: string, from: string) => {
      const out: string[] = [];
      for (let i = 0; i < perAddress.freeFailures; i++) {
        const res = await signIn(app, username, 'wrong', from);
        out.push(`${res.status} ${res.headers['retry-after'] ?? '-'} ${JSON.stringify(res.body)}`);
      }
      return out;
    };
    expect(await answers('nobody_else', '203.0.113.2')).toEqual(await answers(known, '203.0.113.3'));
  });

  it('take the same time: an unknown username costs the same scrypt work against a decoy hash', async () => {
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const timed = async (username: string, from: string) => {
      const started = process.hrtime.bigint();
      await signIn(app, username, 'wrong', from).expect(401);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const knownMs: number[] = [];
    const unknownMs: number[] = [];
    // Interleaved, each from its own address (no lock), so load on the machine hits both alike.
    for (let i = 0; i < 9; i++) {
      knownMs.push(await timed(known, `198.51.100.${100 + i}`));
      unknownMs.push(await timed(`ghost_${i}`, `198.51.100.${150 + i}`));
    }
    const k = median(knownMs);
    const u = median(unknownMs);
    // scrypt at this cost takes tens of milliseconds; without the decoy an unknown name answers
    // in a few. Generous bound: the medians are within half of each other.
    expect(k).toBeGreaterThan(10);
    expect(Math.abs(k - u)).toBeLessThan(0.5 * Math.max(k, u));
  });
});
