import { DomainError, type StaffRole } from '@member/shared';
import type { RuntimeConfig } from '../config/config';
import { isDuplicateKey } from '../db/db';
import type { StaffRow, StoreRow } from '../db/entities';
import type { StaffRepository } from '../db/repositories/staff.repository';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';
import { hashPassword, verifyPassword } from '../lib/passwords';

/** A hash to compare against when the username is unknown, so both paths cost the same time. */
let decoy: Promise<string> | null = null;

interface Known {
  active: boolean;
  storeId: string;
  role: StaffRole;
  checkedAt: number;
}

/**
 * Stores and staff accounts: creation (CLI, seed, admin), sign-in with lock-out after repeated
 * failures, and the check staff requests make.
 *
 * A staff token carries its store and role, so a request needs no database read to know who is
 * calling. Revocation (an account disabled, moved or re-roled) is checked against a short
 * in-process cache of the account (`auth.staffRevocationCacheSeconds`): it takes effect within
 * that many seconds on every instance, at one read per account per period instead of one per request.
 */
export class StaffService {
  private readonly known = new Map<string, Known>();

  constructor(
    private readonly staff: StaffRepository,
    private readonly config: { staffAuth: RuntimeConfig['staffAuth']; revocationCacheSeconds: number },
    private readonly clock: Clock,
  ) {}

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
      failedAttempts: 0,
      lockedUntil: null,
      disabledAt: null,
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
   * Checks a username and password. After `staffAuth.maxFailedAttempts` wrong passwords in a row
   * the account is locked for `staffAuth.lockoutSeconds` (429 with Retry-After), even for the
   * right password; a success resets the count. Unknown users and wrong passwords look the same.
   */
  async signIn(username: string, password: string): Promise<StaffRow> {
    const now = this.clock.now();
    const staff = await this.staff.byUsername(username);
    if (!staff || staff.disabledAt) {
      decoy ??= hashPassword('decoy-password', this.config.staffAuth.scryptCost);
      await verifyPassword(password, await decoy);
      throw new DomainError('UNAUTHENTICATED', 'wrong username or password');
    }
    if (staff.lockedUntil && staff.lockedUntil > now) throw this.locked(staff.lockedUntil, now);
    if (await verifyPassword(password, staff.passwordHash)) {
      if (staff.failedAttempts > 0 || staff.lockedUntil) await this.staff.resetFailures(staff.id);
      this.remember(staff);
      return staff;
    }
    const until = new Date(now.getTime() + this.config.staffAuth.lockoutSeconds * 1000);
    if (await this.staff.countFailure(staff.id, this.config.staffAuth.maxFailedAttempts, until)) throw this.locked(until, now);
    throw new DomainError('UNAUTHENTICATED', 'wrong username or password');
  }

  private locked(until: Date, now: Date): DomainError {
    return new DomainError('RATE_LIMITED', 'too many failed sign-ins: account locked for a while', {
      retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)),
    });
  }

  private remember(staff: StaffRow): Known {
    const known = { active: !staff.disabledAt, storeId: staff.storeId, role: staff.role, checkedAt: Date.now() };
    this.known.set(staff.id, known);
    return known;
  }

  /**
   * Refuses a token whose account was disabled, or moved to another store or role after the token
   * was issued (401: sign in again). Reads the account at most once per cache period.
   */
  async assertStillValid(claims: { staffId: string; storeId: string; role: StaffRole }): Promise<void> {
    let known = this.known.get(claims.staffId);
    if (!known || Date.now() - known.checkedAt > this.config.revocationCacheSeconds * 1000) {
      const row = await this.staff.byId(claims.staffId);
      if (!row) {
        this.known.delete(claims.staffId);
        throw new DomainError('UNAUTHENTICATED', 'staff account no longer active');
      }
      known = this.remember(row);
    }
    if (!known.active || known.storeId !== claims.storeId || known.role !== claims.role) {
      throw new DomainError('UNAUTHENTICATED', 'staff account no longer active');
    }
  }
}
