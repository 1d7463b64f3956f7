// MiniDafny as a CodeMirror 6 stream language: the tokens a student needs to tell apart
// (keywords, types, specification clauses, comments, literals, operators) and the cell's
// `%%verify` / `%%wp` line, with indentation by braces.
import { StreamLanguage, StringStream } from '@codemirror/language';
import type { StreamParser } from '@codemirror/language';
import { tags } from '@lezer/highlight';

export const MINIDAFNY_MIME = 'text/x-minidafny';
const MAGIC_LINE = /^%%(verify|wp)\b/;

/** Whether a cell's text is MiniDafny: its first line is `%%verify` or `%%wp`. */
export function isMiniDafnyCell(source: string): boolean {
  const newline = source.indexOf('\n');
  return MAGIC_LINE.test(newline < 0 ? source : source.slice(0, newline));
}

const KEYWORDS = new Set([
  'as', 'assert', 'assume', 'by', 'calc', 'case', 'datatype', 'else', 'exists', 'for',
  'forall', 'fresh', 'function', 'ghost', 'if', 'import', 'in', 'lemma', 'match', 'method',
  'module', 'multiset', 'new', 'old', 'opened', 'predicate', 'print', 'return', 'returns',
  'then', 'type', 'var', 'while', 'witness', 'to', 'downto'
]);
const SPECIFICATIONS = new Set([
  'requires', 'ensures', 'invariant', 'decreases', 'modifies', 'reads'
]);
const TYPES = new Set(['int', 'nat', 'bool', 'real', 'seq', 'set', 'array', 'string', 'char']);
const ATOMS = new Set(['true', 'false', 'null', 'this']);

const OPERATOR = /^(?:<==>|==>|<==|::|:=|:\||\.\.|==|!=|<=|>=|&&|\|\||[-+*/%<>!=|:])/;
const NUMBER = /^(?:0x[0-9a-fA-F][0-9a-fA-F_]*|[0-9][0-9_]*(?:\.[0-9][0-9_]*)?)/;
// `'` continues a name (`x'`), so a character literal only starts where no name goes on.
const NAME = /^[A-Za-z_][A-Za-z0-9_'?]*/;
const CHAR = /^'(?:[^'\\\n]|\\.)'/;
const STRING = /^"(?:[^"\\\n]|\\.)*"?/;
const MAGIC = /^%%\w+/;

export interface MiniDafnyState {
  depth: number; // open braces, for indentation
  inComment: boolean; // inside /* ... */
}

function blockComment(stream: StringStream, state: MiniDafnyState): string {
  state.inComment = !stream.skipTo('*/');
  if (state.inComment) stream.skipToEnd();
  else stream.match('*/');
  return 'comment';
}

function nameToken(word: string): string {
  if (SPECIFICATIONS.has(word)) return 'specification';
  if (KEYWORDS.has(word)) return 'keyword';
  if (TYPES.has(word)) return 'type';
  if (ATOMS.has(word)) return 'atom';
  return 'variable';
}

function token(stream: StringStream, state: MiniDafnyState): string | null {
  if (state.inComment) return blockComment(stream, state);
  if (stream.eatSpace()) return null;
  if (stream.sol() && stream.match(MAGIC)) {
    stream.skipToEnd();
    return 'magic';
  }
  if (stream.match('//')) {
    stream.skipToEnd();
    return 'comment';
  }
  if (stream.match('/*')) return blockComment(stream, state);
  const name = stream.match(NAME) as RegExpMatchArray | null;
  if (name) return nameToken(name[0]);
  if (stream.match(NUMBER)) return 'number';
  if (stream.match(STRING)) return 'string';
  if (stream.match(CHAR)) return 'string';
  const brace = stream.next();
  if (brace === '{') state.depth += 1;
  else if (brace === '}') state.depth = Math.max(state.depth - 1, 0);
  else if (brace !== undefined) {
    stream.backUp(1);
    if (stream.match(OPERATOR)) return 'operator';
    stream.next();
  }
  return brace === '{' || brace === '}' ? 'brace' : 'punctuation';
}

export const miniDafnyParser: StreamParser<MiniDafnyState> = {
  name: 'minidafny',
  startState: () => ({ depth: 0, inComment: false }),
  copyState: state => ({ ...state }),
  token,
  indent(state, textAfter, context) {
    const closing = /^\s*\}/.test(textAfter) ? 1 : 0;
    return Math.max(state.depth - closing, 0) * context.unit;
  },
  languageData: {
    commentTokens: { line: '//', block: { open: '/*', close: '*/' } },
    indentOnInput: /^\s*\}$/,
    closeBrackets: { brackets: ['(', '[', '{', '"'] }
  },
  tokenTable: {
    specification: tags.definitionKeyword,
    magic: tags.processingInstruction,
    brace: tags.brace
  }
};

export const miniDafny = StreamLanguage.define(miniDafnyParser);
