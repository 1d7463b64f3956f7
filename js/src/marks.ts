// From a report to the marks of a cell's editor: pure data, no editor or DOM, so that it can
// be tested on its own. Positions stay 1-based lines and columns, as the report has them.
import type {
  AssumptionJson,
  DiagnosticJson,
  ObligationJson,
  ReportJson,
  ReportSpan
} from './report';

export type Severity = 'failed' | 'unknown' | 'warning';
export type LineStatus = 'proved' | 'failed' | 'unknown' | 'assumed';

export interface Position {
  line: number;
  column: number;
}

/** A wavy underline with the text its hover shows. */
export interface Underline {
  from: Position;
  to: Position; // exclusive; at least one character after `from`
  severity: Severity;
  related: boolean; // the clause a failure elsewhere is about
  hover: string[];
}

/** What an obligation-carrying gutter mark opens in the widget. */
export interface ObligationRef {
  kind: string;
  line: number;
  column: number;
}

export interface GutterMark {
  line: number;
  status: LineStatus;
  hover: string[];
  opens: ObligationRef | null;
}

export interface CellMarks {
  underlines: Underline[];
  gutter: GutterMark[];
}

export const NO_MARKS: CellMarks = { underlines: [], gutter: [] };

// Which status a line shows when several things happen on it: the worst.
const RANK: Record<LineStatus, number> = { failed: 3, unknown: 2, assumed: 1, proved: 0 };

function endOf(span: ReportSpan): Position {
  const line = span.end_line ?? span.line;
  const column = span.end_column ?? span.column + 1;
  const empty = line < span.line || (line === span.line && column <= span.column);
  return empty ? { line: span.line, column: span.column + 1 } : { line, column };
}

function sameSite(a: ObligationJson, b: ObligationJson): boolean {
  return a.kind === b.kind && a.line === b.line && a.column === b.column;
}

function replayWords(ob: ObligationJson): string | null {
  const replay = ob.trace?.replay;
  if (!replay?.verdict) return null;
  const detail = replay.detail ? `: ${replay.detail}` : '';
  return `replay: ${replay.verdict}${detail}`;
}

function obligationHover(ob: ObligationJson): string[] {
  if (ob.status === 'proved') {
    return [`proved: ${ob.success ?? ob.description ?? ob.kind}`];
  }
  const lines = [`${ob.status}: ${ob.message}`];
  if (ob.description) lines.push(`checked: ${ob.description}`);
  if (ob.explanation) lines.push(`why: ${ob.explanation}`);
  if (ob.status === 'unknown' && ob.reason) lines.push(`reason: ${ob.reason}`);
  const replay = replayWords(ob);
  if (replay) lines.push(replay);
  return lines;
}

function diagnosticHover(d: DiagnosticJson, label = d.kind ? `${d.kind} error` : 'error'): string[] {
  const lines = [`${label}: ${d.message}`];
  if (d.hint) lines.push(`hint: ${d.hint}`);
  return lines;
}

function assumptionHover(a: AssumptionJson): string[] {
  return [`assumed, not proved: ${a.text ?? 'assume'}`];
}

/** Each obligation once, with what `errors` adds (explanation, trace) where it has it. */
export function obligationsOf(report: ReportJson): ObligationJson[] {
  const errors = report.errors ?? [];
  const listed = report.obligations ?? [];
  const merged = listed.map(ob => ({ ...ob, ...errors.find(e => sameSite(e, ob)) }));
  const missing = errors.filter(e => !listed.some(ob => sameSite(e, ob)));
  return [...merged, ...missing];
}

function relatedHover(ob: ObligationJson): string[] {
  const lines = [`related to the ${ob.status} check at line ${ob.line}: ${ob.message}`];
  if (ob.description) lines.push(`checked: ${ob.description}`);
  return lines;
}

function underlines(report: ReportJson, obligations: ObligationJson[]): Underline[] {
  const spanMark = (span: ReportSpan, severity: Severity, hover: string[], related = false): Underline => ({
    from: { line: span.line, column: span.column },
    to: endOf(span),
    severity,
    related,
    hover
  });
  const unproved = obligations.filter(ob => ob.status === 'failed' || ob.status === 'unknown');
  return [
    ...(report.diagnostics ?? []).map(d => spanMark(d, 'failed', diagnosticHover(d))),
    ...(report.warnings ?? []).map(w => spanMark(w, 'warning', diagnosticHover(w, 'warning'))),
    ...unproved.map(ob => spanMark(ob, ob.status as Severity, obligationHover(ob))),
    ...unproved.flatMap(ob =>
      (ob.related ?? []).map(span => spanMark(span, ob.status as Severity, relatedHover(ob), true))
    )
  ].filter(mark => mark.from.line > 0);
}

function lineStatus(ob: ObligationJson): LineStatus {
  return ob.status === 'proved' || ob.status === 'failed' ? ob.status : 'unknown';
}

/** One mark per line: the worst status, every hover text (the worst first), and what it opens. */
function worstPerLine(marks: GutterMark[]): GutterMark[] {
  const byLine = new Map<number, GutterMark>();
  for (const mark of marks) {
    const there = byLine.get(mark.line);
    if (!there) {
      byLine.set(mark.line, { ...mark, hover: [...mark.hover] });
    } else if (RANK[mark.status] > RANK[there.status]) {
      const opens = mark.opens ?? there.opens;
      byLine.set(mark.line, { ...mark, opens, hover: [...mark.hover, ...there.hover] });
    } else {
      there.hover.push(...mark.hover);
      there.opens = there.opens ?? mark.opens;
    }
  }
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}

function gutter(report: ReportJson, obligations: ObligationJson[]): GutterMark[] {
  const marks: GutterMark[] = [
    ...(report.diagnostics ?? []).map(d => ({
      line: d.line, status: 'failed' as const, hover: diagnosticHover(d), opens: null
    })),
    ...(report.assumptions ?? []).map(a => ({
      line: a.line, status: 'assumed' as const, hover: assumptionHover(a), opens: null
    })),
    ...obligations.map(ob => ({
      line: ob.line,
      status: lineStatus(ob),
      hover: obligationHover(ob),
      opens: { kind: ob.kind, line: ob.line, column: ob.column }
    }))
  ];
  return worstPerLine(marks.filter(mark => mark.line > 0));
}

/** The marks a report puts on its cell. */
export function marksOf(report: ReportJson): CellMarks {
  const obligations = obligationsOf(report);
  return { underlines: underlines(report, obligations), gutter: gutter(report, obligations) };
}
