import type { TierChangeReason } from '@member/shared';
import { Db, dateOf, dateOrNull, isDuplicateKey, numberOf, type RawRow } from '../db';
import {
  FormerIdentityEntity,
  GrowthLedgerEntity,
  MemberEntity,
  TierHistoryEntity,
  type GrowthLedgerRow,
  type MemberRow,
  type TierHistoryRow,
} from '../entities';
import { tableOf } from '../table';
import { pageById, type Cursor } from './paging';
import type { LiveLot } from './points.repository';

const members = tableOf(MemberEntity);
const growthLedger = tableOf(GrowthLedgerEntity);
const tierHistory = tableOf(TierHistoryEntity);
const formerIdentities = tableOf(FormerIdentityEntity);

/** What moves on a member row when points or growth change: one UPDATE for all of it. */
export interface AccountChange {
  points?: number;
  /** Moves lifetime and qualifying growth together (a new entry counts toward both). */
  growth?: number;
  /** A counting growth entry now exists and none did before: when it leaves the trailing window. */
  qualifyingAgesAt?: Date;
  tier?: string;
  /** Refuse (return false) when the balance would go below zero. */
  keepBalanceNonNegative?: boolean;
  /** Set the earliest live-lot expiry exactly (after a debit or a settlement read every live lot). */
  nextExpiryAt?: Date | null;
  /** A new lot expiring then: the earliest expiry becomes the earlier of the two. */
  lotExpiringAt?: Date;
  /** A ledger entry other than an expiry made then: `last_active_at` becomes the later of the two. */
  activeAt?: Date;
}

/**
 * The member columns a counter order decides on, posts to and answers with: the account (points,
 * growth, tier, expiry and aging marks), the code secret it checks, the nickname it shows and the
 * inviter its first order may reward. The identity, contact and profile columns stay in the
 * database: half the row's columns and most of its bytes, read and sent for nothing on every order.
 */
const ACCOUNT_COLUMNS = [
  'id',
  'status',
  'codeSecretEnc',
  'nickname',
  'invitedBy',
  'tier',
  'growth',
  'qualifyingGrowth',
  'qualifyingAgedTo',
  'qualifyingAgesAt',
  'pointsBalance',
  'nextExpiryAt',
  'lastActiveAt',
] as const satisfies readonly (keyof MemberRow)[];

/** What `PointsService.post` needs of a member row (and what a counter order locks). */
export type MemberAccount = Pick<MemberRow, (typeof ACCOUNT_COLUMNS)[number]>;

/** A locked member row (the whole row unless said otherwise) and, when asked for, their live lots in spending order. */
export interface LockedMember<M extends MemberAccount = MemberRow> {
  member: M;
  lots: LiveLot[];
}

/** The member columns the card shows or decides on (the secrets and identity hashes stay in the database). */
const CARD_COLUMNS = [
  'id',
  'status',
  'nickname',
  'birthday',
  'birthdaySetAt',
  'phoneEnc',
  'tier',
  'growth',
  'qualifyingGrowth',
  'pointsBalance',
  'nextExpiryAt',
  'lastCheckinDay',
  'checkinStreak',
] as const satisfies readonly (keyof MemberRow)[];

export interface MemberCardRow extends Pick<MemberRow, (typeof CARD_COLUMNS)[number]> {
  couponsAvailable: number;
  /** Growth in the qualifying column that has already left the trailing window (the aging has not run yet). */
  growthAgedOut: number;
  /** Growth in the qualifying column that will have left the trailing window by the next review. */
  growthOutByReview: number;
  earnedRecently: number;
  /** The latest check-in (its business day and the streak it made), or null. */
  lastCheckin: { day: string; streak: number } | null;
  /**
   * The live lots expiring by the horizon, read in the same statement when `next_expiry_at` says
   * there may be any (otherwise none); null when the list came back cut short (read them apart).
   */
  expiringLots: LiveLot[] | null;
}

/** What the card's statement needs to know of the clock. */
export interface CardWindow {
  now: Date;
  /** Points earned since then make the yearly pace. */
  paceSince: Date;
  /** Growth created at or before it has left the trailing window (now less the window). */
  agedBefore: Date;
  /** The next tier review, and growth created at or before `outByReview` will have left the window by then. */
  reviewAt: Date;
  outByReview: Date;
  /** Lots expiring at or before it are read (the expiry warning's horizon). */
  horizon: Date;
}

/** Reasons whose positive entries are give-backs, not earnings (left out of the yearly pace). */
const NOT_EARNED: readonly string[] = ['refund', 'refund_return', 'redeem_cancel', 'adjust'];

/**
 * The member aggregate: the member row (profile, tier, growth, points balance), its growth ledger,
 * tier history and the keyed hashes kept after erasure. The row lock taken here is what serialises
 * every write that moves a member's points or growth.
 */
export class MemberRepository {
  constructor(private readonly db: Db) {}

  private map = (raw: RawRow): MemberRow => members.map(raw);

  async byId(id: string): Promise<MemberRow | null> {
    const raw = await this.db.row(`SELECT ${members.select()} FROM members WHERE id = ?`, [id]);
    return raw ? this.map(raw) : null;
  }

  async byOpenidHash(hash: string): Promise<MemberRow | null> {
    const raw = await this.db.row(`SELECT ${members.select()} FROM members WHERE openid_hash = ?`, [hash]);
    return raw ? this.map(raw) : null;
  }

  async existsWithPhoneHash(hash: string): Promise<boolean> {
    return (await this.db.row('SELECT id FROM members WHERE phone_hash = ?', [hash])) !== null;
  }

  /** An active member by the reference inside their dynamic code, without locking (lookups, quotes). */
  async activeByCodeRef(codeRef: string): Promise<MemberRow | null> {
    const raw = await this.db.row(`SELECT ${members.select()} FROM members WHERE code_ref = ? AND status = 'active'`, [codeRef]);
    return raw ? this.map(raw) : null;
  }

  /**
   * The active member behind a code reference, with the code steps from `fromStep` on that already
   * paid for an order (the `(member_id, code_step)` unique key), in one statement: the counter
   * lookup says at once that a code was used without a statement of its own.
   */
  async activeByCodeRefWithUsedSteps(codeRef: string, fromStep: number): Promise<{ member: MemberRow; usedSteps: number[] } | null> {
    const raw = await this.db.row(
      `SELECT ${members.select('m')}, (SELECT GROUP_CONCAT(o.code_step) FROM orders o WHERE o.member_id = m.id AND o.code_step >= ?) AS usedSteps
       FROM members m WHERE m.code_ref = ? AND m.status = 'active'`,
      [fromStep, codeRef],
    );
    if (!raw) return null;
    // GROUP_CONCAT answers a string (MariaDB may hand it over as a Buffer), or null when there is none.
    const used: unknown = raw.usedSteps;
    const steps = typeof used === 'string' ? used : Buffer.isBuffer(used) ? used.toString('utf8') : typeof used === 'number' ? String(used) : '';
    return { member: this.map(raw), usedSteps: steps ? steps.split(',').map(Number) : [] };
  }

  /** Locks the member row until the transaction ends and returns it. */
  async lock(id: string): Promise<MemberRow | null> {
    return (await this.lockWhere('m.id = ?', [id], false))?.member ?? null;
  }

  /** Locks an active member found by the reference inside their dynamic code: the account columns (a counter order). */
  async lockActiveByCodeRef(codeRef: string, withLots: boolean): Promise<LockedMember<MemberAccount> | null> {
    return this.lockWhere("m.code_ref = ? AND m.status = 'active'", [codeRef], withLots, ACCOUNT_COLUMNS);
  }

  /**
   * Locks the member row and, in the same statement, reads every lot with something left (in
   * spending order): what a debit needs, in one round trip.
   */
  async lockWithLots(id: string): Promise<LockedMember | null> {
    return this.lockWhere('m.id = ?', [id], true);
  }

  /** With `only`, the row read has those columns alone: the caller's return type says so (`LockedMember<MemberAccount>`). */
  private async lockWhere(where: string, params: unknown[], withLots: boolean, only?: readonly (keyof MemberRow)[]): Promise<LockedMember | null> {
    const columns = members.select('m', '', only);
    if (!withLots) {
      const raw = await this.db.row(this.db.forUpdate(`SELECT ${columns} FROM members m WHERE ${where}`), params);
      return raw ? { member: this.map(raw), lots: [] } : null;
    }
    const rows = await this.db.rows(
      this.db.forUpdate(
        `SELECT ${columns}, l.id AS lotId, l.remaining AS lotRemaining, l.earned_at AS lotEarnedAt, l.expires_at AS lotExpiresAt
         FROM members m LEFT JOIN points_lots l ON l.member_id = m.id AND l.remaining > 0
         WHERE ${where} ORDER BY l.expires_at, l.earned_at, l.id`,
      ),
      params,
    );
    if (rows.length === 0) return null;
    const lots: LiveLot[] = rows
      .filter((r) => r.lotId !== null && r.lotId !== undefined)
      .map((r) => ({ id: String(r.lotId), remaining: numberOf(r.lotRemaining), earnedAt: dateOf(r.lotEarnedAt), expiresAt: dateOf(r.lotExpiresAt) }));
    return { member: this.map(rows[0]), lots };
  }

  /**
   * The member card's row in one statement: the member's card columns with the count of coupons
   * available now, the points earned since `paceSince`, the qualifying growth leaving the trailing
   * window and the lots about to expire (the latest check-in is on the member row). Two of those are read only where the member row says they can be non-zero (MariaDB and
   * SQLite read nothing for a subquery whose WHERE is false on the member row alone):
   * - growth: `qualifying_ages_at` is never later than the moment the member's oldest counting
   *   entry leaves the window (NULL: no entry counts), so when it is after the review no counting
   *   entry is created at or before `outByReview` (nor `agedBefore`, which is earlier): both sums
   *   are 0 without a read (the subquery answers NULL);
   * - lots: `next_expiry_at` is never later than the earliest live lot's expiry, so when it is
   *   after the horizon no lot expires by then.
   * Growth takes one subquery for its two figures (joined in a string).
   */
  async card(id: string, w: CardWindow): Promise<MemberCardRow | null> {
    const mysql = this.db.dialect === 'mysql';
    const concat = (...parts: string[]) => (mysql ? `CONCAT(${parts.join(', ')})` : parts.join(' || '));
    // Lots as `id,remaining,earnedAt,expiresAt` joined by ';' (ULIDs, integers and datetimes: none holds either separator),
    // after their count, so a list cut short (group_concat_max_len) is seen and read again.
    const lot = concat('l.id', "','", 'l.remaining', "','", 'l.earned_at', "','", 'l.expires_at');
    const lots = concat('COUNT(*)', "'|'", `COALESCE(${mysql ? `GROUP_CONCAT(${lot} SEPARATOR ';')` : `group_concat(${lot}, ';')`}, '')`);
    const growthUntil = w.outByReview > w.agedBefore ? w.outByReview : w.agedBefore;
    // The member-row conditions of growth and lots sit in the subqueries' WHERE, not in a CASE
    // around them: MariaDB then sees an impossible WHERE before it weighs any index (a CASE skips
    // only the read, not the planning).
    const raw = await this.db.row(
      `SELECT ${members.select('m', '', CARD_COLUMNS)},
        (SELECT ${concat('SUM(CASE WHEN g.created_at <= ? THEN g.delta ELSE 0 END)', "' '", 'SUM(CASE WHEN g.created_at <= ? THEN g.delta ELSE 0 END)')}
          FROM growth_ledger g
          WHERE m.qualifying_ages_at <= ? AND g.member_id = m.id AND g.created_at > m.qualifying_aged_to AND g.created_at <= ?) AS growthOut,
        (SELECT COUNT(*) FROM member_coupons c WHERE c.member_id = m.id AND c.status IN ('available', 'locked') AND c.valid_to > ?) AS couponsAvailable,
        (SELECT COALESCE(SUM(e.delta), 0) FROM points_ledger e
          WHERE e.member_id = m.id AND e.delta > 0 AND e.created_at >= ? AND e.reason NOT IN (${Db.placeholders(NOT_EARNED.length)})) AS earnedRecently,
        (SELECT ${lots} FROM points_lots l
          WHERE m.next_expiry_at <= ? AND l.member_id = m.id AND l.remaining > 0 AND l.expires_at <= ?) AS expiringLots
       FROM members m WHERE m.id = ?`,
      [w.agedBefore, w.outByReview, w.reviewAt, growthUntil, w.now, w.paceSince, ...NOT_EARNED, w.horizon, w.horizon, id],
    );
    if (!raw) return null;
    const member = members.map(raw) as Pick<MemberRow, (typeof CARD_COLUMNS)[number]>;
    const [agedOut, outByReview] = textOf(raw.growthOut)?.split(' ') ?? [];
    const expiringLots = member.nextExpiryAt && member.nextExpiryAt <= w.horizon ? parseLots(textOf(raw.expiringLots)) : [];
    return {
      ...member,
      growthAgedOut: numberOf(agedOut),
      growthOutByReview: numberOf(outByReview),
      couponsAvailable: numberOf(raw.couponsAvailable),
      earnedRecently: numberOf(raw.earnedRecently),
      lastCheckin: member.lastCheckinDay === null ? null : { day: member.lastCheckinDay, streak: member.checkinStreak },
      expiringLots,
    };
  }

  async insert(row: MemberRow): Promise<void> {
    const [sql, params] = members.insert([row]);
    await this.db.execute(sql, params);
  }

  /**
   * Moves points and growth (and the tier) in one statement, on a member row the caller holds
   * locked (`FOR UPDATE` in this transaction); false when the balance guard said no. Without the
   * guard the UPDATE matches the locked row by its key, so it changes exactly that row and needs no
   * answer: it goes with the transaction's next statement (`Db.write`, no round trip of its own).
   */
  async applyChange(id: string, change: AccountChange, now: Date): Promise<boolean> {
    const sets = ['updated_at = ?'];
    const params: unknown[] = [now];
    if (change.points) {
      sets.push('points_balance = points_balance + ?');
      params.push(change.points);
    }
    if (change.growth) {
      sets.push('growth = growth + ?', 'qualifying_growth = qualifying_growth + ?');
      params.push(change.growth, change.growth);
    }
    if (change.qualifyingAgesAt) {
      sets.push('qualifying_ages_at = ?');
      params.push(change.qualifyingAgesAt);
    }
    if (change.tier !== undefined) {
      sets.push('tier = ?');
      params.push(change.tier);
    }
    if (change.nextExpiryAt !== undefined) {
      sets.push('next_expiry_at = ?');
      params.push(change.nextExpiryAt);
    } else if (change.lotExpiringAt) {
      sets.push('next_expiry_at = CASE WHEN next_expiry_at IS NULL OR next_expiry_at > ? THEN ? ELSE next_expiry_at END');
      params.push(change.lotExpiringAt, change.lotExpiringAt);
    }
    if (change.activeAt) {
      sets.push('last_active_at = CASE WHEN last_active_at IS NULL OR last_active_at < ? THEN ? ELSE last_active_at END');
      params.push(change.activeAt, change.activeAt);
    }
    let where = 'id = ?';
    params.push(id);
    if (!(change.keepBalanceNonNegative && change.points)) {
      await this.db.write(`UPDATE members SET ${sets.join(', ')} WHERE ${where}`, params);
      return true;
    }
    where += ' AND points_balance + ? >= 0';
    params.push(change.points);
    return await this.db.changedOne(`UPDATE members SET ${sets.join(', ')} WHERE ${where}`, params);
  }

  /** Sets columns of the profile; `unlessChangedSince` guards a birthday change against a concurrent one. */
  async updateProfile(
    id: string,
    changes: Partial<Pick<MemberRow, 'nickname' | 'birthday' | 'birthdaySetAt'>>,
    now: Date,
    birthdayGuard?: Date | null,
  ): Promise<boolean> {
    const sets = ['updated_at = ?'];
    const params: unknown[] = [now];
    for (const [k, v] of Object.entries(changes) as [keyof MemberRow, unknown][]) {
      sets.push(`${members.col(k)} = ?`);
      params.push(v);
    }
    let where = "id = ? AND status = 'active'";
    params.push(id);
    if (birthdayGuard !== undefined) {
      where += birthdayGuard ? ' AND birthday_set_at = ?' : ' AND birthday_set_at IS NULL';
      if (birthdayGuard) params.push(birthdayGuard);
    }
    return await this.db.changedOne(`UPDATE members SET ${sets.join(', ')} WHERE ${where}`, params);
  }

  /** A new login: the code secret (and WeChat session key) rotate. */
  async rotateSecrets(id: string, codeSecretEnc: string, sessionKeyEnc: string | null, now: Date): Promise<void> {
    await this.db.execute(`UPDATE members SET code_secret_enc = ?, session_key_enc = COALESCE(?, session_key_enc), updated_at = ? WHERE id = ?`, [
      codeSecretEnc,
      sessionKeyEnc,
      now,
      id,
    ]);
  }

  /** pending → active with the profile given at registration; false if the account was not pending. */
  async activate(
    id: string,
    profile: Pick<
      MemberRow,
      'nickname' | 'birthday' | 'birthdaySetAt' | 'phoneEnc' | 'phoneHash' | 'consentVersion' | 'consentedAt' | 'inviteCode' | 'registeredAt'
    >,
    now: Date,
  ): Promise<boolean> {
    const keys = Object.keys(profile) as (keyof typeof profile)[];
    return this.db.changedOne(
      `UPDATE members SET status = 'active', ${keys.map((k) => `${members.col(k)} = ?`).join(', ')}, updated_at = ? WHERE id = ? AND status = 'pending'`,
      [...keys.map((k) => profile[k]), now, id],
    );
  }

  /** Clears personal data; ledgers stay tied to the anonymous row. */
  async erase(id: string, codeSecretEnc: string, now: Date): Promise<void> {
    await this.db.execute(
      `UPDATE members SET status = 'erased', openid_hash = NULL, openid_enc = NULL, session_key_enc = NULL, code_secret_enc = ?,
        nickname = NULL, birthday = NULL, birthday_set_at = NULL, phone_enc = NULL, phone_hash = NULL, invite_code = NULL,
        erased_at = ?, updated_at = ? WHERE id = ?`,
      [codeSecretEnc, now, now, id],
    );
  }

  /** Whether any of these keyed hashes belonged to a member who has since erased their data. */
  async hadFormerMember(identities: readonly { kind: 'openid' | 'phone'; hash: string }[]): Promise<boolean> {
    if (identities.length === 0) return false;
    const where = identities.map(() => '(kind = ? AND hash = ?)').join(' OR ');
    return (
      (await this.db.row(
        `SELECT id FROM former_identities WHERE ${where} LIMIT 1`,
        identities.flatMap((i) => [i.kind, i.hash]),
      )) !== null
    );
  }

  async rememberFormerIdentities(rows: { id: string; kind: 'openid' | 'phone'; hash: string; memberId: string; createdAt: Date }[]): Promise<void> {
    if (rows.length === 0) return;
    const [sql, params] = formerIdentities.insert(rows);
    await this.db.execute(sql, params);
  }

  async nicknameOf(id: string): Promise<string> {
    const raw = await this.db.row<{ nickname: string | null }>('SELECT nickname FROM members WHERE id = ?', [id]);
    return raw?.nickname ?? '';
  }

  // ── operators' lookup ─────────────────────────────────────────────────────────────────────

  /** A registered member by code reference or phone hash (each a unique key): 0 or 1 rows. */
  async activeBy(column: 'codeRef' | 'phoneHash', value: string): Promise<MemberRow | null> {
    const raw = await this.db.row(`SELECT ${members.select()} FROM members WHERE ${members.col(column)} = ? AND status = 'active'`, [value]);
    return raw ? this.map(raw) : null;
  }

  /** Registered members whose nickname starts with `prefix` (a range on the nickname index), newest first. */
  activeByNicknamePrefix(prefix: string, cursor: Cursor, limit: number) {
    const pattern = `${prefix.replace(/[!%_]/g, (ch) => `!${ch}`)}%`;
    return pageById(this.db, members, "status = 'active' AND nickname LIKE ? ESCAPE '!'", [pattern], cursor, limit);
  }

  /** Members whose earliest live lot has expired (the expiry job's batch). */
  async dueForExpiry(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(`SELECT id FROM members WHERE next_expiry_at <= ? ORDER BY next_expiry_at LIMIT ${Math.trunc(limit)}`, [
      now,
    ]);
    return rows.map((r) => r.id);
  }

  // ── qualifying growth: aging and the tier review ──────────────────────────────────────────

  /** Members with a counting growth entry that may have left the trailing window (the aging job's batch). */
  async dueForAging(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      `SELECT id FROM members WHERE qualifying_ages_at <= ? ORDER BY qualifying_ages_at, id LIMIT ${Math.trunc(limit)}`,
      [now],
    );
    return rows.map((r) => r.id);
  }

  /**
   * What aging a member up to `cutoff` takes away: the sum of their entries created after
   * `agedTo` and at or before `cutoff`, and the creation time of their first entry after `cutoff`
   * (the next one to age), in one statement over the (member, created_at) index.
   */
  async growthToAge(memberId: string, agedTo: Date, cutoff: Date): Promise<{ aged: number; nextCreatedAt: Date | null }> {
    const raw = await this.db.row(
      `SELECT COALESCE(SUM(CASE WHEN created_at <= ? THEN delta ELSE 0 END), 0) AS aged,
         MIN(CASE WHEN created_at > ? THEN created_at END) AS nextCreatedAt
       FROM growth_ledger WHERE member_id = ? AND created_at > ?`,
      [cutoff, cutoff, memberId, agedTo],
    );
    return { aged: numberOf(raw?.aged), nextCreatedAt: dateOrNull(raw?.nextCreatedAt) };
  }

  /**
   * Moves the aging mark from `fromAgedTo` to `toAgedTo`, taking `aged` off qualifying growth;
   * only if the mark is still where it was read (a concurrent or repeated run moved nothing twice).
   */
  async applyAging(id: string, fromAgedTo: Date, toAgedTo: Date, aged: number, agesAt: Date | null): Promise<boolean> {
    return this.db.changedOne(
      'UPDATE members SET qualifying_growth = qualifying_growth - ?, qualifying_aged_to = ?, qualifying_ages_at = ? WHERE id = ? AND qualifying_aged_to = ?',
      [aged, toAgedTo, agesAt, id, fromAgedTo],
    );
  }

  /** Members at `tier` whose qualifying growth is below `growthMin`, after `afterId` in id order (the review's batch). */
  async belowTier(tier: string, growthMin: number, afterId: string, limit: number): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      `SELECT id FROM members WHERE tier = ? AND qualifying_growth < ? AND id > ? ORDER BY id LIMIT ${Math.trunc(limit)}`,
      [tier, growthMin, afterId],
    );
    return rows.map((r) => r.id);
  }

  /** A review period's state: null before it started. */
  async reviewState(period: string): Promise<{ finished: boolean } | null> {
    const raw = await this.db.row('SELECT finished_at AS finishedAt FROM tier_reviews WHERE period = ?', [period]);
    return raw ? { finished: dateOrNull(raw.finishedAt) !== null } : null;
  }

  /** Starts a review period (a concurrent second start is a no-op). */
  async startReview(period: string, now: Date): Promise<void> {
    try {
      await this.db.execute('INSERT INTO tier_reviews (period, started_at, finished_at, dropped) VALUES (?, ?, NULL, 0)', [period, now]);
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
  }

  async finishReview(period: string, dropped: number, now: Date): Promise<void> {
    await this.db.execute('UPDATE tier_reviews SET finished_at = ?, dropped = dropped + ? WHERE period = ?', [now, dropped, period]);
  }

  // ── growth ledger and tier history ────────────────────────────────────────────────────────

  /** Appends a growth entry (sent with the transaction's next statement, `Db.write`); a repeated (member, sourceKey) fails the transaction. */
  async insertGrowth(entry: GrowthLedgerRow): Promise<void> {
    const [sql, params] = growthLedger.insert([entry]);
    await this.db.write(sql, params);
  }

  async growthEntryBySource(memberId: string, sourceKey: string): Promise<GrowthLedgerRow | null> {
    const raw = await this.db.row(`SELECT ${growthLedger.select()} FROM growth_ledger WHERE member_id = ? AND source_key = ?`, [memberId, sourceKey]);
    return raw ? growthLedger.map(raw) : null;
  }

  growthPage(memberId: string, cursor: Cursor, limit: number) {
    return pageById(this.db, growthLedger, 'member_id = ?', [memberId], cursor, limit);
  }

  async growthLedgerOf(memberId: string): Promise<GrowthLedgerRow[]> {
    return (await this.db.rows(`SELECT ${growthLedger.select()} FROM growth_ledger WHERE member_id = ? ORDER BY id`, [memberId])).map((r) =>
      growthLedger.map(r),
    );
  }

  /** Records a tier change; a review drop carries its period, unique per member (a duplicate key means that review already dropped them). */
  async insertTierChange(row: {
    id: string;
    memberId: string;
    fromTier: string | null;
    toTier: string;
    reason: TierChangeReason;
    reviewPeriod?: string;
    createdAt: Date;
  }): Promise<void> {
    const [sql, params] = tierHistory.insert([{ ...row, reviewPeriod: row.reviewPeriod ?? null }]);
    await this.db.execute(sql, params);
  }

  async tierHistoryOf(memberId: string, order: 'ASC' | 'DESC'): Promise<TierHistoryRow[]> {
    return (await this.db.rows(`SELECT ${tierHistory.select()} FROM tier_history WHERE member_id = ? ORDER BY id ${order}`, [memberId])).map((r) =>
      tierHistory.map(r),
    );
  }
}

/** A string column that MariaDB may hand over as a Buffer (CONCAT, GROUP_CONCAT), or null. */
function textOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return typeof v === 'number' ? String(v) : null;
}

/** The card's `count|id,remaining,earnedAt,expiresAt;…`; null when the list is not whole (then the lots are read again). */
function parseLots(text: string | null): LiveLot[] | null {
  if (text === null) return null;
  const bar = text.indexOf('|');
  const count = Number(text.slice(0, bar));
  const list = text.slice(bar + 1);
  if (count === 0) return [];
  const lots: LiveLot[] = [];
  for (const item of list.split(';')) {
    const [id, remaining, earnedAt, expiresAt] = item.split(',');
    if (!id || !remaining || !earnedAt || !expiresAt) return null;
    const lot = { id, remaining: numberOf(remaining), earnedAt: dateOf(earnedAt), expiresAt: dateOf(expiresAt) };
    if (Number.isNaN(lot.remaining + lot.earnedAt.getTime() + lot.expiresAt.getTime())) return null;
    lots.push(lot);
  }
  return lots.length === count ? lots : null;
}
