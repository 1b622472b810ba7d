/**
 * The release keys this agent trusts: those in its config file (from provisioning) plus
 * those it learned and saved in `<dataDir>/release-keys.json` — the first key over the
 * authenticated hub channel when it had none, and rotated keys announced (signed) by a
 * key it already trusts.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyKeyAnnouncement, keyIdOf, type TrustedKey } from '@ledwatch/protocols';
import type { Logger } from '../log.js';

export const KEYS_FILE = 'release-keys.json';

export class TrustStore {
  #learned: TrustedKey[] = [];

  private constructor(
    private readonly dataDir: string,
    private readonly configured: readonly string[],
    private readonly log: Logger,
  ) {}

  static async open(dataDir: string, configured: readonly string[], log: Logger): Promise<TrustStore> {
    const store = new TrustStore(dataDir, configured, log);
    try {
      store.#learned = JSON.parse(await readFile(join(dataDir, KEYS_FILE), 'utf8')) as TrustedKey[];
    } catch {
      store.#learned = [];
    }
    return store;
  }

  keys(): TrustedKey[] {
    const byId = new Map<string, TrustedKey>();
    for (const k of this.configured) byId.set(keyIdOf(k), { publicKey: k, keyId: keyIdOf(k) });
    for (const k of this.#learned) byId.set(k.keyId, k);
    return [...byId.values()];
  }

  /** First keys from the authenticated channel (only when none is trusted yet), then announcements. */
  async learn(keys: readonly string[] | undefined, announcements: readonly unknown[] | undefined, now: number): Promise<void> {
    let list = this.keys();
    let changed = false;
    if (list.length === 0 && keys !== undefined && keys.length > 0) {
      list = keys.map((k) => ({ publicKey: k, keyId: keyIdOf(k) }));
      changed = true;
      this.log.info({ keyIds: list.map((k) => k.keyId) }, 'trusting the release keys the hub sent (this agent had none)');
    }
    for (const a of announcements ?? []) {
      try {
        const next = applyKeyAnnouncement(list, a, now);
        if (JSON.stringify(next) !== JSON.stringify(list)) {
          list = next;
          changed = true;
        }
      } catch (err) {
        this.log.warn({ err: (err as Error).message, code: (err as { code?: string }).code }, 'ignored a key announcement');
      }
    }
    if (!changed) return;
    this.#learned = list;
    const file = join(this.dataDir, KEYS_FILE);
    await writeFile(`${file}.tmp`, `${JSON.stringify(list, null, 2)}\n`, { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }
}
