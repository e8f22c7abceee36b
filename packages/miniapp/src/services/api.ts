import type { Coupon, MallItem, Member, MemberCard, PointsLedgerEntry, PublicRules, Redemption, RedemptionResult, RegisterBody } from '@member/shared/api';
import { request } from './request';
import { markRegistered } from './session';

export const api = {
  rules: () => request<{ data: PublicRules }>('GET', '/api/v1/rules', { auth: false }).then((r) => r.data),
  me: () => request<{ data: MemberCard }>('GET', '/api/v1/me').then((r) => r.data),
  register: async (body: RegisterBody) => {
    const r = await request<{ data: Member }>('POST', '/api/v1/members', { body });
    markRegistered();
    return r.data;
  },
  pointsLedger: (cursor?: string) =>
    request<{ data: PointsLedgerEntry[]; nextCursor: string | null }>('GET', `/api/v1/me/points/ledger?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
  coupons: (status: 'available' | 'used' | 'expired') => request<{ data: Coupon[] }>('GET', `/api/v1/me/coupons?status=${status}`).then((r) => r.data),
  mallItems: () => request<{ data: MallItem[] }>('GET', '/api/v1/mall/items', { auth: false }).then((r) => r.data),
  mallItem: (id: string) => request<{ data: MallItem }>('GET', `/api/v1/mall/items/${id}`, { auth: false }).then((r) => r.data),
  /** The key is made once per confirmation, so a retried tap never redeems twice. */
  redeem: (itemId: string, quantity: number, idempotencyKey: string) =>
    request<{ data: RedemptionResult }>('POST', '/api/v1/mall/redemptions', { body: { itemId, quantity }, idempotencyKey }).then((r) => r.data),
  redemptions: () => request<{ data: Redemption[] }>('GET', '/api/v1/me/redemptions').then((r) => r.data),
  cancelRedemption: (id: string) => request<{ data: Redemption }>('POST', `/api/v1/me/redemptions/${id}/cancel`).then((r) => r.data),
};

/** A fresh Idempotency-Key. */
export function newKey(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/** Catalogue pictures are paths on the BFF (or https URLs). */
export function assetUrl(path: string | null): string {
  if (!path) return '';
  return path.startsWith('/') ? `${process.env.TARO_APP_API_BASE ?? ''}${path}` : path;
}
