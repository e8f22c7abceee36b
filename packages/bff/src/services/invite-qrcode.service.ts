import { DomainError, inviteCodeTarget } from '@member/shared';
import type { RuntimeConfig } from '../config/config';
import type { Repositories } from '../db/repositories';
import type { CodeImage, WechatClient } from '../integrations/wechat';
import type { Clock } from '../lib/clock';
import type { RateLimit } from '../lib/rate-limit';

interface Cached {
  scene: string;
  until: number;
  image: CodeImage;
}

/**
 * The member's invite mini-program code for the poster on WeChat: WeChat's getwxacodeunlimit of the
 * invite landing page with the member's invite code as the scene (`inviteCodeTarget`), so scanning
 * the poster with WeChat opens the mini-program where registration picks the code up.
 *
 * WeChat's code API has quotas, so requests are counted per member (`rateLimits.inviteQrcode`) and
 * each member's image is kept in this instance's memory (`inviteQrcode.cacheEntries` members, least
 * recently used dropped first, each for `cacheSeconds`): a member's code never changes while their
 * invite code does not, and the cache is keyed by that code. The member is read on every request,
 * so an erased account is refused even while its image is cached.
 */
export class InviteQrcodeService {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly members: Repositories['members'],
    private readonly wechat: WechatClient,
    private readonly settings: RuntimeConfig['inviteQrcode'],
    private readonly clock: Clock,
    private readonly perMember: RateLimit,
  ) {}

  async image(memberId: string): Promise<CodeImage> {
    await this.perMember.consume(`member:${memberId}`);
    const m = await this.members.byId(memberId);
    if (!m || m.status === 'erased') throw new DomainError('UNAUTHENTICATED', 'account no longer exists');
    if (m.status !== 'active' || !m.inviteCode) throw new DomainError('NOT_FOUND', 'not registered yet');
    const target = inviteCodeTarget(m.inviteCode);
    const now = this.clock.now().getTime();
    const hit = this.cache.get(memberId);
    this.cache.delete(memberId);
    if (hit && hit.scene === target.scene && hit.until > now) {
      this.cache.set(memberId, hit);
      return hit.image;
    }
    const image = await this.wechat.getUnlimitedCode({ ...target, width: this.settings.width, envVersion: this.settings.envVersion });
    if (this.settings.cacheEntries > 0) {
      this.cache.set(memberId, { scene: target.scene, until: now + this.settings.cacheSeconds * 1000, image });
      // A Map iterates in insertion order and every hit is re-inserted: the first key is the least recently used.
      while (this.cache.size > this.settings.cacheEntries) this.cache.delete(this.cache.keys().next().value as string);
    }
    return image;
  }
}
