import { DomainError, type StaffRole } from '@member/shared';
import type { RuntimeConfig } from '../config/config';
import { isDuplicateKey } from '../db/db';
import type { StaffRow, StoreRow } from '../db/entities';
import type { StaffRepository } from '../db/repositories/staff.repository';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';
import { hashPassword, verifyPassword } from '../lib/passwords';
import type { Backoff, Slowdown } from '../lib/rate-limit';

/** The throttles of staff sign-in (lib/rate-limit.ts), counted where every instance sees them. */
export interface SignInThrottle {
  /** Wrong passwords per username and client address: a growing lock of that pair only. */
  perAddress: Backoff;
  /** Wrong passwords per username from every address: slows every attempt at it, never locks. */
  perUsername: Slowdown;
}

const WRONG = 'wrong username or password';

interface Known {
  active: boolean;
  storeId: string;
  role: StaffRole;
  /** Tokens issued before this instant (epoch ms) are refused. */
  sessionsFrom: number;
  checkedAt: number;
}

/**
 * Stores and staff accounts: creation (CLI, seed, admin), sign-in throttled per username and
 * address, and the check staff requests make.
 *
 * A staff token carries its store and role, so a request needs no database read to know who is
 * calling. Revocation (an account disabled, moved or re-roled) is checked against a short
 * in-process cache of the account (`auth.staffRevocationCacheSeconds`): it takes effect within
 * that many seconds on every instance, at one read per account per period instead of one per request.
 */
export class StaffService {
  private readonly known = new Map<string, Known>();
  private readonly decoy: Promise<string>;

  constructor(
    private readonly staff: StaffRepository,
    private readonly config: { staffAuth: RuntimeConfig['staffAuth']; revocationCacheSeconds: number },
    private readonly clock: Clock,
    private readonly throttle: SignInThrottle,
  ) {
    // What an unknown username's password is checked against: the same scrypt work as a real one.
    this.decoy = hashPassword(newId(), config.staffAuth.scryptCost);
    this.decoy.catch(() => undefined);
  }

  async createStore(name: string): Promise<StoreRow> {
    const row: StoreRow = { id: newId(), name, createdAt: this.clock.now() };
    await this.staff.insertStore(row);
    return row;
  }

  storeByName(name: string): Promise<StoreRow | null> {
    return this.staff.storeByName(name);
  }

  async storeName(storeId: string): Promise<string> {
    return (await this.staff.storeById(storeId))?.name ?? '';
  }

  async createStaff(input: { storeId: string; username: string; password: string; role: StaffRole }): Promise<StaffRow> {
    if (input.password.length < 8) throw new DomainError('VALIDATION_FAILED', 'password must be at least 8 characters');
    if (!(await this.staff.storeById(input.storeId))) throw new DomainError('NOT_FOUND', 'no such store');
    const row: StaffRow = {
      id: newId(),
      storeId: input.storeId,
      username: input.username,
      passwordHash: await hashPassword(input.password, this.config.staffAuth.scryptCost),
      role: input.role,
      disabledAt: null,
      sessionsValidFrom: null,
      createdAt: this.clock.now(),
    };
    try {
      await this.staff.insert(row);
    } catch (e) {
      if (isDuplicateKey(e)) throw new DomainError('USERNAME_TAKEN', `username ${input.username} is taken`);
      throw e;
    }
    return row;
  }

  /**
   * Checks a username and password, for signing in and wherever a person proves who they are
   * (a manager approving on a till). `from` is the client address the attempt comes from (the
   * request's address, behind a trusted proxy from X-Forwarded-For); attempts without one count
   * under one shared address.
   *
   * Wrong passwords are counted per username and address: the `staffAuth.perAddress.freeFailures`-th
   * locks that pair (429 with Retry-After), each further one doubles the lock, so an attacker at
   * one address never locks the real cashier out at another. Across all addresses a username past
   * `staffAuth.perUsername.freeFailures` is answered more slowly, not refused. Unknown (or
   * disabled) usernames cost the same scrypt work against a decoy hash, are counted the same way
   * and answer the same 401, so nothing tells whether a username exists.
   */
  async signIn(username: string, password: string, from = 'unknown'): Promise<StaffRow> {
    const pair = `${username}|${from}`;
    await this.throttle.perAddress.refuseWhileLocked(pair);
    const delay = await this.throttle.perUsername.delayMs(username);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const staff = await this.staff.byUsername(username);
    const valid = staff && !staff.disabledAt;
    const matches = await verifyPassword(password, valid ? staff.passwordHash : await this.decoy);
    if (valid && matches) {
      await this.throttle.perAddress.forget(pair);
      this.remember(staff);
      return staff;
    }
    await this.throttle.perUsername.failed(username);
    throw (await this.throttle.perAddress.failed(pair)) ?? new DomainError('UNAUTHENTICATED', WRONG);
  }

  /** Drops what this instance knows of an account (after an operator changed it): its next request reads it again. */
  forget(staffId: string): void {
    this.known.delete(staffId);
  }

  private remember(staff: StaffRow): Known {
    const known = {
      active: !staff.disabledAt,
      storeId: staff.storeId,
      role: staff.role,
      sessionsFrom: staff.sessionsValidFrom ? staff.sessionsValidFrom.getTime() : 0,
      checkedAt: Date.now(),
    };
    this.known.set(staff.id, known);
    return known;
  }

  /**
   * Refuses a token whose account was disabled, or moved to another store or role after the token
   * was issued, or issued before an operator last changed the account (401: sign in again). Reads the account at most once per cache period.
   */
  async assertStillValid(claims: { staffId: string; storeId: string; role: StaffRole; issuedAt: number }): Promise<void> {
    let known = this.known.get(claims.staffId);
    if (!known || Date.now() - known.checkedAt > this.config.revocationCacheSeconds * 1000) {
      const row = await this.staff.byId(claims.staffId);
      if (!row) {
        this.known.delete(claims.staffId);
        throw new DomainError('UNAUTHENTICATED', 'staff account no longer active');
      }
      known = this.remember(row);
    }
    if (!known.active || known.storeId !== claims.storeId || known.role !== claims.role || claims.issuedAt < known.sessionsFrom) {
      throw new DomainError('UNAUTHENTICATED', 'staff account no longer active');
    }
  }
}
