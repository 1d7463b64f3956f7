// Each notebook's code cells: a `%%verify` / `%%wp` cell is edited as MiniDafny, a cell
// whose output carries a report shows its marks, and the widget and the editor talk through
// DOM events (see widget.js's event bridge).
import type { Cell, CodeCell } from '@jupyterlab/cells';
import type { CodeMirrorEditor } from '@jupyterlab/codemirror';
import type { INotebookTracker, Notebook, NotebookPanel } from '@jupyterlab/notebook';
import type { EditorView } from '@codemirror/view';

import { GUTTER_OPEN_EVENT, showMarks, showTraceLine, selectSpan } from './editor';
import { MINIDAFNY_MIME, isMiniDafnyCell } from './language';
import { CellMarks, NO_MARKS, ObligationRef, Position, marksOf } from './marks';
import { REPORT_MIME, ReportJson } from './report';

export const SELECT_EVENT = 'minidafny-select';
export const OPEN_EVENT = 'minidafny-open';
export const TRACE_STEP_EVENT = 'minidafny-trace-step';

interface SpanDetail {
  line: number;
  column: number;
  end_line?: number;
  end_column?: number;
}

function reportOf(cell: CodeCell): ReportJson | null {
  const outputs = cell.model.outputs;
  for (let index = 0; index < outputs.length; index += 1) {
    const report = outputs.get(index).data[REPORT_MIME];
    if (report && typeof report === 'object') return report as unknown as ReportJson;
  }
  return null;
}

function editorView(cell: Cell): EditorView | null {
  const editor = cell.editor as CodeMirrorEditor | null;
  return editor?.editor ?? null;
}

function whenEditorReady(cell: Cell, use: (view: EditorView) => void): void {
  const view = editorView(cell);
  if (view) use(view);
  else void cell.ready.then(() => {
    const ready = editorView(cell);
    if (ready) use(ready);
  });
}

/** Keeps the cell's language in step with its first line, also when the notebook resets it. */
function followLanguage(cell: CodeCell, notebook: Notebook): void {
  const update = (): void => {
    const wanted = isMiniDafnyCell(cell.model.sharedModel.getSource()) ? MINIDAFNY_MIME : notebook.codeMimetype;
    if (cell.model.mimeType !== wanted) cell.model.mimeType = wanted;
  };
  cell.model.contentChanged.connect(update);
  cell.model.mimeTypeChanged.connect(update);
  update();
}

function followReport(cell: CodeCell): void {
  let shown: CellMarks = NO_MARKS;
  let ran: string | null = null; // the text when the outputs were cleared: the text that runs
  const update = (): void => {
    const source = cell.model.sharedModel.getSource();
    if (cell.model.outputs.length === 0) ran = source;
    const report = reportOf(cell);
    const marks = report ? marksOf(report) : NO_MARKS;
    if (marks === NO_MARKS && shown === NO_MARKS) return;
    shown = marks;
    const editedWhileRunning = ran !== null && ran !== source;
    whenEditorReady(cell, view => showMarks(view, marks, editedWhileRunning));
  };
  cell.model.outputs.changed.connect(update);
  update();
}

function watchCell(cell: Cell, notebook: Notebook): void {
  if (cell.model.type !== 'code') return;
  const code = cell as CodeCell;
  followLanguage(code, notebook);
  followReport(code);
}

function cellAround(notebook: Notebook, target: EventTarget | null): Cell | null {
  if (!(target instanceof Node)) return null;
  return notebook.widgets.find(cell => cell.node.contains(target)) ?? null;
}

function spanEnd(detail: SpanDetail): Position {
  return { line: detail.end_line ?? detail.line, column: detail.end_column ?? detail.column + 1 };
}

function openInWidgets(cell: Cell, ref: ObligationRef): void {
  for (const root of cell.node.querySelectorAll('.md-widget')) {
    root.dispatchEvent(new CustomEvent(OPEN_EVENT, { detail: { ...ref } }));
  }
}

function listen(notebook: Notebook): void {
  const onCell = <T>(name: string, handle: (cell: Cell, detail: T) => void): void => {
    notebook.node.addEventListener(name, event => {
      const cell = cellAround(notebook, event.target);
      if (cell) handle(cell, (event as CustomEvent<T>).detail);
    });
  };
  onCell<SpanDetail>(SELECT_EVENT, (cell, detail) =>
    whenEditorReady(cell, view => selectSpan(view, detail, spanEnd(detail)))
  );
  onCell<{ line: number | null }>(TRACE_STEP_EVENT, (cell, detail) =>
    whenEditorReady(cell, view => showTraceLine(view, detail.line ?? null))
  );
  onCell<ObligationRef>(GUTTER_OPEN_EVENT, openInWidgets);
}

function watchNotebook(panel: NotebookPanel): void {
  const notebook = panel.content;
  const watched = new WeakSet<Cell>();
  const watchNew = (): void => {
    for (const cell of notebook.widgets) {
      if (!watched.has(cell)) {
        watched.add(cell);
        watchCell(cell, notebook);
      }
    }
  };
  // the notebook makes its cell widgets on the same signal, before this runs
  notebook.model?.cells.changed.connect(watchNew);
  notebook.modelChanged.connect(() => {
    notebook.model?.cells.changed.connect(watchNew);
    watchNew();
  });
  watchNew();
  listen(notebook);
}

export function watchNotebooks(tracker: INotebookTracker): void {
  tracker.widgetAdded.connect((_tracker, panel) => watchNotebook(panel));
}
