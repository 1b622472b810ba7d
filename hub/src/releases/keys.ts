/**
 * The release public keys the hub hands to agents: at provisioning, and inside every
 * upgrade command (first key for agents provisioned before one existed; announcements of
 * rotated keys, signed by the key they replace). The private keys stay offline.
 */
import { applyKeyAnnouncement, KeyAnnouncement, keyIdOf, ReleaseError, type TrustedKey } from '@ledwatch/protocols';
import type { HubContext } from '../context.js';
import { conflict, invalid } from '../errors.js';

export interface ReleaseKeyView {
  keyId: string;
  publicKey: string;
  validUntil: number | null;
  createdAt: number;
  announcement: KeyAnnouncement | null;
}

export class ReleaseKeyService {
  constructor(private readonly ctx: HubContext) {}

  async list(): Promise<ReleaseKeyView[]> {
    const rows = await this.ctx.state.db.selectFrom('release_keys').selectAll().orderBy('created_at').execute();
    return rows.map((r) => ({
      keyId: r.key_id,
      publicKey: r.public_key,
      validUntil: r.valid_until,
      createdAt: r.created_at,
      announcement: r.announcement === null ? null : (JSON.parse(r.announcement) as KeyAnnouncement),
    }));
  }

  /** Keys a manifest may be signed with now. */
  async trusted(): Promise<TrustedKey[]> {
    return (await this.list()).map((k) => ({ publicKey: k.publicKey, keyId: k.keyId, ...(k.validUntil !== null ? { validUntil: k.validUntil } : {}) }));
  }

  /** Public keys and announcements to hand to an agent. */
  async forAgents(): Promise<{ keys: string[]; announcements: KeyAnnouncement[] }> {
    const now = this.ctx.now();
    const list = (await this.list()).filter((k) => k.validUntil === null || k.validUntil >= now);
    return { keys: list.map((k) => k.publicKey), announcements: list.flatMap((k) => (k.announcement === null ? [] : [k.announcement])) };
  }

  /** Registers the first key; once one exists, a new key needs an announcement signed by a trusted key. */
  async add(body: { publicKey?: string; announcement?: unknown }): Promise<ReleaseKeyView> {
    const existing = await this.trusted();
    const now = this.ctx.now();
    if (body.announcement !== undefined) {
      let next: TrustedKey[];
      try {
        next = applyKeyAnnouncement(existing, body.announcement, now);
      } catch (err) {
        if (err instanceof ReleaseError) throw invalid('body.announcement', `${err.code}: ${err.message}`);
        throw err;
      }
      const ann = body.announcement as KeyAnnouncement;
      const keyId = keyIdOf(ann.body.publicKey);
      await this.ctx.state.db.transaction().execute(async (trx) => {
        for (const k of next) if (k.validUntil !== undefined) await trx.updateTable('release_keys').set({ valid_until: k.validUntil }).where('key_id', '=', k.keyId).execute();
        await trx.insertInto('release_keys').values({ key_id: keyId, public_key: ann.body.publicKey, announcement: JSON.stringify(ann), valid_until: null, created_at: now }).execute();
      });
      return (await this.list()).find((k) => k.keyId === keyId) as ReleaseKeyView;
    }
    if (body.publicKey === undefined) throw invalid('body', 'give publicKey (first key) or announcement (rotation)');
    let keyId: string;
    try {
      keyId = keyIdOf(body.publicKey);
    } catch (err) {
      throw invalid('body.publicKey', (err as Error).message);
    }
    if (existing.some((k) => k.keyId === keyId)) throw conflict(`key ${keyId} is already registered`);
    if (existing.length > 0) throw conflict('a release key exists: rotate with an announcement signed by it (`ledwatch-hub keys rotate`)');
    await this.ctx.state.db.insertInto('release_keys').values({ key_id: keyId, public_key: body.publicKey, announcement: null, valid_until: null, created_at: now }).execute();
    return (await this.list()).find((k) => k.keyId === keyId) as ReleaseKeyView;
  }
}
