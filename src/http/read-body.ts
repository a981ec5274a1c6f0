import type { IncomingMessage } from 'node:http';
import type { BodyBudget } from './body-budget.js';
import { HttpError } from './http-error.js';

const tooLarge = (limit: number): HttpError =>
  new HttpError(413, 'payload_too_large', `body exceeds ${limit} bytes`);
const busy = (): HttpError =>
  new HttpError(503, 'busy', 'too many request bodies are being received at once; retry');

/**
 * Reads the whole body, refusing more than `limit` bytes (413) without buffering the excess. With a
 * budget, the bytes are held against it while the body is read (its declared length up front), and
 * a body that does not fit is refused with 503; the rest of a refused body is drained, not kept.
 * @example const body = await readBody(req, 10 * 1024 * 1024, budget)
 */
export function readBody(req: IncomingMessage, limit: number, budget?: BodyBudget): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    let held = 0;
    let done = false;
    const finish = (err: HttpError | undefined, body?: Buffer): void => {
      if (done) return;
      done = true;
      budget?.give(held);
      held = 0;
      if (err) {
        req.removeAllListeners('data');
        req.resume();
        reject(err);
      } else resolve(body!);
    };
    const hold = (bytes: number): boolean => {
      if (!budget || bytes <= held) return true;
      if (!budget.take(bytes - held)) return false;
      held = bytes;
      return true;
    };
    if (declared > limit) return finish(tooLarge(limit));
    if (declared > 0 && !hold(declared)) return finish(busy());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return finish(tooLarge(limit));
      if (!hold(size)) return finish(busy());
      chunks.push(chunk);
    });
    req.on('end', () => finish(undefined, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.on('error', (err) =>
      finish(new HttpError(400, 'bad_request', 'request body could not be read', { cause: err })),
    );
    // A client that goes away mid-body (or is cut off by the request timeout) frees its share.
    req.on('close', () => finish(new HttpError(400, 'bad_request', 'the client closed the connection')));
  });
}
