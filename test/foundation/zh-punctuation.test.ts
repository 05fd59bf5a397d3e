// Every Chinese message of the service (the `zh:` text of each problem, notice and page message in
// src/) takes full-width punctuation next to Chinese: ，：；？！（） — as an official would write it.
// The pages' own message table is checked on every rendered page (test/web); this covers the rest,
// read from the source so that a message only shown on a rare refusal is checked too.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../src');
const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”]/;
const HALF = /[,:;?!()]/;
/** A `zh:` string literal: quoted, or a template (its `${…}` parts are code, not text). */
const ZH_LITERAL = /\bzh:\s*(`(?:[^`\\]|\\.)*`|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")/gs;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? files(p) : /\.tsx?$/.test(d.name) ? [p] : [];
  });
}

/** Half-width punctuation with Chinese on either side, in the text parts of a literal. */
export function halfWidthNextToChinese(literal: string): string[] {
  const text = literal.slice(1, -1).replace(/\$\{(?:[^{}]|\{[^{}]*\})*\}/g, '•');
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (!HALF.test(c)) continue;
    if (c === ':' && text.startsWith('//', i + 1)) continue; // an address
    if (CJK.test(text[i - 1] ?? '') || CJK.test(text[i + 1] ?? '')) found.push(text.slice(Math.max(0, i - 8), i + 8));
  }
  return found;
}

describe('Chinese messages in the source', () => {
  it('the check finds what it is for', () => {
    expect(halfWidthNextToChinese("'允许:GET'")).toHaveLength(1);
    expect(halfWidthNextToChinese('`日志条目 ${n} 字节,超过 ${max}`')).toHaveLength(1);
    expect(halfWidthNextToChinese("'含有孤立代理项(不是有效的文本)'")).toHaveLength(2);
    expect(halfWidthNextToChinese("'允许：GET，POST'")).toEqual([]);
    expect(halfWidthNextToChinese('`${a}, ${b}`')).toEqual([]);
    expect(halfWidthNextToChinese("'见 https://example.org'")).toEqual([]);
  });

  it('every zh: message takes full-width punctuation next to Chinese', () => {
    const bad: string[] = [];
    let checked = 0;
    for (const file of files(ROOT)) {
      const src = fs.readFileSync(file, 'utf8');
      for (const m of src.matchAll(ZH_LITERAL)) {
        checked++;
        for (const at of halfWidthNextToChinese(m[1]!)) bad.push(`${path.relative(ROOT, file)}:${src.slice(0, m.index).split('\n').length}: …${at}…`);
      }
    }
    expect(checked).toBeGreaterThan(200);
    expect(bad).toEqual([]);
  });
});

/**
 * The Chinese text of every verifier finding: the second argument of `T(en, zh)` (src/verify/checks/types.ts),
 * shown on the supervisors' page and printed by `npm run verify`. Its literal parts — nested ones included —
 * read as one text, each `${…}` that is not a literal standing for a value.
 */
function verifierTexts(file: string, src: string): { line: number; text: string }[] {
  const sf = ts.createSourceFile(file, src, ts.ScriptTarget.Latest, true);
  const found: { line: number; text: string }[] = [];
  const textOf = (n: ts.Node): string => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return n.text;
    if (ts.isTemplateExpression(n)) return n.head.text + n.templateSpans.map((s) => textOf(s.expression) + s.literal.text).join('');
    if (ts.isConditionalExpression(n)) return textOf(n.whenTrue) || textOf(n.whenFalse);
    if (ts.isParenthesizedExpression(n)) return textOf(n.expression);
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.BarBarToken) return textOf(n.left) + textOf(n.right);
    return '•';
  };
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'T' && n.arguments.length === 2)
      found.push({ line: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1, text: textOf(n.arguments[1]!) });
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

describe('the verifier’s findings in Chinese', () => {
  it('the reading finds what it is for', () => {
    const texts = verifierTexts('x.ts', "T(`a ${n}`, `会议(#${n})${x ? `晚于(#${m})` : ''},但`); T('a', '无')");
    expect(texts.map((t) => t.text)).toEqual(['会议(#•)晚于(#•),但', '无']);
    expect(halfWidthNextToChinese(`'${texts[0]!.text}'`)).toHaveLength(4);
  });

  it('every T(en, zh) under src/verify takes full-width punctuation next to Chinese', () => {
    const bad: string[] = [];
    let checked = 0;
    for (const file of files(path.join(ROOT, 'verify'))) {
      for (const { line, text } of verifierTexts(file, fs.readFileSync(file, 'utf8'))) {
        checked++;
        for (const at of halfWidthNextToChinese(`'${text}'`)) bad.push(`${path.relative(ROOT, file)}:${line}: …${at}…`);
      }
    }
    expect(checked).toBeGreaterThan(300);
    expect(bad).toEqual([]);
  });
});

describe('words shown to members and the public', () => {
  it('no developer jargon in the pages’ Chinese texts (解盲 is the tablet’s inner working, not the member’s)', async () => {
    const { DICT } = await import('../../src/web/i18n.js');
    const zh = Object.entries(DICT).map(([k, v]) => [k, (v as { zh: string }).zh] as const);
    expect(zh.filter(([, v]) => /解盲|run-off|Authorization/.test(v)).map(([k]) => k)).toEqual([]);
  });

  it('one term per thing: the code that enrolls a tablet is 注册码 everywhere (never 登记码)', () => {
    const other = files(ROOT).flatMap((file) =>
      fs.readFileSync(file, 'utf8').split('\n').flatMap((line, i) => (line.includes('登记码') ? [`${path.relative(ROOT, file)}:${i + 1}`] : [])),
    );
    expect(other).toEqual([]);
  });
});
