// The report-to-marks mapping, on reports shaped as kernel_ext/report.py writes them (with
// and without the fields that newer reports add: verdict, assumptions, success).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { marksOf, obligationsOf } from '../src/marks';
import type { ObligationJson, ReportJson } from '../src/report';

const postcondition: ObligationJson = {
  kind: 'postcondition',
  line: 5,
  column: 3,
  end_line: 5,
  end_column: 4,
  owner: 'Abs',
  message: 'A postcondition might not hold on this return path.',
  description: 'y > 0',
  status: 'failed',
  reason: '',
  related: [{ line: 3, column: 11, end_line: 3, end_column: 16 }]
};
const failingError: ObligationJson = {
  ...postcondition,
  explanation: 'On some path the method can end with the ensures clause false.',
  trace: { replay: { verdict: 'confirmed', detail: 'Abs(0) returned y = 0' } }
};
const provedRange: ObligationJson = {
  kind: 'range',
  line: 4,
  column: 10,
  end_line: 4,
  end_column: 15,
  message: 'index out of range',
  description: '0 <= i',
  status: 'proved'
};

const failing: ReportJson = {
  file: 'cell',
  verified: false,
  errors: [failingError],
  obligations: [provedRange, postcondition],
  diagnostics: [],
  warnings: []
};

test('a failed obligation is underlined at its span, red, with its words and replay verdict', () => {
  const [mark, ...others] = marksOf(failing).underlines;
  assert.equal(others.filter(other => !other.related).length, 0);
  assert.deepEqual([mark.from, mark.to], [{ line: 5, column: 3 }, { line: 5, column: 4 }]);
  assert.equal(mark.severity, 'failed');
  assert.equal(mark.hover[0], 'failed: A postcondition might not hold on this return path.');
  assert.ok(mark.hover.includes('why: On some path the method can end with the ensures clause false.'));
  assert.ok(mark.hover.includes('replay: confirmed: Abs(0) returned y = 0'));
});

test('the clause a failure is about is underlined too, as related', () => {
  const related = marksOf(failing).underlines.filter(mark => mark.related);
  assert.equal(related.length, 1);
  assert.deepEqual([related[0].from, related[0].to], [{ line: 3, column: 11 }, { line: 3, column: 16 }]);
  assert.equal(related[0].severity, 'failed');
  assert.deepEqual(related[0].hover, [
    'related to the failed check at line 5: A postcondition might not hold on this return path.',
    'checked: y > 0'
  ]);
});

test('each line with an obligation has a status in the gutter; a click opens its obligation', () => {
  const { gutter } = marksOf(failing);
  assert.deepEqual(
    gutter.map(mark => [mark.line, mark.status]),
    [[4, 'proved'], [5, 'failed']]
  );
  assert.deepEqual(gutter[1].opens, { kind: 'postcondition', line: 5, column: 3 });
});

test('an unknown obligation is amber and says why', () => {
  const unknown = { ...postcondition, status: 'unknown', reason: 'resource limit reached' };
  const { underlines, gutter } = marksOf({ obligations: [unknown], errors: [unknown] });
  assert.equal(underlines[0].severity, 'unknown');
  assert.ok(underlines[0].hover.includes('reason: resource limit reached'));
  assert.equal(gutter[0].status, 'unknown');
});

test('the worst status of a line wins, and the line opens the worst obligation', () => {
  const sameLine = { ...provedRange, line: 5, column: 20 };
  const { gutter } = marksOf({ ...failing, obligations: [sameLine, postcondition] });
  assert.equal(gutter.length, 1);
  assert.equal(gutter[0].status, 'failed');
  assert.equal(gutter[0].opens?.kind, 'postcondition');
  assert.equal(gutter[0].hover.length, 1 + 1 + 1 + 1 + 1); // failure, checked, why, replay, proved
});

test('a parse or type error is underlined at its span and marks its line failed', () => {
  const report: ReportJson = {
    verified: false,
    verdict: 'error',
    diagnostics: [
      { line: 3, column: 7, end_line: 3, end_column: 12, kind: 'type', code: 'E', message: 'unknown name x', hint: 'declare it' }
    ],
    obligations: [],
    errors: []
  };
  const { underlines, gutter } = marksOf(report);
  assert.deepEqual(underlines[0].to, { line: 3, column: 12 });
  assert.equal(underlines[0].severity, 'failed');
  assert.deepEqual(underlines[0].hover, ['type error: unknown name x', 'hint: declare it']);
  assert.deepEqual(gutter.map(mark => [mark.line, mark.status, mark.opens]), [[3, 'failed', null]]);
});

test('an assume marks its line as verified assuming it, above a proof on the same line', () => {
  const report: ReportJson = {
    verdict: 'verified-assuming',
    obligations: [{ ...provedRange, success: 'the index is within bounds' }],
    errors: [],
    assumptions: [{ line: 4, column: 3, end_line: 4, end_column: 20, text: 'x > 0' }, { line: 6, column: 3, text: 'y > 0' }]
  };
  const { gutter, underlines } = marksOf(report);
  assert.deepEqual(gutter.map(mark => [mark.line, mark.status]), [[4, 'assumed'], [6, 'assumed']]);
  assert.deepEqual(gutter[0].hover, ['assumed, not proved: x > 0', 'proved: the index is within bounds']);
  assert.deepEqual(gutter[0].opens, { kind: 'range', line: 4, column: 10 }); // the proof on its line
  assert.equal(gutter[1].opens, null);
  assert.equal(underlines.length, 0);
});

test('a proved obligation says what holds: its success wording, else what was checked', () => {
  const [withWords] = marksOf({ obligations: [{ ...provedRange, success: 'i is a valid index' }] }).gutter;
  const [without] = marksOf({ obligations: [provedRange] }).gutter;
  assert.deepEqual(withWords.hover, ['proved: i is a valid index']);
  assert.deepEqual(without.hover, ['proved: 0 <= i']);
});

test('a report without end positions marks one character; a mark without a line is dropped', () => {
  const old = { ...postcondition, end_line: undefined, end_column: undefined, related: [] };
  const nowhere = { ...postcondition, line: 0, column: 0, end_line: 0, end_column: 0, related: [] };
  const { underlines, gutter } = marksOf({ obligations: [old, nowhere], errors: [] });
  assert.equal(underlines.length, 1);
  assert.deepEqual(underlines[0].to, { line: 5, column: 4 });
  assert.equal(gutter.length, 1);
});

test('warnings are marked without a line status; a verified report marks no failure', () => {
  const report: ReportJson = {
    verified: true,
    verdict: 'verified',
    obligations: [provedRange],
    errors: [],
    warnings: [{ line: 2, column: 18, end_line: 2, end_column: 19, code: 'W', message: 'deprecated style' }]
  };
  const { underlines, gutter } = marksOf(report);
  assert.deepEqual(underlines.map(mark => mark.severity), ['warning']);
  assert.deepEqual(gutter.map(mark => mark.status), ['proved']);
});

test('errors add their explanation and trace to the obligation they repeat', () => {
  const merged = obligationsOf(failing);
  assert.equal(merged.length, 2);
  assert.equal(merged[1].trace?.replay?.verdict, 'confirmed');
  assert.equal(merged[0].trace, undefined);
});
