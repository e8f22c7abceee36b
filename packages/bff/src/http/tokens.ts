import { DomainError } from '@member/shared';
import jwt from 'jsonwebtoken';

export type Audience = 'member' | 'staff' | 'admin';

export interface TokenClaims {
  sub: string;
  aud: Audience;
}

/**
 * Signed bearer tokens (HS256, secret from APP_SECRET). Member, staff and admin tokens are
 * distinct audiences: a token of one kind is refused on the others' routes.
 */
export class TokenService {
  constructor(private readonly secret: string) {}

  issue(sub: string, aud: Audience, ttlSeconds: number): { token: string; expiresAt: Date } {
    const token = jwt.sign({}, this.secret, { algorithm: 'HS256', subject: sub, audience: aud, expiresIn: ttlSeconds, issuer: 'member-center' });
    return { token, expiresAt: new Date(Date.now() + ttlSeconds * 1000) };
  }

  /** Verifies signature, expiry and issuer; returns the claims whatever the audience. */
  verify(token: string): TokenClaims {
    try {
      const claims = jwt.verify(token, this.secret, { algorithms: ['HS256'], issuer: 'member-center' }) as jwt.JwtPayload;
      const aud = claims.aud;
      if (typeof claims.sub !== 'string' || (aud !== 'member' && aud !== 'staff' && aud !== 'admin')) {
        throw new Error('malformed claims');
      }
      return { sub: claims.sub, aud };
    } catch {
      throw new DomainError('UNAUTHENTICATED', 'invalid or expired token');
    }
  }
}
