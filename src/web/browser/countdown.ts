// Live "time left" of a 公示 window: elements with data-closes-at (Beijing time ISO) tick every 30 s.
import { t, type MsgKey } from '../i18n.js';

const tr = (key: MsgKey, vars?: Record<string, number>) => t(document.documentElement.lang.startsWith('en') ? 'en' : 'zh', key, vars);

export function startCountdowns() {
  const loaded = Date.now();
  const tick = () => {
    for (const el of document.querySelectorAll<HTMLElement>('[data-closes-at]')) {
      // The server's clock at render time (it may run on a fixed demo date), advanced by real time.
      const now = new Date(el.dataset.now ?? loaded).getTime() + (Date.now() - loaded);
      const ms = new Date(el.dataset.closesAt!).getTime() - now;
      if (ms <= 0) {
        el.textContent = tr('noticesClosed');
        continue;
      }
      const hrs = Math.floor(ms / 3_600_000);
      el.textContent = hrs >= 24 ? tr('daysHoursLeft', { d: Math.floor(hrs / 24), h: hrs % 24 }) : tr('hoursLeft', { h: hrs, m: Math.floor((ms % 3_600_000) / 60_000) });
    }
  };
  setInterval(tick, 30_000);
}
