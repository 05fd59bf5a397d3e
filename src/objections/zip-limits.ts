// Archive evidence (DOCX, OFD — both ZIP containers) is checked from its central directory before
// anything is stored, without decompressing a byte: a "zip bomb" of a few hundred KB can declare
// hundreds of GB, and would be served to staff who open it. Refused, each with its own reason:
//   - a total uncompressed size above ZIP_MAX_UNCOMPRESSED_BYTES;
//   - an expansion ratio above ZIP_MAX_RATIO, for the archive as a whole and for any entry larger
//     than ZIP_RATIO_FLOOR_BYTES (small XML parts compress well and are harmless);
//   - compressed sizes that add up to more than the file (entries overlapping one another: the
//     non-recursive bomb), more than ZIP_MAX_ENTRIES entries, or ZIP64 size markers;
//   - an archive inside the archive (by name: .zip, .docx, .ofd, .gz, .7z, …) — nested bombs.

export const ZIP_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024;
export const ZIP_MAX_RATIO = 100;
export const ZIP_RATIO_FLOOR_BYTES = 1024 * 1024;
export const ZIP_MAX_ENTRIES = 5000;

const NESTED = /\.(zip|docx|docm|xlsx|xlsm|pptx|ofd|jar|apk|7z|rar|gz|tgz|bz2|xz|zst|tar|cab|iso)$/i;

export interface ZipEntry {
  name: string;
  compressed: number;
  uncompressed: number;
}

const u16 = (d: Uint8Array, o: number) => d[o]! | (d[o + 1]! << 8);
const u32 = (d: Uint8Array, o: number) => (d[o]! | (d[o + 1]! << 8) | (d[o + 2]! << 16) | (d[o + 3]! << 24)) >>> 0;

/** The central directory's entries (name and declared sizes), or null when it is malformed. */
export function zipEntries(data: Uint8Array): ZipEntry[] | null {
  const EOCD = 0x06054b50;
  const CDH = 0x02014b50;
  if (data.length < 22) return null;
  let eocd = -1;
  for (let i = data.length - 22, stop = Math.max(0, data.length - 22 - 0xffff); i >= stop; i--) {
    if (u32(data, i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = u16(data, eocd + 10);
  const cdSize = u32(data, eocd + 12);
  const cdOffset = u32(data, eocd + 16);
  if (u16(data, eocd + 4) !== 0 || u16(data, eocd + 6) !== 0 || count === 0xffff || cdOffset === 0xffffffff || cdOffset + cdSize > eocd) return null;
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  const out: ZipEntry[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || u32(data, p) !== CDH) return null;
    const nameLen = u16(data, p + 28);
    if (p + 46 + nameLen > eocd) return null;
    out.push({ name: decoder.decode(data.subarray(p + 46, p + 46 + nameLen)), compressed: u32(data, p + 20), uncompressed: u32(data, p + 24) });
    p += 46 + nameLen + u16(data, p + 30) + u16(data, p + 32);
  }
  return out;
}

export interface ZipRefusal {
  en: string;
  zh: string;
  reason: 'malformed' | 'too-many-entries' | 'zip64' | 'overlapping' | 'too-large' | 'ratio' | 'nested';
}

/** Why this archive is refused, or null when its declared contents are within bounds. */
export function zipRefusal(data: Uint8Array): ZipRefusal | null {
  const entries = zipEntries(data);
  if (!entries) return { reason: 'malformed', en: 'its ZIP directory is malformed', zh: 'ZIP 目录结构无效' };
  if (entries.length > ZIP_MAX_ENTRIES) return { reason: 'too-many-entries', en: `it holds ${entries.length} entries (at most ${ZIP_MAX_ENTRIES})`, zh: `包含 ${entries.length} 个条目（上限 ${ZIP_MAX_ENTRIES} 个）` };
  let compressed = 0;
  let uncompressed = 0;
  for (const e of entries) {
    if (e.compressed === 0xffffffff || e.uncompressed === 0xffffffff) return { reason: 'zip64', en: 'it declares ZIP64 sizes', zh: '声明了 ZIP64 大小' };
    if (NESTED.test(e.name)) return { reason: 'nested', en: `it contains another archive (${e.name.slice(0, 80)})`, zh: `其中嵌套了另一个压缩文件（${e.name.slice(0, 80)}）` };
    if (e.uncompressed > ZIP_RATIO_FLOOR_BYTES && e.uncompressed > ZIP_MAX_RATIO * Math.max(1, e.compressed)) {
      return { reason: 'ratio', en: `an entry expands ${Math.round(e.uncompressed / Math.max(1, e.compressed))}-fold (at most ${ZIP_MAX_RATIO})`, zh: `某一条目解压后膨胀 ${Math.round(e.uncompressed / Math.max(1, e.compressed))} 倍（上限 ${ZIP_MAX_RATIO} 倍）` };
    }
    compressed += e.compressed;
    uncompressed += e.uncompressed;
  }
  if (uncompressed > ZIP_MAX_UNCOMPRESSED_BYTES) {
    return { reason: 'too-large', en: `it expands to ${uncompressed} bytes (at most ${ZIP_MAX_UNCOMPRESSED_BYTES})`, zh: `解压后共 ${uncompressed} 字节（上限 ${ZIP_MAX_UNCOMPRESSED_BYTES} 字节）` };
  }
  if (compressed > data.length) return { reason: 'overlapping', en: 'its entries overlap one another', zh: '条目相互重叠' };
  if (uncompressed > ZIP_RATIO_FLOOR_BYTES && uncompressed > ZIP_MAX_RATIO * Math.max(1, data.length)) {
    return { reason: 'ratio', en: `it expands ${Math.round(uncompressed / data.length)}-fold (at most ${ZIP_MAX_RATIO})`, zh: `解压后膨胀 ${Math.round(uncompressed / data.length)} 倍（上限 ${ZIP_MAX_RATIO} 倍）` };
  }
  return null;
}
