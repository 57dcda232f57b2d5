// The action-item grammar (shared/actions/README.md): pure TypeScript, no Node or DOM,
// shared by the editor's highlighting and the server's extraction.

export type {
  ActionBlockInput,
  ActionKind,
  ActionSpan,
  ActionSpanKind,
  Attendee,
  Mention,
  ParseOptions,
  ParsedAction,
} from './types';
export { parseActionBlock } from './grammar';
export { isActionText } from './markers';
export { ticketUrl } from './tickets';
