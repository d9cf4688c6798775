/**
 * What `npm run bench:call` records while it drives a call: each stage's time and requests, the
 * process's memory high-water (everything runs in this one process locally), and what the stack
 * logs about its executions.
 */

const now = () => performance.now();

/** What the local stack says about its executions (its `log` option), counted. */
export class StackLog {
  readonly started = new Set<string>();
  readonly ended = new Map<string, string>();
  readonly endings: Record<string, number> = {};
  lines = 0;

  readonly log = (message: string): void => {
    this.lines++;
    const started = /execution (\S+) started$/.exec(message);
    if (started) this.started.add(started[1]);
    const ended = /execution (\S+) (SUCCEEDED|FAILED|TIMED_OUT|ABORTED)/.exec(message);
    if (ended) {
      this.ended.set(ended[1], ended[2]);
      this.endings[ended[2]] = (this.endings[ended[2]] ?? 0) + 1;
    }
    // Executions still waiting when the stack stops end ABORTED (Local.ServerStopped): expected.
    if (/FAILED|TIMED_OUT|ABORTED|error|failed|not run/i.test(message) && !/Local\.ServerStopped/.test(message))
      this.keep(`[stack] ${message}`);
  };

  /** Notable lines, each distinct one once with how often it came. */
  readonly repeats = new Map<string, number>();

  keep(line: string): void {
    const text = line.length > 400 ? `${line.slice(0, 400)}…` : line;
    if (this.repeats.has(text) || this.repeats.size < 20) this.repeats.set(text, (this.repeats.get(text) ?? 0) + 1);
  }

  get notable(): string[] {
    return [...this.repeats].map(([text, n]) => (n > 1 ? `${text} (×${n})` : text));
  }
}

export interface MemoryPeak {
  rssMiB: number;
  heapUsedMiB: number;
}

const MiB = 2 ** 20;

/** Samples process.memoryUsage() and keeps the high-water, overall and since the last `mark()`. */
export class MemorySampler {
  readonly overall: MemoryPeak = { rssMiB: 0, heapUsedMiB: 0 };
  private sinceMark: MemoryPeak = { rssMiB: 0, heapUsedMiB: 0 };
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = 200) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  sample(): void {
    const usage = process.memoryUsage();
    for (const peak of [this.overall, this.sinceMark]) {
      peak.rssMiB = Math.max(peak.rssMiB, Math.round(usage.rss / MiB));
      peak.heapUsedMiB = Math.max(peak.heapUsedMiB, Math.round(usage.heapUsed / MiB));
    }
  }

  /** The peak since the last mark, and starts a new one. */
  mark(): MemoryPeak {
    this.sample();
    const peak = this.sinceMark;
    this.sinceMark = { rssMiB: 0, heapUsedMiB: 0 };
    this.sample();
    return peak;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export interface StageFigure {
  name: string;
  /** applications the stage moved */
  applications: number;
  /** HTTP requests the driver sent in it (polling included) */
  requests: number;
  ms: number;
  memory: MemoryPeak;
}

/** Counts the driver's requests; each stage reads how many it sent. */
export class RequestCounter {
  total = 0;
  /** requests answered 502, 503 or 504 (a handler past the API's time): each asked again, and a failed check */
  readonly gatewayErrors: string[] = [];

  add(n = 1): void {
    this.total += n;
  }

  /** Notes a gateway error; true when `status` is one. */
  gatewayError(status: number, what: string): boolean {
    if (status < 502 || status > 504) return false;
    this.gatewayErrors.push(`${what}: ${status}`);
    return true;
  }
}

/** Times the stages one after another, each with its applications, requests and memory peak. */
export class StageClock {
  readonly stages: StageFigure[] = [];

  constructor(
    private readonly memory: MemorySampler,
    private readonly requests: RequestCounter,
    private readonly progress: (message: string) => void,
  ) {}

  async run<T>(name: string, applications: number, work: () => Promise<T>): Promise<T> {
    this.progress(`${name}: ${applications} applications…`);
    this.memory.mark();
    const requestsBefore = this.requests.total;
    const startedAt = now();
    const result = await work();
    const figure: StageFigure = {
      name,
      applications,
      requests: this.requests.total - requestsBefore,
      ms: Math.round(now() - startedAt),
      memory: this.memory.mark(),
    };
    this.stages.push(figure);
    this.progress(`   ${name}: ${(figure.ms / 1000).toFixed(1)} s, ${figure.requests} requests`);
    return result;
  }
}
