import { DomainError } from '@member/shared';
import type { RuntimeConfig } from '../config/config';
import { affectedRows, isDuplicateKey, type Db } from '../db/db';
import { StaffEntity, StoreEntity, type StaffRole, type StaffRow, type StoreRow } from '../db/entities';
import type { Clock } from './clock';
import { newId } from './crypto';
import { hashPassword, verifyPassword } from './password';

/** A hash to compare against when the username is unknown, so both paths cost the same time. */
let decoy: Promise<string> | null = null;

/**
 * Stores and staff accounts: creation (CLI, seed, admin), sign-in with lock-out after repeated
 * failures, and the checks staff routes make on every request.
 */
export class StaffService {
  constructor(
    private readonly db: Db,
    private readonly auth: RuntimeConfig['staffAuth'],
    private readonly clock: Clock,
  ) {}

  async createStore(name: string): Promise<StoreRow> {
    const row: StoreRow = { id: newId(), name, createdAt: this.clock.now() };
    await this.db.manager.insert(StoreEntity, row);
    return row;
  }

  async storeByName(name: string): Promise<StoreRow | null> {
    return this.db.manager.findOneBy(StoreEntity, { name });
  }

  async createStaff(input: { storeId: string; username: string; password: string; role: StaffRole }): Promise<StaffRow> {
    if (input.password.length < 8) throw new DomainError('VALIDATION_FAILED', 'password must be at least 8 characters');
    if (!(await this.db.manager.findOneBy(StoreEntity, { id: input.storeId }))) throw new DomainError('NOT_FOUND', 'no such store');
    const row: StaffRow = {
      id: newId(),
      storeId: input.storeId,
      username: input.username,
      passwordHash: await hashPassword(input.password, this.auth.scryptCost),
      role: input.role,
      failedAttempts: 0,
      lockedUntil: null,
      disabledAt: null,
      createdAt: this.clock.now(),
    };
    try {
      await this.db.manager.insert(StaffEntity, row);
    } catch (e) {
      if (isDuplicateKey(e)) throw new DomainError('ALREADY_REGISTERED', `username ${input.username} is taken`);
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
    const staff = await this.db.manager.findOneBy(StaffEntity, { username });
    if (!staff || staff.disabledAt) {
      decoy ??= hashPassword('decoy-password', this.auth.scryptCost);
      await verifyPassword(password, await decoy);
      throw new DomainError('UNAUTHENTICATED', 'wrong username or password');
    }
    if (staff.lockedUntil && staff.lockedUntil > now) throw this.locked(staff.lockedUntil, now);
    if (await verifyPassword(password, staff.passwordHash)) {
      if (staff.failedAttempts > 0 || staff.lockedUntil) {
        await this.db.manager.update(StaffEntity, { id: staff.id }, { failedAttempts: 0, lockedUntil: null });
      }
      return staff;
    }
    // Count the failure atomically; the request that reaches the limit sets the lock.
    await this.db.manager
      .createQueryBuilder()
      .update(StaffEntity)
      .set({ failedAttempts: () => 'failed_attempts + 1' })
      .where('id = :id', { id: staff.id })
      .execute();
    const until = new Date(now.getTime() + this.auth.lockoutSeconds * 1000);
    const lockedNow = affectedRows(
      await this.db.manager
        .createQueryBuilder()
        .update(StaffEntity)
        .set({ lockedUntil: until, failedAttempts: 0 })
        .where('id = :id AND failed_attempts >= :max', { id: staff.id, max: this.auth.maxFailedAttempts })
        .execute(),
    );
    if (lockedNow === 1) throw this.locked(until, now);
    throw new DomainError('UNAUTHENTICATED', 'wrong username or password');
  }

  private locked(until: Date, now: Date): DomainError {
    return new DomainError('RATE_LIMITED', 'too many failed sign-ins: account locked for a while', {
      retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)),
    });
  }

  /** The signed-in staff member behind a token, still active. */
  async active(staffId: string): Promise<StaffRow> {
    const staff = await this.db.manager.findOneBy(StaffEntity, { id: staffId });
    if (!staff || staff.disabledAt) throw new DomainError('UNAUTHENTICATED', 'staff account no longer active');
    return staff;
  }

  requireRole(staff: StaffRow, roles: StaffRole[]): void {
    if (!roles.includes(staff.role)) throw new DomainError('FORBIDDEN', `needs role ${roles.join(' or ')}`);
  }
}
