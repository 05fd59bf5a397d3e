// The three awards of the regulation (质量奖, 创新奖, 优胜奖): the one list every schema, route, page and
// check takes them from. No dependencies, so that pages can import it.
export const AWARDS = ['quality', 'innovation', 'excellence'] as const;
export type Award = (typeof AWARDS)[number];
