import type { Db } from '../db';
import { StaffEntity, StoreEntity, type StaffRow, type StoreRow } from '../entities';
import { tableOf } from '../table';

const staff = tableOf(StaffEntity);
const stores = tableOf(StoreEntity);

/** Stores and staff accounts. */
export class StaffRepository {
  constructor(private readonly db: Db) {}

  async insertStore(row: StoreRow): Promise<void> {
    const [sql, params] = stores.insert([row]);
    await this.db.execute(sql, params);
  }

  async storeById(id: string): Promise<StoreRow | null> {
    const raw = await this.db.row(`SELECT ${stores.select()} FROM stores WHERE id = ?`, [id]);
    return raw ? stores.map(raw) : null;
  }

  async storeByName(name: string): Promise<StoreRow | null> {
    const raw = await this.db.row(`SELECT ${stores.select()} FROM stores WHERE name = ?`, [name]);
    return raw ? stores.map(raw) : null;
  }

  /** Inserts an account; a taken username fails with a duplicate key. */
  async insert(row: StaffRow): Promise<void> {
    const [sql, params] = staff.insert([row]);
    await this.db.execute(sql, params);
  }

  async byUsername(username: string): Promise<StaffRow | null> {
    const raw = await this.db.row(`SELECT ${staff.select()} FROM staff WHERE username = ?`, [username]);
    return raw ? staff.map(raw) : null;
  }

  async byId(id: string): Promise<StaffRow | null> {
    const raw = await this.db.row(`SELECT ${staff.select()} FROM staff WHERE id = ?`, [id]);
    return raw ? staff.map(raw) : null;
  }
}
