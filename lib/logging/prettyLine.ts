const COLORS: Record<string, string> = {
  error: '\x1b[31m',
  warn: '\x1b[33m',
  info: '\x1b[32m',
  http: '\x1b[35m',
  verbose: '\x1b[36m',
  debug: '\x1b[34m',
  silly: '\x1b[90m',
};
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';
// Shown in the head of the line (or not at all), so not repeated among the fields.
const HEAD = new Set(['timestamp', 'level', 'message', 'service', 'logger', 'exception']);

/**
 * A readable line for development: `12:00:00.123 info  [orders/access] message key=value ...`,
 * the level coloured, the request id shortened, and an exception's stack on the lines below.
 */
export function prettyLine(record: Record<string, unknown>, colors: boolean): string {
  const level = String(record.level);
  const time = typeof record.timestamp === 'string' ? record.timestamp.slice(11, 23) : '';
  const paint = (code: string | undefined, text: string) => (colors && code ? code + text + RESET : text);
  const service = record.service === undefined ? '' : String(record.service);
  const logger = record.logger === undefined ? '' : String(record.logger);
  // `[orders/access]`: lines of several services share one terminal in development.
  const name = !logger || logger === service ? service : service ? `${service}/${logger}` : logger;
  let line = `${paint(DIM, time)} ${paint(COLORS[level], level.padEnd(5))} ${paint(DIM, `[${name}]`)} ${String(record.message)}`;
  for (const key of Object.keys(record)) {
    if (HEAD.has(key)) continue;
    const v = record[key];
    line += ` ${paint(DIM, `${key}=`)}${typeof v === 'string' ? quote(v) : JSON.stringify(v)}`;
  }
  const ex = record.exception as
    { type?: unknown; message?: unknown; stacktrace?: unknown; cause?: unknown } | undefined;
  if (ex && typeof ex === 'object') line += exceptionText(ex, '\n');
  return line;
}

function quote(s: string): string {
  return /^[\w.:/@+-]*$/.test(s) ? s : JSON.stringify(s);
}

function exceptionText(
  ex: { type?: unknown; message?: unknown; stacktrace?: unknown; cause?: unknown },
  prefix: string,
): string {
  let text =
    prefix +
    (typeof ex.stacktrace === 'string' ? ex.stacktrace : `${String(ex.type)}: ${String(ex.message)}`);
  const cause = ex.cause as typeof ex | undefined;
  if (cause && typeof cause === 'object') text += exceptionText(cause, '\nCaused by: ');
  return text;
}
