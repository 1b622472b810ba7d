/** Byte links to devices: the Transport seam and its TCP and serial implementations. */
export type { CloseInfo, Transport, TransportFactory } from './types.js';
export { TcpTransport, DEFAULT_CONNECT_TIMEOUT_MS, type TcpTransportOptions } from './tcp.js';
export { SerialTransport, type SerialTransportOptions } from './serial.js';
