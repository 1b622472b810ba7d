/**
 * Handles `upgrade` commands: checks the signed manifest (trusted key, no replayed older
 * version, compatible), answers `accepted`, then downloads (resuming), verifies size and
 * SHA-256, installs side by side and — for the agent itself — records the trial in
 * `pending.json`, switches `current` and hands over to the supervisor, which watches the
 * health window and rolls back. Every stage is reported as a `cmd-result` over HTTP.
 */
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  checkVersionStep,
  incompatibilities,
  ReleaseError,
  UpgradeCommandParams,
  verifySignedManifest,
  type CmdPayload,
  type CmdResultPayload,
  type ReleaseManifest,
  type UpgradeStage,
} from '@ledwatch/protocols';
import { Compile } from 'typebox/compile';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { download, verifyFile } from './download.js';
import { extract, InstallError, packageVersion, restartService } from './install.js';
import { pointer, setPointer, versionDir, writePending } from './layout.js';
import { postResult, type Credentials } from './report.js';
import type { TrustStore } from './trust.js';

export interface UpdaterOptions {
  creds: Credentials;
  dataDir: string;
  /** Install root when run by `ledwatch-agent supervise`; agent upgrades need it. */
  root: string | undefined;
  /** Version of the running agent. */
  version: string;
  trust: TrustStore;
  log: Logger;
  now?: () => number;
  /** Stops the agent so the supervisor starts `current` (exit code 75). */
  requestRestart: () => void;
  /** Download attempts (each resumes the last) before the upgrade fails. */
  attempts?: number;
}

const checkParams = Compile(UpgradeCommandParams);
type Params = UpgradeCommandParams;

export class Updater {
  readonly #o: UpdaterOptions;
  readonly #now: () => number;
  #busy: string | undefined;

  constructor(o: UpdaterOptions) {
    this.#o = o;
    this.#now = o.now ?? Date.now;
  }

  async handle(cmd: CmdPayload): Promise<CmdResultPayload> {
    const refuse = (code: string, message: string): CmdResultPayload => {
      this.#o.log.warn({ cmdId: cmd.id, code, message }, 'upgrade refused');
      return { id: cmd.id, type: 'upgrade', state: 'rejected', at: this.#now(), stage: 'failed', error: { code, message: message.slice(0, 2000) } };
    };
    if (!checkParams.Check(cmd.params)) return refuse('params-invalid', 'the upgrade command does not carry releaseId, signed, artifactUrl and reportUrl');
    const params = cmd.params;
    await this.#o.trust.learn(params.keys, params.announcements, this.#now());
    let manifest: ReleaseManifest;
    try {
      manifest = verifySignedManifest(params.signed, this.#o.trust.keys(), this.#now());
      const reasons = incompatibilities(manifest, { os: process.platform, arch: process.arch, agentVersion: this.#o.version });
      if (reasons.length > 0) throw new ReleaseError('incompatible', reasons.join('; '));
      if (manifest.kind === 'agent') {
        if (this.#o.root === undefined) return refuse('not-supervised', 'this agent runs without `ledwatch-agent supervise`, so it cannot update itself');
        checkVersionStep(manifest, this.#o.version);
      } else checkVersionStep(manifest, await this.#installedPackage(manifest.name));
    } catch (err) {
      if (err instanceof ReleaseError) return refuse(err.code, err.message);
      throw err;
    }
    if (this.#busy !== undefined) return refuse('upgrade-in-progress', `upgrade ${this.#busy} is still running`);
    this.#busy = cmd.id;
    void this.#run(cmd.id, params, manifest).finally(() => (this.#busy = undefined));
    this.#o.log.info({ cmdId: cmd.id, name: manifest.name, version: manifest.version }, 'upgrade accepted');
    return { id: cmd.id, type: 'upgrade', state: 'accepted', at: this.#now(), stage: 'queued', result: { version: manifest.version, from: this.#o.version } };
  }

  async #report(cmdId: string, url: string, state: CmdResultPayload['state'], stage: UpgradeStage, extra: Partial<CmdResultPayload> = {}): Promise<void> {
    try {
      await postResult(url, this.#o.creds, { id: cmdId, type: 'upgrade', state, stage, at: this.#now(), ...extra });
    } catch (err) {
      this.#o.log.warn({ cmdId, stage, err: errorMessage(err) }, 'could not report upgrade progress');
    }
  }

  async #run(cmdId: string, p: Params, m: ReleaseManifest): Promise<void> {
    const dir = join(this.#o.dataDir, 'updates');
    const file = join(dir, `${m.artifact.sha256}.tgz`);
    try {
      await mkdir(dir, { recursive: true });
      await this.#report(cmdId, p.reportUrl, 'running', 'downloading');
      let lastPct = 0;
      for (let attempt = 1; ; attempt++) {
        try {
          const { resumedFrom } = await download({
            url: p.artifactUrl,
            file,
            sha256: m.artifact.sha256,
            size: m.artifact.size,
            creds: this.#o.creds,
            onProgress: (have) => {
              const pct = Math.floor((have / m.artifact.size) * 100);
              if (pct >= lastPct + 25) {
                lastPct = pct;
                void this.#report(cmdId, p.reportUrl, 'running', 'downloading', { progress: pct });
              }
            },
          });
          if (resumedFrom > 0) this.#o.log.info({ cmdId, resumedFrom }, 'download resumed');
          break;
        } catch (err) {
          if (attempt >= (this.#o.attempts ?? 5)) throw err;
          this.#o.log.warn({ cmdId, attempt, err: errorMessage(err) }, 'download interrupted; resuming');
          await new Promise((r) => setTimeout(r, 500 * attempt));
        }
      }
      await this.#report(cmdId, p.reportUrl, 'running', 'verifying');
      try {
        await verifyFile(file, m.artifact.size, m.artifact.sha256);
      } catch (err) {
        await rm(file, { force: true });
        throw err;
      }
      await this.#report(cmdId, p.reportUrl, 'running', 'installing');
      if (m.kind === 'agent') await this.#installAgent(cmdId, p, m, file);
      else await this.#installPackage(cmdId, p, m, file);
      await rm(file, { force: true });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const message = errorMessage(err);
      this.#o.log.error({ cmdId, code, err: message }, 'upgrade failed');
      await this.#report(cmdId, p.reportUrl, 'failed', 'failed', { error: { code: typeof code === 'string' ? code : 'upgrade-failed', message: message.slice(0, 2000) } });
    }
  }

  async #installAgent(cmdId: string, p: Params, m: ReleaseManifest, file: string): Promise<void> {
    const root = this.#o.root as string;
    const target = versionDir(root, m.version);
    const step = m.install.find((s) => s.type === 'extract');
    await extract(file, target, step?.type === 'extract' ? step.strip ?? 0 : 0);
    const unpacked = await packageVersion(target);
    if (unpacked !== m.version) throw new InstallError('install-failed', `the artifact holds agent ${unpacked ?? '(no package.json)'}, not ${m.version}`);
    const from = (await pointer(root, 'current')) ?? this.#o.version;
    await writePending(root, { cmdId, reportUrl: p.reportUrl, from, to: m.version, deadline: this.#now() + m.healthCheck.windowS * 1000, windowS: m.healthCheck.windowS });
    await setPointer(root, 'previous', from);
    await setPointer(root, 'current', m.version);
    // The artifact goes before the restart is asked for: the process may exit as soon as it is.
    await rm(file, { force: true });
    await this.#report(cmdId, p.reportUrl, 'running', 'restarting', { message: `switching from ${from} to ${m.version}` });
    this.#o.log.info({ cmdId, from, to: m.version }, 'new agent version installed; restarting into it');
    this.#o.requestRestart();
  }

  async #installPackage(cmdId: string, p: Params, m: ReleaseManifest, file: string): Promise<void> {
    const base = join(this.#o.dataDir, 'packages', m.name);
    const target = versionDir(base, m.version);
    const before = await pointer(base, 'current');
    const services: string[] = [];
    let failure: { code: string; message: string } | undefined;
    try {
      for (const step of m.install) {
        if (step.type === 'extract') await extract(file, target, step.strip ?? 0);
        else if (step.type === 'link-current') await setPointer(base, 'current', m.version);
        else if (step.type === 'restart-service') {
          services.push(step.unit);
          await restartService(step.unit);
        }
      }
      const check = m.healthCheck.file;
      if (check !== undefined && !(await access(join(target, check)).then(() => true, () => false))) {
        failure = { code: 'health-check-failed', message: `${check} is missing in ${m.name} ${m.version}` };
      }
    } catch (err) {
      failure = { code: err instanceof InstallError ? err.code : 'install-failed', message: errorMessage(err).slice(0, 2000) };
    }
    if (failure !== undefined) {
      // Back to the version that ran before, and its services restarted on it.
      if (before !== undefined) await setPointer(base, 'current', before);
      for (const unit of services) await restartService(unit).catch(() => undefined);
      await this.#report(cmdId, p.reportUrl, 'failed', before !== undefined ? 'rolled-back' : 'failed', { error: failure });
      return;
    }
    await writeFile(join(base, 'installed.json'), JSON.stringify({ version: m.version, at: this.#now() }));
    await this.#report(cmdId, p.reportUrl, 'succeeded', 'healthy', { result: { version: m.version, ...(before ? { from: before } : {}) } });
  }

  async #installedPackage(name: string): Promise<string | undefined> {
    try {
      return (JSON.parse(await readFile(join(this.#o.dataDir, 'packages', name, 'installed.json'), 'utf8')) as { version?: string }).version;
    } catch {
      return undefined;
    }
  }
}
