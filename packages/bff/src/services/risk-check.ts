import type { Logger } from 'pino';
import type { MemberRow } from '../db/entities';
import type { WechatClient } from '../integrations/wechat';
import type { FieldCrypto } from '../lib/crypto';

/**
 * WeChat's risk rank (getUserRiskRank, scene 1: marketing abuse) of the friend behind a share or
 * referral reward. It is asked while the friend is in the mini-program — opening a share link,
 * registering with an invite — with their address, and recorded; the reward consults the recorded
 * rank (WeChat only rates users seen in the last two hours, and a counter order is not such a
 * moment). At `riskControl.holdAtRank` or above, or when WeChat could not rate them, the reward is
 * held for an operator's review instead of being paid.
 */
export class RiskCheck {
  constructor(
    private readonly wechat: WechatClient,
    private readonly crypto: FieldCrypto,
    private readonly holdAtRank: number,
    private readonly logger: Logger,
  ) {}

  /**
   * The member's rank now, or null when WeChat could not say. An account made by development
   * sign-in has no WeChat identity to ask about (development sign-in is off in production): 0.
   */
  async rankOf(member: MemberRow, clientIp: string): Promise<number | null> {
    if (!member.sessionKeyEnc || !member.openidEnc) return 0;
    try {
      return await this.wechat.userRiskRank({ openid: this.crypto.decrypt(member.openidEnc), clientIp, scene: 1 });
    } catch (e) {
      this.logger.warn({ memberId: member.id, reason: (e as Error).message }, 'risk rank unavailable: rewards for this friend will be held');
      return null;
    }
  }

  /** Whether a reward for a friend of this rank waits for review. */
  holds(rank: number | null): boolean {
    return rank === null || rank >= this.holdAtRank;
  }
}
