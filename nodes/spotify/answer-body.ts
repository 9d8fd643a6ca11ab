// Bounds on what one Web API answer can make the pack hold, checked before anything is parsed: its size on the
// wire and once decompressed, and how deeply its JSON nests. Spotify's largest answers (a page of 100 playlist
// items with their tracks) are well under a megabyte and nest about ten deep; an answer far beyond either (a
// broken proxy, a hostile upstream, a gzip bomb) would otherwise fill the heap or, parsed, overflow the stack of
// whatever walks it next (Node-RED's message cloning).
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { say } from './words';

/** The largest answer read, on the wire and decompressed. */
export const MAX_ANSWER_BYTES = 10 * 1024 * 1024;
/** The deepest JSON nesting parsed. */
export const MAX_ANSWER_DEPTH = 64;
/** Asked for, and decompressed here, under the size bound (got's own decompression has none). */
export const ACCEPTED_ENCODINGS = 'gzip, deflate, br';

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

/** An answer refused by one of the bounds; the message says which. */
export class AnswerRefused extends Error {}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MiB`;
}

/** The refusal for an answer announced or found to be larger than the bound. */
export function tooLarge(): AnswerRefused {
  return new AnswerRefused(say('http.refused.tooLarge', { size: megabytes(MAX_ANSWER_BYTES) }));
}

/** The body as text, decompressed as `encoding` says, never past MAX_ANSWER_BYTES. */
export async function answerText(raw: Buffer, encoding: string | string[] | undefined): Promise<string> {
  const coding = (Array.isArray(encoding) ? encoding[0] : encoding)?.trim().toLowerCase() ?? '';
  const bound = { maxOutputLength: MAX_ANSWER_BYTES };
  let body: Buffer;
  try {
    if (coding === '' || coding === 'identity') body = raw;
    else if (coding === 'gzip' || coding === 'x-gzip') body = await gunzip(raw, bound);
    // "deflate" is zlib-wrapped by the standard, raw in some servers: the header's first byte tells.
    else if (coding === 'deflate') body = await (raw.length > 0 && (raw[0] & 0x0f) === 8 ? inflate(raw, bound) : inflateRaw(raw, bound));
    else if (coding === 'br') body = await brotli(raw, bound);
    else throw new AnswerRefused(`an answer in the unknown encoding "${coding.slice(0, 40)}" was refused`);
  } catch (err) {
    if (err instanceof AnswerRefused) throw err;
    if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
    throw new AnswerRefused(say('http.refused.undecompressable', { coding }));
  }
  return body.toString('utf8');
}

/** True when `text`, read as JSON, nests deeper than MAX_ANSWER_DEPTH (strings are skipped, not parsed). */
export function nestsTooDeep(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_ANSWER_DEPTH) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** The refusal for an answer nested too deep. */
export function tooDeep(): AnswerRefused {
  return new AnswerRefused(say('http.refused.tooDeep', { depth: MAX_ANSWER_DEPTH }));
}
