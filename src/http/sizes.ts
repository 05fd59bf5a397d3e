// Sizes as people read them (20 MB, 750 KB, 512 字节), wherever a page or a refusal states a limit or a
// file's size: never raw byte counts. 1 MB = 1,024 KB = 1,048,576 bytes, as file managers count. A
// limit is rounded down and a file's size up, so that a file shown as within a limit is within it.

const KB = 1024;
const MB = 1024 * KB;

type Rounding = 'down' | 'up';

function figure(n: number, unit: number, rounding: Rounding): string {
  const tenths = (rounding === 'down' ? Math.floor : Math.ceil)((n / unit) * 10) / 10;
  return Number.isInteger(tenths) ? String(tenths) : tenths.toFixed(1);
}

function text(n: number, rounding: Rounding): { en: string; zh: string } {
  if (n >= MB) return { en: `${figure(n, MB, rounding)} MB`, zh: `${figure(n, MB, rounding)} MB` };
  if (n >= KB) return { en: `${figure(n, KB, rounding)} KB`, zh: `${figure(n, KB, rounding)} KB` };
  return { en: `${n} bytes`, zh: `${n} 字节` };
}

/** A limit: 20 MB (rounded down). */
export const limitText = (bytes: number) => text(bytes, 'down');

/** A file's size: 25.1 MB (rounded up). */
export const sizeText = (bytes: number) => text(bytes, 'up');
