// GB 11643 and GB 32100 check characters, against published examples and by flipping every character.
import { describe, expect, it } from 'vitest';
import { CREDIT_CODE_CHARSET, checkCreditCode, checkIdNumber, creditCodeCheckCharacter, idCheckCharacter } from '../../src/identity/codes.js';

// The worked example of GB 11643-1999 (附录A) and the example code of GB 32100-2015, plus codes printed
// on real business licences (华为技术有限公司, 阿里巴巴(中国)有限公司).
const ID_OK = ['11010519491231002X', '440524198001010013', '330106199003071236'];
const CREDIT_OK = ['91350100M000100Y43', '914403001922038216', '91330100716105852F'];

describe('GB 11643 居民身份证号码', () => {
  it('accepts valid numbers, lower-case x and spaces included', () => {
    for (const id of ID_OK) expect(checkIdNumber(id), id).toBeNull();
    expect(checkIdNumber('11010519491231002x')).toBeNull();
    expect(checkIdNumber(' 110105 19491231 002X ')).toBeNull();
    expect(idCheckCharacter('11010519491231002')).toBe('X');
  });
  it('refuses every single-digit change among the first 17 digits', () => {
    for (const id of ID_OK) {
      for (let i = 0; i < 17; i++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === id[i]) continue;
          const bad = id.slice(0, i) + d + id.slice(i + 1);
          expect(checkIdNumber(bad), bad).not.toBeNull();
        }
      }
    }
  });
  it('refuses a wrong check character, a bad length, letters, an impossible or future birth date', () => {
    expect(checkIdNumber('110105194912310021')).toBe('check');
    expect(checkIdNumber('11010519491231002')).toBe('length');
    expect(checkIdNumber('1101051949123100XX')).toBe('characters');
    expect(checkIdNumber('110105' + '19490230' + '0021')).toBe('birth-date');
    const future = '110105' + '20300101' + '001';
    expect(checkIdNumber(future + idCheckCharacter(future), '2026-11-30')).toBe('birth-date');
  });
});

describe('GB 32100 统一社会信用代码', () => {
  it('accepts valid codes', () => {
    for (const c of CREDIT_OK) expect(checkCreditCode(c), c).toBeNull();
    expect(checkCreditCode('91350100m000100y43')).toBeNull();
  });
  it('refuses every single-character change, anywhere', () => {
    for (const code of CREDIT_OK) {
      for (let i = 0; i < 18; i++) {
        for (const ch of CREDIT_CODE_CHARSET) {
          if (ch === code[i]) continue;
          const bad = code.slice(0, i) + ch + code.slice(i + 1);
          expect(checkCreditCode(bad), bad).not.toBeNull();
        }
      }
    }
  });
  it('refuses letters outside the set (I O S V Z), a bad length, letters in the division code', () => {
    expect(checkCreditCode('91350100M000100Y4I')).toBe('characters');
    expect(checkCreditCode('9135010OM000100Y43')).toBe('characters');
    expect(checkCreditCode('91350100M000100Y4')).toBe('length');
    expect(checkCreditCode('91330000MA27U0XU4W')).toBe('check');
    expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3');
  });
});
