// Splits text for `send-keys -l` so that no chunk is over a byte budget and no UTF-8 character
// is cut in half (tmux would type the halves as two invalid keys).

/** Default chunk size for literal typing: 1 KiB of UTF-8. */
export const LITERAL_CHUNK_BYTES = 1024;

/** Chunks of `text`, each at most `maxBytes` UTF-8 bytes, split only between code points. */
export function splitUtf8(text: string, maxBytes: number = LITERAL_CHUNK_BYTES): string[] {
  if (!Number.isInteger(maxBytes) || maxBytes < 4)
    throw new RangeError(`maxBytes must be an integer of at least 4, got ${maxBytes}`);
  const chunks: string[] = [];
  let current = '';
  let bytes = 0;
  for (const char of text) {
    const size = utf8Length(char.codePointAt(0) ?? 0);
    if (bytes + size > maxBytes) {
      chunks.push(current);
      current = '';
      bytes = 0;
    }
    current += char;
    bytes += size;
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  return codePoint < 0x10000 ? 3 : 4;
}
