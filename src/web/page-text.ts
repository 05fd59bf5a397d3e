// The strings of the server-rendered pages, Chinese first, English second. The client scripts' own
// strings are in i18n.ts, which adds these to them: the Worker's script carries only what the server
// renders.
export type Lang = 'zh' | 'en';

export const HTML_LANG: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };

export const PAGE_TEXT = {
  // ---------------------------------------------------------------- layout
  siteTitle: { zh: '杭州市政府质量奖 · 投票与公示', en: 'Hangzhou Quality Award · Voting and Notices' },
  siteShort: { zh: '杭州市政府质量奖', en: 'Hangzhou Quality Award' },
  navHome: { zh: '首页', en: 'Home' },
  navNotices: { zh: '公示公告', en: 'Notices' },
  navStatus: { zh: '异议查询', en: 'Objection status' },
  navTablet: { zh: '评审平板', en: 'Tablet' },
  navStaff: { zh: '工作人员', en: 'Staff' },
  navSupervisor: { zh: '监督小组', en: 'Supervisors' },
  navApi: { zh: '接口文档', en: 'API docs' },
  switchLang: { zh: 'English', en: '中文' },
  skipToContent: { zh: '跳到正文', en: 'Skip to content' },
  footer: { zh: '杭州市市场监督管理局 · 本站不使用第三方脚本、字体或统计', en: 'Hangzhou Administration for Market Regulation · no third-party scripts, fonts or analytics' },
  mainNav: { zh: '主导航', en: 'Main navigation' },
  loading: { zh: '正在加载…', en: 'Loading…' },
  needScript: { zh: '本页需要启用 JavaScript。', en: 'This page needs JavaScript.' },
  notFoundTitle: { zh: '页面不存在', en: 'Page not found' },
  // ---------------------------------------------------------------- home
  homeIntro: {
    zh: '本模块办理杭州市政府质量奖评审组全体会议的表决，以及名单公示与异议。每一项公开事实都记入可验证的公开日志。',
    en: 'This module runs the judging group’s votes at the plenary meeting, and the public notices and objections. Every public fact is an entry of a verifiable public log.',
  },
  homePublic: { zh: '公众：公示名单与异议', en: 'The public: notices and objections' },
  homePublicText: { zh: '查看公示名单，在公示期内提出异议，查询异议办理进度。', en: 'Read the notices, object during a notice’s window, look up an objection’s status.' },
  homeTablet: { zh: '评审组成员：会场平板', en: 'Judging-group members: the meeting tablet' },
  homeTabletText: { zh: '用注册码绑定平板，签到，参加无记名投票和举手表决。', en: 'Enroll the tablet with your code, check in, take part in secret ballots and shows of hands.' },
  homeStaff: { zh: '市市场监管局：工作台', en: 'Bureau staff: console' },
  homeStaffText: { zh: '评比周期、候选组织、成员与注册码、会议与表决、结果、公示与异议。', en: 'Cycles, candidates, members and enrollment codes, the meeting and its votes, results, notices and objections.' },
  homeSupervisor: { zh: '评审工作监督小组：监督台', en: 'Supervisory group: dashboard' },
  homeSupervisorText: { zh: '在浏览器中独立复核选票公告与计票、举手记录、日志检查点与见证联署、异议期限。', en: 'Independently recount the bulletins in the browser, read the show-of-hands records, log checkpoints and witness cosignatures, objection deadlines.' },
  homeLog: { zh: '公开日志', en: 'Public log' },
  homeLogText: { zh: '日志检查点与验证公钥（C2SP 格式），任何人均可核验。', en: 'The log’s checkpoint and verifier key (C2SP formats): anyone can check them.' },
  // ---------------------------------------------------------------- notices
  noticesTitle: { zh: '公示公告', en: 'Public notices' },
  noticesIntro: {
    zh: '依《杭州市政府质量奖管理办法》三（三）7，名单在公示期内（7个工作日）接受社会监督，任何单位或个人均可提出异议。时间均为北京时间。',
    en: 'Under 三(三)7 of the Measures, each list is open to objections from anyone during its window of 7 working days. All times are Beijing time.',
  },
  noticesOpen: { zh: '公示中', en: 'Open for objections' },
  noticesClosed: { zh: '公示期已结束', en: 'Window closed' },
  noticesOther: { zh: '公告', en: 'Announcements' },
  boardFilter: { zh: '查找公示公告', en: 'Find a notice' },
  boardFilterKind: { zh: '类别', en: 'Kind' },
  boardFilterState: { zh: '状态', en: 'State' },
  boardFilterOrganisation: { zh: '组织名称或统一社会信用代码', en: 'Organisation name or unified social credit code' },
  boardFilterAll: { zh: '全部', en: 'All' },
  boardFilterApply: { zh: '查找', en: 'Find' },
  boardFilterClear: { zh: '显示全部', en: 'Show all' },
  boardFilterFound: { zh: '符合条件的公示公告共{n}条。', en: '{n} notices match.' },
  boardFilterInvalid: { zh: '查找条件有误，已按其余条件显示。', en: 'Part of the search was not understood and was left out.' },
  noNotices: { zh: '暂无公告。', en: 'No notices yet.' },
  window: { zh: '公示期', en: 'Window' },
  windowRange: { zh: '{start}至{end}（北京时间{end}24:00截止，共{days}个工作日）', en: '{start} to {end} (closes 24:00 Beijing time on {end}; {days} working days)' },
  timeLeft: { zh: '剩余时间', en: 'Time left' },
  daysHoursLeft: { zh: '{d} 天 {h} 小时', en: '{d} days {h} hours' },
  hoursLeft: { zh: '{h} 小时 {m} 分钟', en: '{h} hours {m} minutes' },
  closedOn: { zh: '已于 {end} 24:00 截止', en: 'Closed at 24:00 on {end}' },
  noticeCorrected: { zh: '已更正，异议请对更正后的公告提出', en: 'Corrected: objections go to the correction' },
  badgeCorrected: { zh: '已更正', en: 'Corrected' },
  publishedAt: { zh: '发布时间', en: 'Published' },
  organisations: { zh: '组织名单', en: 'Organisations' },
  orgName: { zh: '组织名称', en: 'Organisation' },
  orgCode: { zh: '统一社会信用代码', en: 'Unified social credit code' },
  award: { zh: '奖项', en: 'Award' },
  issuer: { zh: '发布单位', en: 'Issuer' },
  logIndex: { zh: '日志序号', en: 'Log index' },
  documentHash: { zh: '文档哈希（SHA-256）', en: 'Document hash (SHA-256)' },
  corrects: { zh: '本公告更正', en: 'This notice corrects' },
  correctedBy: { zh: '已被更正，见', en: 'Corrected by' },
  objectNow: { zh: '对本名单提出异议', en: 'Object to this list' },
  receiptsTitle: { zh: '已收到的异议（仅公开编号与日期）', en: 'Objections received (numbers and dates only)' },
  trackingNo: { zh: '受理编号', en: 'Tracking number' },
  receivedDate: { zh: '收到日期', en: 'Received' },
  dueDate: { zh: '核查期限', en: 'Verification due' },
  overdue: { zh: '已逾期', en: 'Overdue' },
  resultPublished: { zh: '已公布核查结果', en: 'Result published' },
  verifyTitle: { zh: '公开日志验证', en: 'Public log verification' },
  verifying: { zh: '正在本机验证…', en: 'Verifying on this device…' },
  logKey: { zh: '日志验证公钥', en: 'Log verifier key' },
  footerCheckpoint: { zh: '公开日志检查点', en: 'Log checkpoint' },
  // ---------------------------------------------------------------- objections
  objectionTitle: { zh: '提出异议', en: 'File an objection' },
  objectionIntro: {
    zh: '请如实陈述事实、理由并提供佐证材料（三（三）7）。您的姓名和联系方式加密保存，不予公开。提交后将获得受理回执和查询码，请妥善保存。',
    en: 'State the facts and reasons and attach supporting evidence (三(三)7). Your name and contact details are encrypted and never published. You will get a receipt and an access code: keep them.',
  },
  objectionClosed: { zh: '本名单不在公示期内，不接受异议。', en: 'This list is not open for objections.' },
  objectorKind: { zh: '异议人类型', en: 'Objector' },
  kindUnit: { zh: '单位', en: 'Organisation' },
  kindPerson: { zh: '个人', en: 'Individual' },
  objectorName: { zh: '异议人名称/姓名', en: 'Name of the objector' },
  contact: { zh: '联系方式', en: 'Contact details' },
  objectTo: { zh: '异议对象（组织）', en: 'Organisation objected to' },
  facts: { zh: '事实', en: 'Facts' },
  reasons: { zh: '理由', en: 'Reasons' },
  evidence: { zh: '佐证材料（PDF、图片、Word、OFD 等）', en: 'Evidence (PDF, images, Word, OFD…)' },
  evidenceLimits: { zh: '每个文件最大 {file}，全部文件合计最大 {total}。', en: 'Each file at most {file}; all files together at most {total}.' },
  declaration: { zh: '本人承诺所提交材料真实、准确。', en: 'I declare the materials true and accurate.' },
  idNumber: { zh: '居民身份证号码', en: 'Resident identity card number' },
  signature: { zh: '签名（请输入本人真实姓名）', en: 'Signature (type your real name)' },
  creditCode: { zh: '统一社会信用代码', en: 'Unified social credit code' },
  contactPerson: { zh: '联系人', en: 'Contact person' },
  letter: { zh: '异议书扫描件（单位须加盖公章；个人可上传本人签名的异议书代替上方签名）', en: 'Scan of the objection letter (a unit’s bears its official seal; a person may upload a signed letter instead of typing a signature)' },
  noEvidence: { zh: '未提供佐证材料（核查结果公示将注明）', en: 'No evidence provided (the published result will say so)' },
  personIdentity: { zh: '个人身份信息', en: 'Your identity' },
  unitIdentity: { zh: '单位信息', en: 'Your organisation' },
  identityPrivate: { zh: '身份信息加密保存，仅供核查，依法保密，不予公开。', en: 'Identity details are encrypted, used only for verification, kept confidential and never published.' },
  intakeUnit: { zh: '受理单位', en: 'Receiving office' },
  intakeContact: { zh: '联系人', en: 'Contact' },
  intakePhone: { zh: '联系电话', en: 'Telephone' },
  intakeAddress: { zh: '通讯地址', en: 'Address' },
  intakePostcode: { zh: '邮政编码', en: 'Postcode' },
  intakeEmail: { zh: '电子邮箱', en: 'E-mail' },
  intakeFax: { zh: '传真', en: 'Fax' },
  noticeRules: { zh: '异议须知', en: 'Notes on objections' },
  submit: { zh: '提交', en: 'Submit' },
  receiptTitle: { zh: '异议受理回执', en: 'Objection receipt' },
  accessCode: { zh: '查询码', en: 'Access code' },
  files: { zh: '附件', en: 'Files' },
  statusTitle: { zh: '异议办理进度查询', en: 'Objection status' },
  statusIntro: { zh: '输入受理编号和查询码。', en: 'Enter the tracking number and access code.' },
  lookUp: { zh: '查询', en: 'Look up' },
  status: { zh: '状态', en: 'Status' },
  st_received: { zh: '已受理', en: 'Received' },
  decision: { zh: '核查结论', en: 'Decision' },
  dec_upheld: { zh: '成立', en: 'Upheld' },
  'dec_partly-upheld': { zh: '部分成立', en: 'Partly upheld' },
  dec_rejected: { zh: '不成立', en: 'Rejected' },
  // ---------------------------------------------------------------- tablet
  tabletTitle: { zh: '评审平板', en: 'Meeting tablet' },
  chair: { zh: '牵头领导', en: 'Chair' },
  meeting: { zh: '会议', en: 'Meeting' },
  winners: { zh: '当选', en: 'Elected' },
  // ---------------------------------------------------------------- staff & supervisor
  staffTitle: { zh: '工作人员工作台', en: 'Staff console' },
  supervisorTitle: { zh: '监督小组监督台', en: 'Supervisory dashboard' },
  // ---------------------------------------------------------------- first run, accounts (staff console)
  firstRunHint: {
    zh: '首次使用：尚未创建工作人员账号。启动服务（npm start）的终端窗口中显示了一条一次性设置链接，请在浏览器中打开它，创建第一个工作人员账号。',
    en: 'First run: no staff account exists yet. The terminal running the server (npm start) shows a one-time setup link; open it in a browser to create the first staff account.',
  },
  cycle: { zh: '评比周期', en: 'Award cycle' },
  name: { zh: '姓名', en: 'Name' },
  unit: { zh: '成员单位', en: 'Member unit' },
  candidates: { zh: '候选组织（每行一个）', en: 'Candidates (one per line)' },
  results: { zh: '结果', en: 'Results' },
  draft: { zh: '草稿', en: 'Draft' },
  // ---------------------------------------------------------------- objection handling (staff console)
  resultSummary: { zh: '核查结论说明', en: 'Summary of the decision' },
} as const satisfies Record<string, Record<Lang, string>>;

export type PageKey = keyof typeof PAGE_TEXT;

/** `s` with its `{name}` placeholders filled from `vars`. */
export function fill(s: string, vars: Record<string, string | number>): string {
  return s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** The page string for `key` in `lang`, with `{name}` placeholders filled from `vars`. */
export function t(lang: Lang, key: PageKey, vars: Record<string, string | number> = {}): string {
  return fill(PAGE_TEXT[key]?.[lang] ?? String(key), vars);
}

export function isLang(x: unknown): x is Lang {
  return x === 'zh' || x === 'en';
}

export const AWARD_LABEL: Record<string, Record<Lang, string>> = {
  quality: { zh: '质量奖', en: 'Quality Award' },
  innovation: { zh: '创新奖', en: 'Innovation Award' },
  excellence: { zh: '优胜奖', en: 'Excellence Award' },
};
