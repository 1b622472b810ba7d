/**
 * `ledwatch-agent decode novastar <hex>`: a field tool that prints one NovaStar frame as
 * JSON on stdout (logs, if any, go to stderr). A response with a non-zero ack still
 * decodes (the ack says what went wrong); a bad checksum exits non-zero with an error
 * naming the expected and the actual checksum.
 */
import { ProtocolError, novastar } from '@ledwatch/protocols';

export const DECODE_USAGE = `Usage: ledwatch-agent decode novastar <hex>
  Decodes one NovaStar frame (request 55 AA … or response AA 55 …). Spaces, colons and a
  0x prefix in the hex are ignored, so a capture can be pasted as it is.`;

export interface DecodeOutcome {
  code: number;
  stdout?: string;
  stderr?: string;
}

export function decodeCommand(args: readonly string[]): DecodeOutcome {
  const [protocol, ...hexParts] = args;
  if (protocol !== 'novastar' || hexParts.length === 0) {
    return { code: 2, stderr: `ledwatch-agent: decode needs a protocol and the frame's hex\n\n${DECODE_USAGE}\n` };
  }
  try {
    const description = novastar.describeFrame(hexParts.join(''));
    return { code: 0, stdout: `${JSON.stringify(description, null, 2)}\n` };
  } catch (err) {
    if (err instanceof ProtocolError) {
      const hint = err.hint ? `\n  ${err.hint}` : '';
      return { code: 1, stderr: `ledwatch-agent: cannot decode the frame (${err.code}): ${err.message}${hint}\n` };
    }
    throw err;
  }
}
