// The public notice board's search, as a member of the public uses it in Chromium: by cycle, kind,
// state and organisation (a name, or a 统一社会信用代码), each a link that can be shared; a value the
// form cannot produce is left out with a message, never an error page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_INTAKE } from '../../src/notices/intake-routes.js';
import { HAVE_CHROMIUM, NO_CHROMIUM_REASON, startWeb, type WebHarness } from './support.js';

const CODE = '91330100716105852F';

describe.skipIf(!HAVE_CHROMIUM)('notice board search', () => {
  let w: WebHarness;
  beforeAll(async () => {
    w = await startWeb();
    for (const [cycle, name, orgs] of [
      ['2025', '2025年度杭州市政府质量奖', [{ name: '丙医院', code: CODE }, { name: '丁集团' }]],
      ['2026', '2026年度杭州市政府质量奖', [{ name: '甲公司' }, { name: '乙集团' }]],
    ] as const) {
      await w.call('/api/v1/cycles', { method: 'POST', json: { id: cycle, name } });
      await w.call(`/api/v1/cycles/${cycle}/objection-intake`, { method: 'PUT', json: EXAMPLE_INTAKE });
      const { id } = await w.call<{ id: string }>('/api/v1/notices', {
        method: 'POST',
        json: { cycleId: cycle, type: 'material-review', title: `${name}拟进入材料评审组织名单公示`, body: '现将拟进入材料评审的组织名单予以公示。', organisations: orgs },
      });
      await w.call(`/api/v1/notices/${id}/publish`, { method: 'POST' });
    }
  }, 180_000);
  afterAll(async () => w?.close());

  it('finds notices by cycle, by organisation name or code, by kind and by state', async () => {
    const { page } = await w.newPage();
    await page.goto('/notices');
    const titles = () => page.locator('.notice-item h3').allInnerTexts();
    expect(await titles()).toHaveLength(2);

    await page.getByLabel('评比周期').selectOption('2025');
    await page.getByRole('button', { name: '查找' }).click();
    await page.waitForURL(/cycle=2025/);
    expect(await titles()).toEqual(['2025年度杭州市政府质量奖拟进入材料评审组织名单公示']);
    await expect.poll(() => page.locator('.board-found').innerText()).toBe('符合条件的公示公告共1条。');

    await page.goto('/notices');
    await page.getByLabel('组织名称或统一社会信用代码').fill('乙集团');
    await page.getByRole('button', { name: '查找' }).click();
    await page.waitForURL(/org=/);
    expect(await titles()).toEqual(['2026年度杭州市政府质量奖拟进入材料评审组织名单公示']);
    await page.getByLabel('组织名称或统一社会信用代码').fill(CODE);
    await page.getByRole('button', { name: '查找' }).click();
    await page.waitForURL(new RegExp(`org=${CODE}`));
    expect(await titles()).toEqual(['2025年度杭州市政府质量奖拟进入材料评审组织名单公示']);
    await w.shot(page, 'board-search');

    await page.goto('/notices');
    await page.getByLabel('类别').selectOption('revocation');
    await page.getByRole('button', { name: '查找' }).click();
    await page.waitForURL(/kind=revocation/);
    expect(await titles()).toEqual([]);

    await page.goto('/notices?state=closed');
    expect(await titles()).toEqual([]);
    expect(await page.locator('#open-notices').count()).toBe(0);
    await page.goto('/notices?state=open');
    expect(await titles()).toHaveLength(2);
  });

  it('leaves out a value the form cannot produce and says so', async () => {
    const { page } = await w.newPage();
    const res = await page.goto('/notices?cycle=NOT%20A%20CYCLE&kind=lottery&org=%E7%94%B2%E5%85%AC%E5%8F%B8');
    expect(res?.status()).toBe(200);
    await expect.poll(() => page.getByRole('alert').innerText()).toBe('查找条件有误，已按其余条件显示。');
    expect(await page.locator('.notice-item h3').allInnerTexts()).toEqual(['2026年度杭州市政府质量奖拟进入材料评审组织名单公示']);
  });
});

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_REASON);
