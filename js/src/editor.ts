// The marks of a report in a cell's CodeMirror editor: wavy underlines with hover text, a
// gutter with each line's status, the trace stepper's current line, and a dimmed look once
// the cell is edited after its run.
import {
  Compartment,
  EditorSelection,
  Extension,
  RangeSet,
  RangeSetBuilder,
  StateEffect,
  StateField,
  Text,
  Transaction
} from '@codemirror/state';
import {
  Decoration,
  DecorationSet,
  EditorView,
  GutterMarker,
  gutter,
  hoverTooltip
} from '@codemirror/view';
import type { Tooltip } from '@codemirror/view';

import { CellMarks, GutterMark, NO_MARKS, ObligationRef, Position, Underline } from './marks';

/** Dispatched (bubbling) from the editor when a gutter mark is clicked. */
export const GUTTER_OPEN_EVENT = 'minidafny-gutter-open';

const setMarks = StateEffect.define<{ marks: CellMarks; stale: boolean }>();
const setTraceLine = StateEffect.define<number | null>();

class StatusMarker extends GutterMarker {
  constructor(readonly mark: GutterMark) {
    super();
  }

  eq(other: StatusMarker): boolean {
    return other.mark === this.mark;
  }

  toDOM(): Node {
    const node = document.createElement('span');
    node.className = `md-gutter-mark md-gutter-${this.mark.status}`;
    node.dataset.status = this.mark.status;
    node.textContent = GUTTER_SYMBOLS[this.mark.status];
    node.title = this.mark.hover.join('\n');
    return node;
  }
}

const GUTTER_SYMBOLS = { proved: '\u2714', failed: '\u2718', unknown: '?', assumed: 'A' };

interface MarksState {
  underlines: DecorationSet;
  gutter: RangeSet<StatusMarker>;
  traceLine: DecorationSet;
  stale: boolean; // edited since the run that made the marks
}

const EMPTY: MarksState = {
  underlines: Decoration.none,
  gutter: RangeSet.empty,
  traceLine: Decoration.none,
  stale: false
};

export function offsetOf(doc: Text, position: Position): number | null {
  if (position.line < 1 || position.line > doc.lines) return null;
  const line = doc.line(position.line);
  return Math.min(line.from + Math.max(position.column - 1, 0), line.to);
}

function rangeOf(doc: Text, from: Position, to: Position): { from: number; to: number } | null {
  const start = offsetOf(doc, from);
  if (start === null) return null;
  const end = offsetOf(doc, to) ?? doc.line(from.line).to;
  if (end > start) return { from: start, to: end };
  const line = doc.lineAt(start);
  // an empty span (at a line's end): mark the character before it, so that it shows
  return line.to > line.from ? { from: Math.max(start - 1, line.from), to: Math.max(start, line.from + 1) } : null;
}

function underlineDecorations(doc: Text, underlines: Underline[]): DecorationSet {
  const ranges = underlines.flatMap(mark => {
    const range = rangeOf(doc, mark.from, mark.to);
    if (!range) return [];
    const role = mark.related ? ' md-squiggle-related' : '';
    const decoration = Decoration.mark({
      class: `md-squiggle md-squiggle-${mark.severity}${role}`,
      attributes: { 'data-severity': mark.severity },
      hover: mark.hover,
      severity: mark.severity
    });
    return [decoration.range(range.from, range.to)];
  });
  return Decoration.set(ranges, true);
}

function gutterMarkers(doc: Text, marks: GutterMark[]): RangeSet<StatusMarker> {
  const builder = new RangeSetBuilder<StatusMarker>();
  for (const mark of marks) {
    if (mark.line >= 1 && mark.line <= doc.lines) {
      const from = doc.line(mark.line).from;
      builder.add(from, from, new StatusMarker(mark));
    }
  }
  return builder.finish();
}

function traceDecoration(doc: Text, line: number | null): DecorationSet {
  if (line === null || line < 1 || line > doc.lines) return Decoration.none;
  const from = doc.line(line).from;
  return Decoration.set([Decoration.line({ class: 'md-trace-line' }).range(from)]);
}

function nextState(value: MarksState, tr: Transaction): MarksState {
  let next = value;
  if (tr.docChanged) {
    const marked = value.underlines.size > 0 || value.gutter.size > 0;
    next = {
      underlines: value.underlines.map(tr.changes),
      gutter: value.gutter.map(tr.changes),
      traceLine: value.traceLine.map(tr.changes),
      stale: value.stale || marked
    };
  }
  for (const effect of tr.effects) {
    if (effect.is(setMarks)) {
      const doc = tr.state.doc;
      next = {
        ...next,
        underlines: underlineDecorations(doc, effect.value.marks.underlines),
        gutter: gutterMarkers(doc, effect.value.marks.gutter),
        stale: effect.value.stale
      };
    } else if (effect.is(setTraceLine)) {
      next = { ...next, traceLine: traceDecoration(tr.state.doc, effect.value) };
    }
  }
  return next;
}

const marksField = StateField.define<MarksState>({
  create: () => EMPTY,
  update: nextState,
  provide: field => [
    EditorView.decorations.from(field, state => state.underlines),
    EditorView.decorations.from(field, state => state.traceLine)
  ]
});

function hoverAt(view: EditorView, pos: number): Tooltip | null {
  const found: { from: number; to: number; hover: string[]; severity: string }[] = [];
  view.state.field(marksField).underlines.between(pos, pos, (from, to, value) => {
    found.push({ from, to, hover: value.spec.hover, severity: value.spec.severity });
  });
  if (!found.length) return null;
  return {
    pos: Math.min(...found.map(f => f.from)),
    end: Math.max(...found.map(f => f.to)),
    above: true,
    create: () => ({ dom: hoverDom(found, view.state.field(marksField).stale) })
  };
}

function hoverDom(found: { hover: string[]; severity: string }[], stale: boolean): HTMLElement {
  const dom = document.createElement('div');
  dom.className = 'md-hover';
  for (const { hover, severity } of found) {
    const part = document.createElement('div');
    part.className = `md-hover-part md-hover-${severity}`;
    for (const line of hover) {
      const row = document.createElement('div');
      row.textContent = line;
      part.append(row);
    }
    dom.append(part);
  }
  if (stale) {
    const note = document.createElement('div');
    note.className = 'md-hover-stale';
    note.textContent = 'edited since this run: run the cell again';
    dom.append(note);
  }
  return dom;
}

function openFromGutter(view: EditorView, lineStart: number): boolean {
  let opens: ObligationRef | null = null;
  view.state.field(marksField).gutter.between(lineStart, lineStart, (_from, _to, marker) => {
    opens = marker.mark.opens;
  });
  if (!opens) return false;
  view.dom.dispatchEvent(new CustomEvent(GUTTER_OPEN_EVENT, { bubbles: true, detail: opens }));
  return true;
}

// Shown only in editors that have marks, so that other cells get no empty gutter.
const marksUi: Extension = [
  gutter({
    class: 'md-status-gutter',
    markers: view => view.state.field(marksField).gutter,
    domEventHandlers: { click: (view, line) => openFromGutter(view, line.from) }
  }),
  hoverTooltip(hoverAt, { hoverTime: 300 }),
  EditorView.editorAttributes.of(view =>
    view.state.field(marksField).stale ? { class: 'md-marks-stale' } : null
  )
];
const marksUiSlot = new Compartment();

/** What every editor carries; cheap until a report gives it marks. */
export const marksExtension: Extension = [marksField, marksUiSlot.of([])];

/** Puts a report's marks on an editor, or takes them off (NO_MARKS); `stale`: already dimmed
 * (the text changed since the run that made them). */
export function showMarks(view: EditorView, marks: CellMarks, stale = false): void {
  const any = marks.underlines.length > 0 || marks.gutter.length > 0;
  const ui = marksUiSlot.get(view.state);
  if (any && ui !== marksUi) view.dispatch({ effects: marksUiSlot.reconfigure(marksUi) });
  view.dispatch({ effects: setMarks.of({ marks, stale }) });
  if (!any && ui === marksUi) view.dispatch({ effects: marksUiSlot.reconfigure([]) });
}

export function clearMarks(view: EditorView): void {
  showMarks(view, NO_MARKS);
}

/** Highlights the trace stepper's current line (null: none). */
export function showTraceLine(view: EditorView, line: number | null): void {
  view.dispatch({ effects: setTraceLine.of(line) });
}

/** Selects a span (1-based, end exclusive) and scrolls it into view. */
export function selectSpan(view: EditorView, from: Position, to: Position): void {
  const range = rangeOf(view.state.doc, from, to);
  if (!range) return;
  view.dispatch({
    selection: EditorSelection.range(range.from, range.to),
    scrollIntoView: true
  });
}
