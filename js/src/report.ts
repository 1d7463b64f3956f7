// The report a `%%verify` cell's output carries as `application/vnd.minidafny.report+json`
// (kernel_ext/report.py, VerificationReport.to_json). Fields a report may lack are optional.

export const REPORT_MIME = 'application/vnd.minidafny.report+json';

export interface ReportSpan {
  line: number; // 1-based, the cell's own lines (line 1 is the `%%verify` line)
  column: number; // 1-based
  end_line?: number;
  end_column?: number; // exclusive
}

export interface ReplayJson {
  verdict: string; // "confirmed", "not reproduced", "not run"
  detail?: string;
  through?: string;
}

export interface ObligationJson extends ReportSpan {
  kind: string;
  owner?: string;
  message: string;
  description?: string;
  status: string; // "proved", "failed", "unknown"
  reason?: string;
  related?: ReportSpan[]; // the clause a failure is about (a postcondition, a callee's requires)
  success?: string; // what a proof of it means, in words
  explanation?: string; // on `errors` only
  trace?: { replay?: ReplayJson } | null; // on `errors` only
}

export interface DiagnosticJson extends ReportSpan {
  kind?: string;
  code?: string;
  message: string;
  hint?: string;
}

export interface AssumptionJson extends ReportSpan {
  text?: string;
}

export interface ReportJson {
  file?: string;
  verified?: boolean;
  verdict?: string; // "verified", "verified-assuming", "failed", "error"
  errors?: ObligationJson[];
  obligations?: ObligationJson[];
  diagnostics?: DiagnosticJson[];
  warnings?: DiagnosticJson[];
  assumptions?: AssumptionJson[];
}
