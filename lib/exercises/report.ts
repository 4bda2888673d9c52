import type { MimeBundle } from "../runtime/display";
import type { CheckResult } from "./result";

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The report of a check as plain text: a title line, one line per case, then the hints. */
export function reportText(result: CheckResult): string {
  const lines = [`Exercise ${result.id} · ${result.title}: ${result.passed ? "every case passed" : `${result.failed.length} of ${result.cases.length} cases failed`}`];
  for (const c of result.cases) {
    const mark = c.passed ? "  pass" : "  FAIL";
    const tail = c.passed ? `${c.actual}` : `expected ${c.expected}, got ${c.actual}${c.detail ? ` (${c.detail})` : ""}`;
    lines.push(`${mark}  ${c.name}: ${tail}`);
  }
  for (const hint of result.hints) lines.push(`  Hint: ${hint}`);
  if (result.lookFor) lines.push(`  Look at your figure: ${result.lookFor}`);
  return lines.join("\n");
}

/** The report of a check as an HTML table, with the hints below it. */
export function reportHtml(result: CheckResult): string {
  const colour = result.passed ? "#1b7f3b" : "#b3261e";
  const head = `<b style="color:${colour}">Exercise ${escapeHtml(result.id)} · ${escapeHtml(result.title)}: ${result.passed ? "every case passed" : `${result.failed.length} of ${result.cases.length} cases failed`}</b>`;
  const rows = result.cases.map((c) => {
    const mark = c.passed ? `<span style="color:#1b7f3b">✓ pass</span>` : `<span style="color:#b3261e">✗ fail</span>`;
    const detail = c.detail ? `<br><small>${escapeHtml(c.detail)}</small>` : "";
    return `<tr><td>${mark}</td><td>${escapeHtml(c.name)}</td><td>${escapeHtml(c.expected)}</td><td>${escapeHtml(c.actual)}${detail}</td></tr>`;
  });
  const table = `<table><thead><tr><th></th><th>case</th><th>expected</th><th>yours</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
  const hints = result.hints.map((h) => `<p><b>Hint:</b> ${escapeHtml(h)}</p>`).join("");
  const look = result.lookFor ? `<p><b>Look at your figure:</b> ${escapeHtml(result.lookFor)}</p>` : "";
  return `<div class="vaekit-exercise">${head}${table}${hints}${look}</div>`;
}

/** Both forms, as one MIME bundle for `displayBundle`. */
export function reportBundle(result: CheckResult): MimeBundle {
  return { "text/html": reportHtml(result), "text/plain": reportText(result) };
}
