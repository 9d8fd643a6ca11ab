// A playlist cover for upload, checked before anything is sent: Spotify takes a JPEG, base64-encoded, of at
// most 256 KB (the limit is on the base64 text, not the image).
import { InputError } from './errors';
import { expectText } from './words';

export const MAX_COVER_BASE64_BYTES = 256 * 1024;

const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const JPEG_DATA_URL = /^data:image\/(?:jpeg|jpg|pjpeg);base64,/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The image as the base64 text Spotify wants, from a Buffer (the JPEG file) or a base64 string / data URL. */
export function coverBase64(input: unknown, field = 'image'): string {
  if (Buffer.isBuffer(input)) {
    checkJpeg(input.subarray(0, 3), field);
    checkSize(4 * Math.ceil(input.length / 3), field);
    return input.toString('base64');
  }
  if (typeof input !== 'string') {
    throw new InputError(field, expectText('cover.input'), input ?? undefined);
  }
  let text = input.trim();
  if (/^data:/i.test(text)) {
    if (!JPEG_DATA_URL.test(text)) {
      const type = /^data:([^;,]{0,40})/i.exec(text)?.[1];
      throw new InputError(field, type ? expectText('cover.dataUrl', { type }) : expectText('cover.dataUrlOther'));
    }
    text = text.replace(JPEG_DATA_URL, '');
  }
  // Checked before the whitespace is removed too, so a huge string costs no more work than needed.
  if (text.length > 4 * MAX_COVER_BASE64_BYTES) checkSize(text.length, field);
  text = text.replace(/\s+/g, '');
  checkSize(text.length, field);
  if (text === '' || !BASE64.test(text) || text.length % 4 === 1) {
    throw new InputError(field, expectText('cover.base64'), input);
  }
  checkJpeg(Buffer.from(text.slice(0, 4), 'base64'), field);
  return text;
}

function checkJpeg(head: Buffer, field: string): void {
  if (head.length < 3 || JPEG_MAGIC.some((b, i) => head[i] !== b)) {
    const seen = [...head].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
    const kind = sniff(head);
    const expected = !seen
      ? expectText('cover.jpegEmpty')
      : kind
        ? expectText('cover.jpegKind', { seen, kind: expectText(`cover.${kind}`) })
        : expectText('cover.jpeg', { seen });
    throw new InputError(field, expected);
  }
}

function checkSize(base64Bytes: number, field: string): void {
  if (base64Bytes > MAX_COVER_BASE64_BYTES) {
    throw new InputError(field, expectText('cover.size', { max: kb(MAX_COVER_BASE64_BYTES), size: kb(base64Bytes) }));
  }
}

function kb(bytes: number): string {
  return `${Math.round((bytes / 1024) * 10) / 10} KB`;
}

/** What an image that is no JPEG seems to be, when it is a common kind. */
function sniff(head: Buffer): 'png' | 'gif' | undefined {
  if (head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e) return 'png';
  if (head[0] === 0x47 && head[1] === 0x49 && head[2] === 0x46) return 'gif';
  return undefined;
}
