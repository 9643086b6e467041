/**
 * An error that carries the HTTP status to answer with: the library's error handler
 * reads `status`, records the error on the span and the access log, and answers
 * `{ error: message }` (4xx messages are always shown, 5xx ones not in production).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = status >= 500 ? 'ServerError' : 'ClientError';
  }
}
