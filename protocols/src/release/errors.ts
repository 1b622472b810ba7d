/**
 * Typed errors of release manifests, signatures and key announcements. Agents report the
 * code in their `cmd-result` (`error.code`), so the codes are part of the contract.
 */
import { ProtocolError } from '../errors.js';

export type ReleaseErrorCode =
  | 'manifest-invalid'
  | 'signature-missing'
  | 'signature-invalid'
  | 'unknown-key'
  | 'key-invalid'
  | 'key-announcement-invalid'
  | 'checksum-mismatch'
  | 'size-mismatch'
  | 'downgrade-refused'
  | 'already-installed'
  | 'incompatible';

export class ReleaseError extends ProtocolError {
  override readonly name = 'ReleaseError';
  declare readonly code: ReleaseErrorCode;

  constructor(code: ReleaseErrorCode, message: string, hint = '') {
    super(code, message, hint);
  }
}
