import Transport from 'winston-transport';

/** A winston transport that keeps every written entry, for assertions. */
export class MemoryTransport extends Transport {
  readonly entries: Record<string, any>[] = [];

  override log(info: any, callback: () => void): void {
    this.entries.push(info);
    callback();
  }
}
