/**
 * docker/cli's formatter and inspector logic: `--format` (table, json and
 * custom templates) for list commands and `-f` for inspect commands.
 */
import { InvalidArgumentError } from "../../lib/errors.js";
import { HEADER_FUNCS, parseTemplate, registerFormatContext, TemplateExecError, type Template } from "./go-template.js";
import { goJsonMarshal } from "../../lib/template/go-json.js";
import { tabwrite } from "./tabwriter.js";

export interface RenderOptions {
  /** Field name → header text, e.g. { ID: "CONTAINER ID", Image: "IMAGE" }. */
  headers: Record<string, unknown>;
}

/** A template that failed to parse or execute; message starts "template parsing error: ". */
export class FormatError extends InvalidArgumentError {}

/** True when the format asks for a table (docker: prefix "table"). */
export function isTableFormat(format: string): boolean {
  return format.startsWith("table");
}

/** docker's preFormat: strip "table", map "json", trim spaces, turn literal \t and \n into characters. */
export function finalFormat(format: string): string {
  let f = format;
  if (isTableFormat(f)) f = f.slice("table".length);
  else if (f === "json") f = "{{json .}}";
  f = f.replace(/^ +| +$/g, "");
  return f.replace(/\\t|\\n/g, (m) => (m === "\\t" ? "\t" : "\n"));
}

function parseOrThrow(src: string): Template {
  try {
    return parseTemplate(src);
  } catch (e) {
    throw new FormatError(`template parsing error: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Renders rows like docker's formatter.Context.Write. Each row is executed
 * with a trailing newline; for "table ..." formats the header row (the same
 * template run on `headers` with docker's header functions, errors ignored as
 * docker ignores them) is prepended and everything goes through tabwriter
 * (minwidth 10, tabwidth 1, padding 3, spaces). Plain "table" is the
 * caller's to replace with the command's default table format.
 * Rows are marked as formatter contexts, so `{{json .}}` sorts their keys and
 * includes zero-argument methods, like docker's marshalMap.
 */
export function renderFormatted(format: string, rows: unknown[], opts: RenderOptions): string {
  const tmpl = parseOrThrow(finalFormat(format));
  let body = "";
  for (const row of rows) {
    if (typeof row === "object" && row !== null) registerFormatContext(row);
    try {
      body += tmpl.execute(row);
    } catch (e) {
      throw new FormatError(`template parsing error: ${(e as Error).message}`, { cause: e });
    }
    body += "\n";
  }
  if (!isTableFormat(format)) return body;
  let header: string;
  try {
    header = tmpl.withFuncs(HEADER_FUNCS).execute(opts.headers);
  } catch (e) {
    header = e instanceof TemplateExecError ? e.partial : "";
  }
  return tabwrite(header + "\n" + body, { minwidth: 10, tabwidth: 1, padding: 3, padchar: " " });
}

export interface InspectResult {
  /** Bytes to print on stdout. */
  output: string;
  /** One message per item that failed ("template parsing error: ..."); exit status 1 if any. */
  errors: string[];
}

/**
 * `docker inspect` output. Without a format: indented JSON array (see
 * inspectJson); "json": compact JSON array; otherwise the template runs per
 * item, one output line each. Like docker's raw-data fallback, a key missing
 * from the data is an error ("map has no entry for key").
 * A template syntax error throws FormatError (docker exits 64).
 */
export function renderInspect(format: string, items: unknown[]): InspectResult {
  if (format === "") return { output: inspectJson(items), errors: [] };
  if (format === "json") {
    const out = items.length === 0 ? "[]" : goJsonMarshal(items, { escapeHTML: true });
    return { output: out + "\n", errors: [] };
  }
  const tmpl = parseOrThrow(format).withMissingKey("error");
  let output = "";
  const errors: string[] = [];
  for (const item of items) {
    try {
      output += tmpl.execute(item) + "\n";
    } catch (e) {
      errors.push(`template parsing error: ${(e as Error).message}`);
    }
  }
  return { output: output === "" ? "\n" : output, errors };
}

/**
 * Docker's inspect JSON: the array indented with 4 spaces, as dockerd's
 * encoder escaped it (<, > and & as \u003c, \u003e, \u0026), plus a newline.
 * Object keys keep the order the API sent them in.
 */
export function inspectJson(items: unknown[]): string {
  if (items.length === 0) return "[]\n";
  return goJsonMarshal(items, { escapeHTML: true, indent: "    " }) + "\n";
}
