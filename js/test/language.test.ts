// The MiniDafny tokenizer and indentation, line by line as CodeMirror runs them.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { IndentContext, StringStream } from '@codemirror/language';

import { MiniDafnyState, isMiniDafnyCell, miniDafnyParser } from '../src/language';

const INDENT_UNIT = 2;

/** Each line's tokens as [text, kind], the state carried from line to line. */
function tokens(text: string): [string, string][][] {
  const state = miniDafnyParser.startState!(INDENT_UNIT);
  return text.split('\n').map(line => {
    const stream = new StringStream(line, 4, INDENT_UNIT);
    const found: [string, string][] = [];
    while (!stream.eol()) {
      const kind = miniDafnyParser.token(stream, state);
      if (kind) found.push([stream.current(), kind]);
      stream.start = stream.pos;
    }
    return found;
  });
}

function kindOf(text: string, word: string): string | undefined {
  return tokens(text).flat().find(([token]) => token === word)?.[1];
}

test('the magic line, keywords, types and specification clauses', () => {
  const text = '%%verify --trace\nmethod Abs(x: int) returns (y: nat)\n  ensures y >= 0\n  decreases x';
  assert.deepEqual(tokens(text)[0], [['%%verify --trace', 'magic']]);
  assert.equal(kindOf(text, 'method'), 'keyword');
  assert.equal(kindOf(text, 'returns'), 'keyword');
  assert.equal(kindOf(text, 'int'), 'type');
  assert.equal(kindOf(text, 'nat'), 'type');
  assert.equal(kindOf(text, 'ensures'), 'specification');
  assert.equal(kindOf(text, 'decreases'), 'specification');
  assert.equal(kindOf(text, 'Abs'), 'variable');
  assert.equal(kindOf(text, '>='), 'operator');
  assert.equal(kindOf(text, '0'), 'number');
});

test("a prime continues a name: x' is no string, and the rest of the line stays code", () => {
  const [line] = tokens("x' := x + 1; assert x' > x;");
  assert.deepEqual(line.filter(([, kind]) => kind === 'variable').map(([text]) => text), ["x'", 'x', "x'", 'x']);
  assert.equal(kindOf("x' := x + 1; assert x' > x;", 'assert'), 'keyword');
  assert.equal(line.some(([, kind]) => kind === 'string'), false);
});

test('character and string literals, numbers with a point', () => {
  assert.equal(kindOf("var c := 'a';", "'a'"), 'string');
  assert.equal(kindOf("var c := '\\n';", "'\\n'"), 'string');
  assert.equal(kindOf('print "it\'s done";', '"it\'s done"'), 'string');
  assert.equal(kindOf('var r := 1.5;', '1.5'), 'number');
});

test('line and block comments, a block comment over several lines', () => {
  assert.equal(kindOf('y := 1; // why', '// why'), 'comment');
  const lines = tokens('/* a\n method\n */ method');
  assert.deepEqual(lines[1], [[' method', 'comment']]);
  assert.deepEqual(lines[2], [[' */', 'comment'], ['method', 'keyword']]);
});

test('indentation: one unit per open brace, a closing brace back out', () => {
  const state: MiniDafnyState = miniDafnyParser.startState!(INDENT_UNIT);
  for (const line of ['method M() {', '  if x {']) {
    const stream = new StringStream(line, 4, INDENT_UNIT);
    while (!stream.eol()) {
      miniDafnyParser.token(stream, state);
      stream.start = stream.pos;
    }
  }
  const context = { unit: INDENT_UNIT } as IndentContext;
  assert.equal(miniDafnyParser.indent!(state, 'y := 1;', context), 4);
  assert.equal(miniDafnyParser.indent!(state, '}', context), 2);
});

test('a cell is MiniDafny when its first line is %%verify or %%wp', () => {
  assert.equal(isMiniDafnyCell('%%verify\nmethod M() {}'), true);
  assert.equal(isMiniDafnyCell('%%verify --method M'), true);
  assert.equal(isMiniDafnyCell('%%wp --post "y > 4"\nx := x + 1;'), true);
  assert.equal(isMiniDafnyCell('%%verifying\n'), false);
  assert.equal(isMiniDafnyCell('x = 1\n%%verify'), false);
  assert.equal(isMiniDafnyCell('%time x = 1'), false);
});
