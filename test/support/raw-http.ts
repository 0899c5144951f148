import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends bytes exactly as given (requests Node's own client would refuse to build: NUL in a header,
 * conflicting framing, oversized headers, pipelining) to 127.0.0.1 and parses every response that
 * comes back before the server closes the connection or `timeoutMs` passes. `between` may write
 * more on the same connection once the first bytes are sent.
 */
export async function rawRequest(
  baseUrl: string,
  bytes: string | Buffer,
  { timeoutMs = 3000, between }: { timeoutMs?: number; between?: (write: (more: string) => void) => Promise<void> } = {},
): Promise<RawResponse[]> {
  const { port } = new URL(baseUrl);
  const socket = connect(Number(port), '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const closed = new Promise<void>((resolve) => {
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
  const timer = setTimeout(() => socket.destroy(), timeoutMs);
  socket.write(bytes);
  if (between) await between((more) => socket.write(more));
  await closed;
  clearTimeout(timer);
  return parseResponses(Buffer.concat(chunks).toString('utf8'));
}

function parseResponses(text: string): RawResponse[] {
  const responses: RawResponse[] = [];
  let rest = text;
  while (rest.startsWith('HTTP/1.1 ')) {
    const headerEnd = rest.indexOf('\r\n\r\n');
    if (headerEnd === -1) break;
    const [statusLine, ...headerLines] = rest.slice(0, headerEnd).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    const bodyStart = headerEnd + 4;
    responses.push({ status: Number(statusLine.split(' ')[1]), headers, body: rest.slice(bodyStart, bodyStart + length) });
    rest = rest.slice(bodyStart + length);
  }
  return responses;
}
