import { sep } from 'node:path';

// Frames of the logging machinery itself, skipped to find the code that logged.
const SKIP = [
  `${sep}node_modules${sep}winston`,
  `${sep}node_modules${sep}logform${sep}`,
  `${sep}node_modules${sep}readable-stream${sep}`,
  __dirname + sep,
];

/** Where a log call came from, as OTel `code.*` attributes. */
export interface CallerInfo {
  readonly 'code.function.name'?: string;
  readonly 'code.file.path': string;
  readonly 'code.line.number': number;
}

/**
 * Captures the first stack frame outside winston and this directory. Costs a stack
 * capture, which is why callers opt in with `logging.caller`.
 */
export function captureCaller(): CallerInfo | undefined {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  try {
    Error.prepareStackTrace = (_e, frames) => frames;
    Error.stackTraceLimit = 40;
    Error.captureStackTrace(holder, captureCaller);
    const frames = holder.stack ?? [];
    for (const frame of frames) {
      const file = frame.getFileName();
      if (!file || file.startsWith('node:') || SKIP.some((s) => file.includes(s))) continue;
      const fn = frame.getFunctionName() ?? undefined;
      const method =
        frame.getTypeName() && frame.getMethodName()
          ? `${frame.getTypeName()}.${frame.getMethodName()}`
          : undefined;
      return {
        'code.function.name': fn ?? method,
        'code.file.path': file,
        'code.line.number': frame.getLineNumber() ?? 0,
      };
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}
