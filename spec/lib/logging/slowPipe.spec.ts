import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { LineTransport } from '../../../lib/logging/LineTransport';
import { createObservability } from '../../../middleware/createObservability';
import { get, loadWithProbes, percentile, sample, startPipedApp } from '../../fixtures/slowPipe';

const DROPPED = 'express_observability_log_lines_dropped_total';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Complete JSON lines of `output` (a line the exit flush cut off at its deadline is left out). */
const jsonLines = (output: string): Array<{ message: string; seq?: number }> =>
  output
    .split('\n')
    .slice(0, -1)
    .map((l) => JSON.parse(l) as { message: string; seq?: number });

describe('LineTransport on a pipe nobody reads', () => {
  let dir: string;
  let readEnd: number;
  let writeEnd: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stuck-pipe-'));
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    readEnd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    writeEnd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  });
  afterEach(() => {
    closeSync(readEnd);
    closeSync(writeEnd);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Reads the pipe until it stays empty and the transport holds nothing more (bounded). */
  async function drain(transport: LineTransport): Promise<string> {
    const held = () => (transport as unknown as { _stream: { length: number } })._stream.length;
    const buf = Buffer.alloc(1 << 16);
    const chunks: Buffer[] = [];
    for (let i = 0; i < 400; i++) {
      let n = 0;
      try {
        n = readSync(readEnd, buf, 0, buf.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      }
      if (n > 0) chunks.push(Buffer.from(buf.subarray(0, n)));
      else if (held() === 0) break;
      else await sleep(5);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  it('keeps lines in order up to maxPendingLength, drops and counts the rest, reports once, and writes what it kept once the reader comes back', async () => {
    const transport = new LineTransport({ destination: writeEnd, maxPendingLength: 100_000 });
    const reports: unknown[] = [];
    const obs = createObservability({
      serviceName: 'stuck-pipe',
      global: false,
      tracing: false,
      onError: (e) => reports.push(e),
      logging: { transports: [transport], format: 'json', accessLog: false },
    });
    const app = express().use(obs.routes());
    const pad = 'x'.repeat(1000);
    const total = 400;
    // 400 KB against a 64 KiB pipe and 100 KB of buffer, over several turns.
    for (let seq = 0; seq < total; seq++) {
      obs.logger.info('line', { seq, pad });
      if (seq % 50 === 49) await sleep(1);
    }
    await sleep(10);
    expect(transport.dropped).toBeGreaterThan(0);
    const scrape = await request(app).get('/metrics');
    expect(sample(scrape.text, DROPPED)).toBe(transport.dropped);
    expect(reports).toEqual([expect.objectContaining({ message: expect.stringMatching(/lines dropped/) })]);

    const seqs = jsonLines(await drain(transport)).map((l) => l.seq);
    // What was kept is the first lines, whole and in order; the rest are the dropped ones.
    expect(seqs).toEqual(Array.from({ length: total - transport.dropped }, (_, i) => i));
    await obs.shutdown();
  });
});

describe('default log output on stdout, a real pipe to another process', () => {
  jest.setTimeout(60_000);

  it('keeps answering at normal latency with a reader draining 100 KB/s, and counts the lines it drops', async () => {
    const piped = await startPipedApp(100_000);
    const load = await loadWithProbes(piped.url, { durationMs: 3000, concurrency: 2, probeEveryMs: 20 });
    const scrape = await get(`${piped.url}/metrics`, 5000);
    const reports = JSON.parse((await get(`${piped.url}/fixture/reports`, 5000)).body) as string[];
    const { code, output, exitMs } = await piped.exit();
    process.stdout.write(
      `slow reader: served ${load.served}, liveness p50 ${percentile(load.probeMs, 50).toFixed(1)} ms p99 ${percentile(load.probeMs, 99).toFixed(1)} ms over ${load.probeMs.length} probes, dropped ${sample(scrape.body, DROPPED)}, exit ${exitMs} ms\n`,
    );

    expect(load.probeFailures).toBe(0);
    expect(percentile(load.probeMs, 99)).toBeLessThan(100);
    // 64 lines of 1 KB per request: at 100 KB/s a blocking output would serve about 5 in 3 s.
    expect(load.served).toBeGreaterThan(100);
    expect(sample(scrape.body, DROPPED)).toBeGreaterThan(0);
    expect(reports).toEqual([expect.stringMatching(/^logging: log output: lines dropped/)]);
    expect(code).toBe(0);
    // What got through is whole lines in order; the gaps are the dropped ones.
    const seqs = jsonLines(output)
      .filter((l) => l.message === 'chatty')
      .map((l) => l.seq!);
    expect(seqs.length).toBeGreaterThan(0);
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1])).toBe(true);
  });

  it('with a reader that keeps up, every line arrives in order, those of the exiting turn too', async () => {
    const piped = await startPipedApp(0);
    // 16 KB per request from one client: within what the reader (and this process, reading its copy) passes on.
    const load = await loadWithProbes(piped.url, { durationMs: 1500, concurrency: 1, probeEveryMs: 50, lines: 16 });
    const scrape = await get(`${piped.url}/metrics`, 5000);
    const { code, output, logged } = await piped.exit(500);

    expect(load.served).toBeGreaterThan(0);
    expect(sample(scrape.body, DROPPED)).toBe(0);
    expect(code).toBe(0);
    const lines = jsonLines(output);
    expect(output.endsWith('\n')).toBe(true);
    const seqs = lines.filter((l) => l.message === 'chatty' || l.message === 'last line').map((l) => l.seq);
    expect(seqs).toEqual(Array.from({ length: logged }, (_, i) => i));
    expect(lines.at(-1)).toEqual(expect.objectContaining({ message: 'last line', seq: logged - 1 }));
  });
});
