// The pages (server-rendered with hono/jsx). Every path here is listed with its roles in
// NON_API_ROUTES (src/auth/guard.ts): all pages are public; what a page can do is decided by the API
// calls its script makes with the caller's own credentials.
import { Hono } from 'hono';
import type { AppEnv } from '../deps.js';
import { homePage } from './home.js';
import { noticeBoard, noticePage, objectionFormPage, receiptPage, statusPage } from './notices.js';
import { meetingScreenPage, staffPage, supervisorPage, tabletPage } from './apps.js';
import { minutesPage, tallySheetPage } from './print.js';
import { favicon } from './favicon.js';

export const PAGE_ROUTES = ['/', '/notices', '/notices/:id', '/notices/:id/objection', '/objections/receipt', '/objections/status', '/tablet', '/staff', '/supervisor', '/meeting/:id/screen', '/print/ballots/:id/tally-sheet', '/print/meetings/:id/minutes'] as const;

export const webRoutes = new Hono<AppEnv>()
  .get('/', homePage)
  .get('/notices', noticeBoard)
  .get('/notices/:id', noticePage)
  .get('/notices/:id/objection', objectionFormPage)
  .get('/objections/receipt', receiptPage)
  .get('/objections/status', statusPage)
  .get('/tablet', tabletPage)
  .get('/staff', staffPage)
  .get('/supervisor', supervisorPage)
  .get('/meeting/:id/screen', meetingScreenPage)
  .get('/print/ballots/:id/tally-sheet', tallySheetPage)
  .get('/print/meetings/:id/minutes', minutesPage)
  .get('/favicon.ico', favicon);
