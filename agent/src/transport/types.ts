/**
 * The seam between a driver and its link to the device (STYLE rule 7): a byte pipe that
 * opens, writes, delivers chunks and reports when it closes. Serial ports and TCP sockets
 * implement it; tests use a fake. A transport is single-use: once closed, make a new one.
 */

/** Why a transport closed. */
export interface CloseInfo {
  /**
   * The other end went away (TCP reset or FIN, serial port unplugged), as opposed to our
   * own close(). Repeated peer closes of a NovaStar controller mean another client holds it.
   */
  readonly byPeer: boolean;
  /** The error that closed it, e.g. ECONNRESET. */
  readonly error?: Error;
}

export interface Transport {
  /** For logs and errors, e.g. `tcp 192.168.0.10:5200`, `serial /dev/ttyUSB0 @ 115200`. */
  readonly description: string;
  /** True between a successful open() and the close. */
  readonly isOpen: boolean;
  /** Opens the link; rejects with an `transport-open` AgentError, or the signal's reason. */
  open(signal?: AbortSignal): Promise<void>;
  /** Rejects with `transport-closed` when the transport is not open. */
  write(bytes: Uint8Array): Promise<void>;
  /** Each chunk as it arrives; returns a function that removes the listener. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** Called once when an open transport closes, whoever closed it. */
  onClose(listener: (info: CloseInfo) => void): () => void;
  /** Closes the link; idempotent, never rejects. */
  close(): Promise<void>;
}

/** Makes a fresh transport for each (re)connect. */
export type TransportFactory = () => Transport;
