import { StatusError } from "../../context.js";
import { TemplateExecError, TemplateParseError } from "../../format/go-template.js";
import { renderFormatted } from "../../format/render.js";

/** renderFormatted with docker's list-command wording for template failures (exit 1). */
export function renderList(template: string, rows: unknown[], headers: Record<string, unknown>): string {
  try {
    return renderFormatted(template, rows, { headers });
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof TemplateParseError) throw new StatusError(1, `failed to parse template: ${cause.message}`);
    if (cause instanceof TemplateExecError) throw new StatusError(1, `failed to execute template: ${cause.message}`);
    throw err;
  }
}
