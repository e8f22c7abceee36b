import { DomainError } from '@member/shared';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * A named limit (points per duration) keyed by caller. In-memory per BFF instance: with N instances
 * the effective limit is N× the setting, which is acceptable for abuse protection; the paid WeChat
 * quota is protected per member as well (MemberService.register).
 */
export class RateLimit {
  private readonly limiter: RateLimiterMemory;

  constructor(points: number, durationSeconds: number) {
    this.limiter = new RateLimiterMemory({ points, duration: durationSeconds });
  }

  static of(setting: { points: number; durationSeconds: number }): RateLimit {
    return new RateLimit(setting.points, setting.durationSeconds);
  }

  /** Refuses (429) while `key` has used up its points, without using one: for limits counted on failures only. */
  async refuseWhileExhausted(key: string): Promise<void> {
    const res = await this.limiter.get(key);
    if (res && res.remainingPoints <= 0 && res.msBeforeNext > 0) {
      throw new DomainError('RATE_LIMITED', 'too many requests', { retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) });
    }
  }

  async consume(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (e) {
      if (e instanceof RateLimiterRes) {
        throw new DomainError('RATE_LIMITED', 'too many requests', { retryAfterSeconds: Math.max(1, Math.ceil(e.msBeforeNext / 1000)) });
      }
      throw e;
    }
  }
}
