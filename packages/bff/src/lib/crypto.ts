import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Field encryption (AES-256-GCM) and keyed hashes (HMAC-SHA-256) for personal data. Both keys are
 * derived from DATA_KEY with HKDF, so one secret in the environment protects everything and the
 * hash key is never the encryption key.
 */
export class FieldCrypto {
  private readonly encKey: Buffer;
  private readonly hashKey: Buffer;

  constructor(dataKey: Buffer) {
    if (dataKey.length !== 32) throw new Error('DATA_KEY must be 32 bytes');
    this.encKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'member-center/field-encryption', 32));
    this.hashKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'member-center/lookup-hash', 32));
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
  }

  decrypt(sealed: string): string {
    const parts: (string | undefined)[] = sealed.split('.');
    const [version, iv, tag, body] = parts;
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('unknown sealed format');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Deterministic keyed hash for equality lookups (phone, openid) without storing the value. */
  lookupHash(kind: string, value: string): string {
    return createHmac('sha256', this.hashKey).update(`${kind}:${value}`).digest('hex');
  }
}

/** 138****5678: what a member sees of their own number. */
export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '****';
}
