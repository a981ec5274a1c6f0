import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/**
 * Reads the whole body, refusing more than `limit` bytes (413) without buffering the excess.
 * @example const body = await readBody(req, 10 * 1024 * 1024)
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit) {
      reject(new HttpError(413, 'payload_too_large', `body exceeds ${limit} bytes`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, 'payload_too_large', `body exceeds ${limit} bytes`));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.on('error', (err) =>
      reject(new HttpError(400, 'bad_request', 'request body could not be read', undefined, { cause: err })),
    );
  });
}
