import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1732000000000-foundation';

/**
 * Share-to-earn and referral invitations:
 * - `shares`: a member's share links (an unguessable token per link);
 * - `share_visits`: friends who opened one (one row per link and friend, refreshed on each visit),
 *   with WeChat's risk rank of the friend at that moment;
 * - `share_rewards`: a sharer rewarded for a friend's action, once per friend per business day and
 *   at most `share.maxRewardsPerDay` a day, both held by unique keys;
 * - `referrals`: an invitee bound to an inviter once (unique invitee), the first order that
 *   rewarded it and what was paid, each rewarded invitation in a slot of the inviter's month
 *   (unique inviter + month + slot);
 * - `members.invited_by`: the binding on the member row, so a counter order of a member nobody
 *   invited costs no statement more; `members.share_visited_at`: when the member last opened
 *   someone's link, so a check-in or redemption of a member who opened none looks nothing up.
 */
export class ShareReferral1732600000000 implements MigrationInterface {
  name = 'ShareReferral1732600000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    const nullable = { isNullable: true };
    await runner.addColumn('members', new TableColumn(c('invited_by', 'ref', nullable)));
    await runner.addColumn('members', new TableColumn(c('share_visited_at', 'datetime', nullable)));
    await runner.createTable(
      new Table({
        name: 'shares',
        columns: [
          c('id', 'id'),
          c('token', { varchar: 32 }),
          c('member_id', 'ref'),
          c('page', { varchar: 16 }),
          c('target_id', 'ref', nullable),
          c('created_at', 'datetime'),
        ],
        indices: [
          new TableIndex({ name: 'uq_shares_token', columnNames: ['token'], isUnique: true }),
          new TableIndex({ name: 'ix_shares_member', columnNames: ['member_id', 'created_at'] }),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'share_visits',
        columns: [
          c('id', 'id'),
          c('share_id', 'ref'),
          c('sharer_id', 'ref'),
          c('visitor_id', 'ref'),
          c('risk_rank', 'int', nullable),
          c('visited_at', 'datetime'),
          c('created_at', 'datetime'),
        ],
        indices: [
          new TableIndex({ name: 'uq_share_visits_share_visitor', columnNames: ['share_id', 'visitor_id'], isUnique: true }),
          new TableIndex({ name: 'ix_share_visits_visitor', columnNames: ['visitor_id', 'visited_at'] }),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'share_rewards',
        columns: [
          c('id', 'id'),
          c('sharer_id', 'ref'),
          c('visitor_id', 'ref'),
          c('share_id', 'ref'),
          c('action', { varchar: 16 }),
          c('event_key', { varchar: 128 }),
          c('day', { varchar: 10 }),
          c('slot', 'int'),
          c('status', { varchar: 16 }),
          c('risk_rank', 'int', nullable),
          c('points', 'int', { default: 0 }),
          c('growth', 'int', { default: 0 }),
          c('created_at', 'datetime'),
          c('paid_at', 'datetime', nullable),
        ],
        indices: [
          new TableIndex({ name: 'uq_share_rewards_friend_day', columnNames: ['sharer_id', 'visitor_id', 'day'], isUnique: true }),
          new TableIndex({ name: 'uq_share_rewards_day_slot', columnNames: ['sharer_id', 'day', 'slot'], isUnique: true }),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'referrals',
        columns: [
          c('id', 'id'),
          c('inviter_id', 'ref'),
          c('invitee_id', 'ref'),
          c('status', { varchar: 16 }),
          c('risk_rank', 'int', nullable),
          c('first_order_id', 'ref', nullable),
          c('month', { varchar: 7 }, nullable),
          c('slot', 'int', nullable),
          c('inviter_points', 'int', { default: 0 }),
          c('inviter_growth', 'int', { default: 0 }),
          c('invitee_points', 'int', { default: 0 }),
          c('milestone_coupon_id', 'ref', nullable),
          c('registered_at', 'datetime'),
          c('ordered_at', 'datetime', nullable),
          c('rewarded_at', 'datetime', nullable),
          c('reversed_at', 'datetime', nullable),
        ],
        indices: [
          new TableIndex({ name: 'uq_referrals_invitee', columnNames: ['invitee_id'], isUnique: true }),
          new TableIndex({ name: 'uq_referrals_month_slot', columnNames: ['inviter_id', 'month', 'slot'], isUnique: true }),
          new TableIndex({ name: 'ix_referrals_inviter', columnNames: ['inviter_id', 'registered_at'] }),
          new TableIndex({ name: 'ix_referrals_status', columnNames: ['status', 'ordered_at'] }),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const t of ['referrals', 'share_rewards', 'share_visits', 'shares']) await runner.dropTable(t);
    await runner.dropColumn('members', 'share_visited_at');
    await runner.dropColumn('members', 'invited_by');
  }
}
