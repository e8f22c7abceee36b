import type { Member, MemberCard, PointsLedgerEntry, PublicRules, RegisterBody } from '@member/shared/api';
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
};
