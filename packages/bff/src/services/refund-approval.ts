import { DomainError, type RefundApproval, type StaffRole } from '@member/shared';
import type { TokenService } from '../http/tokens';
import { needsManager, type RefundApprover, type Till } from './counter.service';
import type { StaffService } from './staff.service';

/** Roles that may approve a refund (admins sign in with an admin token, still of a store). */
const APPROVERS: ReadonlySet<StaffRole> = new Set(['manager', 'admin']);

interface Approver {
  staffId: string;
  storeId: string;
  role: StaffRole;
}

/**
 * A manager approving a refund on the till: by signing in on it (username and password, checked by
 * the same sign-in as `POST /staff/sessions`, so wrong passwords count towards its lock-out like
 * any failed sign-in) or with a staff token of theirs. The approver must be a manager or admin of
 * the till's store. Every failure is the same 403 `{needs: 'manager'}`: it tells no more than a
 * failed sign-in (known and unknown usernames, right passwords of the wrong person, alike).
 */
export class ManagerApproval implements RefundApprover {
  constructor(
    private readonly staff: Pick<StaffService, 'signIn' | 'assertStillValid'>,
    private readonly tokens: Pick<TokenService, 'verify'>,
  ) {}

  /**
   * The same approvals for a request from `address` (the till's client address): a manager's
   * password typed there counts towards the lock of that username at that address only, like a
   * sign-in from it (`staffAuth.perAddress`), never towards every till's.
   */
  at(address: string): RefundApprover {
    return { approve: (till, approval) => this.approve(till, approval, address) };
  }

  async approve(till: Till, approval: RefundApproval | undefined, from?: string): Promise<string> {
    if (!approval) throw needsManager();
    const approver = 'token' in approval ? await this.byToken(approval.token) : await this.byPassword(approval.username, approval.password, from);
    if (!approver || approver.storeId !== till.storeId || !APPROVERS.has(approver.role)) throw needsManager();
    return approver.staffId;
  }

  private async byPassword(username: string, password: string, from?: string): Promise<Approver | null> {
    try {
      const s = await this.staff.signIn(username, password, from);
      return { staffId: s.id, storeId: s.storeId, role: s.role };
    } catch (e) {
      // A lock-out (429) stays what it is at sign-in; a wrong password is only "needs a manager".
      if (e instanceof DomainError && e.code === 'UNAUTHENTICATED') return null;
      throw e;
    }
  }

  private async byToken(token: string): Promise<Approver | null> {
    try {
      const claims = this.tokens.verify(token);
      if (claims.aud === 'member') return null;
      const approver = { staffId: claims.sub, storeId: claims.store, role: claims.role };
      await this.staff.assertStillValid({ ...approver, issuedAt: claims.issuedAt });
      return approver;
    } catch (e) {
      if (e instanceof DomainError && e.code === 'UNAUTHENTICATED') return null;
      throw e;
    }
  }
}
