import { describe, expect, it } from 'vitest';
import { limitText, sizeText } from '../../src/http/sizes.js';

describe('sizes as people read them', () => {
  it('limits in MB or KB, rounded down to a tenth', () => {
    expect(limitText(20 * 1024 * 1024)).toEqual({ zh: '20 MB', en: '20 MB' });
    expect(limitText(60 * 1024 * 1024)).toEqual({ zh: '60 MB', en: '60 MB' });
    expect(limitText(750 * 1024).zh).toBe('750 KB');
    expect(limitText(10_000).zh).toBe('9.7 KB');
    expect(limitText(1024 * 1024 - 1).zh).toBe('1023.9 KB');
    expect(limitText(500)).toEqual({ zh: '500 字节', en: '500 bytes' });
  });
  it('a file’s size rounded up, so it is never shown within a limit it exceeds', () => {
    expect(sizeText(20 * 1024 * 1024 + 1).zh).toBe('20.1 MB');
    expect(sizeText(10_001).zh).toBe('9.8 KB');
    expect(sizeText(1024).zh).toBe('1 KB');
    // Just over a 4 KB limit reads 4.1 KB, not 4 KB.
    expect(sizeText(4097).zh).toBe('4.1 KB');
  });
});
