import { businessDate, DomainError, type CampaignBody, type CampaignPatch, type CampaignRule, type LoyaltyConfig } from '@member/shared';
import { isDuplicateKey, type Db } from '../db/db';
import type { CampaignRow } from '../db/entities';
import type { AuditRepository, CampaignRepository } from '../db/repositories';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';

/** A stored campaign as the earning rule reads it. */
export function campaignRuleOf(c: CampaignRow): CampaignRule {
  return {
    code: c.code,
    name: c.name,
    multiplier: c.multiplierPct / 100,
    ...(c.dayOfMonth !== null ? { dayOfMonth: c.dayOfMonth } : {}),
    ...(c.tiers !== null ? { tiers: JSON.parse(c.tiers) as string[] } : {}),
    ...(c.startsOn !== null ? { from: c.startsOn } : {}),
    ...(c.endsOn !== null ? { to: c.endsOn } : {}),
  };
}

/**
 * Points campaigns: the configured ones (config/loyalty.json, the defaults) and those operators
 * create in the database, applied to earning alike (the highest multiplier wins).
 *
 * Earning reads them on every counter order, so the stored ones are kept in an in-process cache
 * for `campaigns.cacheSeconds`: a change takes effect at once on the instance that made it (its
 * writes drop the cache) and within that many seconds on every other instance, at one read per
 * period instead of one per order.
 */
export class CampaignService {
  private cached: { at: number; rules: CampaignRule[] } | null = null;
  private loading: Promise<CampaignRule[]> | null = null;

  constructor(
    private readonly db: Db,
    private readonly repos: { campaigns: CampaignRepository; audit: AuditRepository },
    private readonly loyalty: LoyaltyConfig,
    private readonly clock: Clock,
    private readonly cacheSeconds: number,
  ) {}

  /** Every campaign earning applies (configured and active stored ones), whether or not it runs today. */
  async rules(): Promise<CampaignRule[]> {
    if (this.cached && Date.now() - this.cached.at < this.cacheSeconds * 1000) return this.cached.rules;
    // Concurrent misses share one read.
    this.loading ??= this.repos.campaigns
      .active()
      .then((rows) => {
        const rules = [...this.loyalty.campaigns, ...rows.map(campaignRuleOf)];
        this.cached = { at: Date.now(), rules };
        return rules;
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  /** The campaigns running today or still to come (what `/rules` shows the mini-program). */
  async current(): Promise<CampaignRule[]> {
    const today = businessDate(this.clock.now(), this.loyalty.businessTimeZone);
    return (await this.rules()).filter((c) => c.to === undefined || c.to >= today);
  }

  private forget(): void {
    this.cached = null;
  }

  list(): Promise<CampaignRow[]> {
    return this.repos.campaigns.all();
  }

  async byId(id: string): Promise<CampaignRow> {
    const row = await this.repos.campaigns.byId(id);
    if (!row) throw new DomainError('NOT_FOUND', 'no such campaign');
    return row;
  }

  private checkTiers(tiers: readonly string[] | null | undefined): void {
    const unknown = (tiers ?? []).find((t) => !this.loyalty.tiers.some((x) => x.code === t));
    if (unknown) throw new DomainError('VALIDATION_FAILED', `unknown tier ${unknown}`, { issues: [{ in: 'body', path: ['tiers'], message: 'unknown tier' }] });
  }

  private audit(actorId: string, action: string, targetId: string, details: unknown): Promise<void> {
    return this.repos.audit.insert({
      id: newId(),
      actorId,
      action,
      targetType: 'campaign',
      targetId,
      details: JSON.stringify(details),
      createdAt: this.clock.now(),
    });
  }

  async create(actorId: string, b: CampaignBody): Promise<CampaignRow> {
    this.checkTiers(b.tiers);
    if (this.loyalty.campaigns.some((c) => c.code === b.code)) throw new DomainError('CAMPAIGN_CODE_TAKEN', `campaign code ${b.code} is configured`);
    const now = this.clock.now();
    const row: CampaignRow = {
      id: newId(),
      code: b.code,
      name: b.name,
      dayOfMonth: b.dayOfMonth ?? null,
      multiplierPct: Math.round(b.multiplier * 100),
      tiers: b.tiers ? JSON.stringify(b.tiers) : null,
      startsOn: b.from ?? null,
      endsOn: b.to ?? null,
      active: b.active === false ? 0 : 1,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.db.transaction(async () => {
        await this.repos.campaigns.insert(row);
        await this.audit(actorId, 'campaign.create', row.id, b);
      });
    } catch (e) {
      if (isDuplicateKey(e)) throw new DomainError('CAMPAIGN_CODE_TAKEN', `campaign code ${b.code} exists`);
      throw e;
    }
    this.forget();
    return row;
  }

  async update(actorId: string, id: string, p: CampaignPatch): Promise<CampaignRow> {
    this.checkTiers(p.tiers);
    const updated = await this.db.transaction(async () => {
      const current = await this.byId(id);
      const changes: Partial<CampaignRow> = { updatedAt: this.clock.now() };
      if (p.name !== undefined) changes.name = p.name;
      if (p.dayOfMonth !== undefined) changes.dayOfMonth = p.dayOfMonth;
      if (p.multiplier !== undefined) changes.multiplierPct = Math.round(p.multiplier * 100);
      if (p.tiers !== undefined) changes.tiers = p.tiers ? JSON.stringify(p.tiers) : null;
      if (p.from !== undefined) changes.startsOn = p.from;
      if (p.to !== undefined) changes.endsOn = p.to;
      if (p.active !== undefined) changes.active = p.active ? 1 : 0;
      const next = { ...current, ...changes };
      // After the edit, one bound changed alone included, the campaign must still say when it runs.
      const issue = (path: string, message: string) => new DomainError('VALIDATION_FAILED', message, { issues: [{ in: 'body', path: [path], message }] });
      if (next.startsOn && next.endsOn && next.startsOn > next.endsOn)
        throw issue(p.to === undefined ? 'from' : 'to', 'the window must end on or after its first day');
      if (next.dayOfMonth === null && !(next.startsOn && next.endsOn))
        throw issue('dayOfMonth', 'a campaign needs a day of the month or a window with both ends');
      await this.repos.campaigns.update(id, changes);
      await this.audit(actorId, 'campaign.update', id, p);
      return next;
    });
    this.forget();
    return updated;
  }

  /** Campaigns are ended, not deleted: orders keep the multiplier they earned with. */
  deactivate(actorId: string, id: string): Promise<CampaignRow> {
    return this.update(actorId, id, { active: false });
  }
}
