// Check characters of the two national identifiers an objector gives (server and browser: no imports).
//
// GB 11643-1999 公民身份号码 (居民身份证号码): 18 characters — 6-digit address code, 8-digit date of
// birth (YYYYMMDD), 3-digit sequence, 1 check character. The check character is ISO 7064 MOD 11-2:
// S = Σ aᵢ·Wᵢ over the first 17 digits, Wᵢ = 2^(18−i) mod 11 = 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2;
// the check is (12 − S mod 11) mod 11, written 'X' for 10 (GB 11643 §8.2).
//
// GB 32100-2015 法人和其他组织统一社会信用代码: 18 characters of the 31-character set
// 0123456789ABCDEFGHJKLMNPQRTUWXY (no I, O, S, V, Z) — registration authority (1), organisation
// category (1), administrative division (6 digits), organisation code (9), check (1). The check
// character is C18 = 31 − (Σ Cᵢ·Wᵢ mod 31), 31 written as 0, Wᵢ = 3^(i−1) mod 31 =
// 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28 (GB 32100 §4.4).

/** Why a code was refused; `null` when it is valid. */
export type CodeProblem = 'length' | 'characters' | 'birth-date' | 'check' | null;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECKS = '10X98765432'; // index: S mod 11 → check character

/** The GB 11643 check character of the first 17 digits. */
export function idCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('idCheckCharacter: expected 17 digits');
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECKS[s % 11]!;
}

/** Upper-case, without spaces: how both codes are compared and stored. */
export const normalizeCode = (code: string) => code.replace(/\s+/g, '').toUpperCase();

/** Checks an 18-character 居民身份证号码: form, a real date of birth not after `today`, check character. */
export function checkIdNumber(input: string, today?: string): CodeProblem {
  const id = normalizeCode(input);
  if (id.length !== 18) return 'length';
  if (!/^\d{17}[\dX]$/.test(id)) return 'characters';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) return 'birth-date';
  if (today && `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}` > today) return 'birth-date';
  return idCheckCharacter(id.slice(0, 17)) === id[17] ? null : 'check';
}

export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** The GB 32100 check character of the first 17 characters. */
export function creditCodeCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new RangeError('creditCodeCheckCharacter: expected 17 characters');
  let s = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_CHARSET.indexOf(first17[i]!);
    if (v < 0) throw new RangeError('creditCodeCheckCharacter: character outside the GB 32100 set');
    s += v * CREDIT_WEIGHTS[i]!;
  }
  return CREDIT_CODE_CHARSET[(31 - (s % 31)) % 31]!;
}

/** Checks an 18-character 统一社会信用代码: the character set, the division digits, the check character. */
export function checkCreditCode(input: string): CodeProblem {
  const code = normalizeCode(input);
  if (code.length !== 18) return 'length';
  for (const ch of code) if (!CREDIT_CODE_CHARSET.includes(ch)) return 'characters';
  if (!/^\d{6}$/.test(code.slice(2, 8))) return 'characters';
  return creditCodeCheckCharacter(code.slice(0, 17)) === code[17] ? null : 'check';
}

/** What to tell a person whose code was refused (zh first, as on the form). */
export const CODE_PROBLEM_TEXT: Record<Exclude<CodeProblem, null>, { zh: string; en: string }> = {
  length: { zh: '应为18位', en: 'must have 18 characters' },
  characters: { zh: '含有不允许的字符', en: 'contains characters that are not allowed' },
  'birth-date': { zh: '出生日期无效', en: 'has an invalid date of birth' },
  check: { zh: '校验码不符，请核对后重新填写', en: 'fails its check character; please check it' },
};
