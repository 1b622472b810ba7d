/**
 * The persisted telemetry sequence. `seq` must keep rising across restarts, even after a
 * SIGKILL or a power cut, without an fsync per message. So seqs are reserved in blocks:
 * before handing out seq N the store makes sure a high-water mark above N is on disk
 * (`dataDir/state.json`, written to a temp file, fsynced, renamed, directory fsynced);
 * seqs below the mark come from memory. A restart continues at the persisted mark, so the
 * unused rest of a block shows up at the hub as a gap — visible, never a repeat.
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentError, errorMessage } from './errors.js';
import { silentLogger, type Logger } from './log.js';

export const STATE_FILE = 'state.json';
const STATE_VERSION = 1;

interface StateFile {
  version: number;
  seqHighWater: number;
}

export interface SeqStateOptions {
  dataDir: string;
  /** Seqs reserved per disk write. */
  blockSize?: number;
  log?: Logger;
  now?: () => number;
}

export class SeqState {
  readonly #dir: string;
  readonly #blockSize: number;
  #next: number;
  #highWater: number;
  #chain: Promise<unknown> = Promise.resolve();

  private constructor(dir: string, start: number, blockSize: number) {
    this.#dir = dir;
    this.#next = start;
    this.#highWater = start;
    this.#blockSize = blockSize;
  }

  /** Opens (creating the folder if needed) the state in `dataDir`. */
  static async open(opts: SeqStateOptions): Promise<SeqState> {
    const log = opts.log ?? silentLogger();
    const blockSize = opts.blockSize ?? 1000;
    try {
      await mkdir(opts.dataDir, { recursive: true });
    } catch (err) {
      throw new AgentError('state-write-failed', `cannot create the data folder ${opts.dataDir}: ${errorMessage(err)}`, 'point dataDir at a writable folder', {
        cause: err,
      });
    }
    const file = join(opts.dataDir, STATE_FILE);
    let start = 0;
    let text: string | undefined;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new AgentError('state-corrupt', `cannot read ${file}: ${errorMessage(err)}`, 'make the agent data folder readable', { cause: err });
      }
    }
    if (text !== undefined) {
      const parsed = parseState(text);
      if (parsed !== undefined) start = parsed.seqHighWater;
      else {
        // Only outside damage gets here (writes are atomic). Keep the file for a post-mortem
        // and restart the sequence from the clock, which is above any seq used so far.
        const aside = `${file}.corrupt-${Date.now()}`;
        await rename(file, aside);
        start = (opts.now ?? Date.now)();
        log.error({ code: 'state-corrupt', file, movedTo: aside, restartAt: start }, 'agent state file is damaged; sequence restarts from the clock');
      }
    }
    return new SeqState(opts.dataDir, start, blockSize);
  }

  /** The next telemetry seq; never handed out twice, even across restarts. */
  next(): Promise<number> {
    const result = this.#chain.then(() => this.#take());
    this.#chain = result.catch(() => undefined);
    return result;
  }

  /** The mark on disk: where the next process will start. */
  get highWater(): number {
    return this.#highWater;
  }

  async #take(): Promise<number> {
    if (this.#next >= this.#highWater) {
      const mark = this.#next + this.#blockSize;
      await this.#persist(mark);
      this.#highWater = mark;
    }
    return this.#next++;
  }

  async #persist(seqHighWater: number): Promise<void> {
    const file = join(this.#dir, STATE_FILE);
    const tmp = `${file}.${process.pid}.tmp`;
    const body: StateFile = { version: STATE_VERSION, seqHighWater };
    try {
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(`${JSON.stringify(body)}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, file);
      await syncDir(this.#dir);
    } catch (err) {
      throw new AgentError('state-write-failed', `cannot write ${file}: ${errorMessage(err)}`, 'make the agent data folder writable and free some disk space', {
        cause: err,
      });
    }
  }
}

function parseState(text: string): StateFile | undefined {
  try {
    const v = JSON.parse(text) as Partial<StateFile>;
    if (typeof v.seqHighWater === 'number' && Number.isSafeInteger(v.seqHighWater) && v.seqHighWater >= 0) {
      return { version: v.version ?? STATE_VERSION, seqHighWater: v.seqHighWater };
    }
  } catch {
    /* damaged */
  }
  return undefined;
}

/** Makes a rename durable; some filesystems refuse to fsync a directory, which is fine. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch {
    /* not supported here */
  } finally {
    await fh.close();
  }
}
