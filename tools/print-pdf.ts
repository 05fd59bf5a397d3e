// The print pages (计票结果报告单, 会议纪要) as PDF, rendered by Chromium (playwright-core, Debian's
// chromium or CHROMIUM_PATH) on A4, exactly as the browser prints them:
//   npm run print -- <page url> <out.pdf> [<page url> <out.pdf> …]
// e.g. npm run print -- http://localhost:8787/print/ballots/b_XXXXXXXXXXXX/tally-sheet 计票结果报告单.pdf
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2 !== 0) {
  console.error('usage: npm run print -- <page url> <out.pdf> [<page url> <out.pdf> …]');
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  for (let i = 0; i < args.length; i += 2) {
    const [url, out] = [args[i]!, args[i + 1]!];
    const res = await page.goto(url, { waitUntil: 'load' });
    if (!res?.ok()) throw new Error(`${url}: HTTP ${res?.status() ?? 'no answer'}`);
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: out, format: 'A4', printBackground: true, preferCSSPageSize: true });
    console.log(out);
  }
} finally {
  await browser.close();
}
