// Evidence files (佐证材料) of an objection: the type is decided by the content, never by the name or
// the client's Content-Type. Accepted: PDF, JPEG, PNG, and the two ZIP containers DOCX (OOXML word
// processing) and OFD (GB/T 33190, China's fixed-layout format), told apart by their ZIP entries.
// The ZIP check reads only the central directory (names), never decompresses anything.

export type EvidenceType = 'pdf' | 'jpeg' | 'png' | 'docx' | 'ofd';

export const EVIDENCE_TYPES: Record<EvidenceType, { mediaType: string; ext: string; label: string }> = {
  pdf: { mediaType: 'application/pdf', ext: 'pdf', label: 'PDF' },
  jpeg: { mediaType: 'image/jpeg', ext: 'jpg', label: 'JPEG' },
  png: { mediaType: 'image/png', ext: 'png', label: 'PNG' },
  docx: { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx', label: 'DOCX' },
  ofd: { mediaType: 'application/ofd', ext: 'ofd', label: 'OFD' },
};

/** At most this many evidence files per objection. */
export const MAX_EVIDENCE_FILES = 10;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (data: Uint8Array, sig: readonly number[]) => data.length >= sig.length && sig.every((b, i) => data[i] === b);

/** The evidence type of a file's content, or null when it is none of the accepted types. */
export function sniffEvidenceType(data: Uint8Array): EvidenceType | null {
  if (startsWith(data, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'; // "%PDF-"
  if (startsWith(data, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(data, PNG_SIGNATURE)) return 'png';
  if (startsWith(data, [0x50, 0x4b, 0x03, 0x04])) {
    const names = zipEntryNames(data);
    if (!names) return null;
    const set = new Set(names);
    if (set.has('word/document.xml') && set.has('[Content_Types].xml')) return 'docx';
    if (set.has('OFD.xml')) return 'ofd';
  }
  return null;
}

const u16 = (d: Uint8Array, o: number) => d[o]! | (d[o + 1]! << 8);
const u32 = (d: Uint8Array, o: number) => (d[o]! | (d[o + 1]! << 8) | (d[o + 2]! << 16) | (d[o + 3]! << 24)) >>> 0;

/**
 * The entry names of a ZIP archive from its central directory, or null when the archive is malformed
 * (no end-of-central-directory record, offsets outside the file, a bad header signature). ZIP64 and
 * multi-disk archives are refused: evidence files are far below 4 GiB.
 */
export function zipEntryNames(data: Uint8Array): string[] | null {
  const EOCD = 0x06054b50;
  const CDH = 0x02014b50;
  const minEocd = 22;
  if (data.length < minEocd) return null;
  let eocd = -1;
  const stop = Math.max(0, data.length - minEocd - 0xffff);
  for (let i = data.length - minEocd; i >= stop; i--) {
    if (u32(data, i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const disk = u16(data, eocd + 4);
  const cdDisk = u16(data, eocd + 6);
  const count = u16(data, eocd + 10);
  const cdSize = u32(data, eocd + 12);
  const cdOffset = u32(data, eocd + 16);
  if (disk !== 0 || cdDisk !== 0 || count === 0xffff || cdOffset === 0xffffffff) return null;
  if (cdOffset + cdSize > eocd) return null;
  const names: string[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || u32(data, p) !== CDH) return null;
    const nameLen = u16(data, p + 28);
    const extraLen = u16(data, p + 30);
    const commentLen = u16(data, p + 32);
    if (p + 46 + nameLen > eocd) return null;
    names.push(decoder.decode(data.subarray(p + 46, p + 46 + nameLen)));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** Longest kept base name, in code points (the extension is added after). */
export const FILE_NAME_MAX = 100;

/**
 * A safe display name for an uploaded file: the last path segment only (either slash), no control,
 * format or bidi characters, no characters that are special in file systems or headers, at most
 * FILE_NAME_MAX code points, and the extension of the *detected* type (whatever the client claimed).
 */
export function sanitizeFileName(original: string, type: EvidenceType, fallback: string): string {
  const last = original.split(/[/\\]/).pop() ?? '';
  let base = last
    .normalize('NFC')
    // C0/C1 controls, DEL, bidi controls and other invisible format characters
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, '')
    .replace(/[<>:"|?*;]/g, '_')
    .replace(/\s+/g, ' ')
    .trim();
  const dot = base.lastIndexOf('.');
  if (dot > 0) base = base.slice(0, dot);
  base = base.replace(/^[.\s]+|[.\s]+$/g, '');
  const chars = [...base];
  if (chars.length > FILE_NAME_MAX) base = chars.slice(0, FILE_NAME_MAX).join('').trim();
  if (!base) base = fallback;
  return `${base}.${EVIDENCE_TYPES[type].ext}`;
}
