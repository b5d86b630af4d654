import { context, SpanKind, SpanStatusCode, trace, type Context, type Span } from "@opentelemetry/api";
import type Database from "better-sqlite3";

import { lazyInstruments } from "@fishtag/tracing/metrics";

/**
 * Group commit: writes that arrive together share one transaction, and each is answered once the commit
 * that holds it is done. A commit costs about as much for one order as for twenty (the same index pages
 * are written to the WAL once), so under load this is what lets the write path keep up with the machine.
 *
 * "Together" is one turn of the event loop: a write waits for setImmediate, by which time every request
 * the loop read in the same turn has queued its own. Alone, a write waits for nothing else.
 *
 * Each write runs in a savepoint of its own: one that throws is rolled back alone and its caller gets the
 * error; its batch-mates commit. Nothing is resolved before COMMIT returns, so a crash loses only writes
 * nobody was told about (ADR 0011).
 *
 * Each write gets a span in its caller's trace, from the start of its batch to the commit: its own work,
 * and the wait for the commit it shares (the batch's size is on the span).
 */
export type GroupCommit = {
  /**
   * Runs `work` in the next shared transaction; resolves once that transaction commits, with the work's
   * result and how many writes the commit held (worth logging: it shows the batching at work).
   */
  write: <T>(work: () => T, what?: WriteName) => Promise<Committed<T>>;
  /** Transactions committed and writes they held, since the start: writes ÷ commits is the batch size. */
  stats: () => { commits: number; writes: number };
};

export type Committed<T> = { result: T; batchSize: number };

/** What a write does, for its span (OpenTelemetry's database conventions): `INSERT orders`. */
export type WriteName = { operation: string; collection: string };

type Job = {
  work: () => unknown;
  what: WriteName;
  /** The caller's context: the write's span joins the caller's trace. */
  caller: Context;
  resolve: (committed: Committed<unknown>) => void;
  reject: (error: unknown) => void;
};
const dbSpanName = (what: WriteName) => `${what.operation} ${what.collection}`;

/** OpenTelemetry's names for the two engines. */
export type DbSystem = "sqlite" | "postgresql";

// OpenTelemetry's database conventions: the system, the operation and the table; never the values.
const dbSpanOptions = (what: WriteName, batchSize?: number, system: DbSystem = "sqlite") => ({
  kind: SpanKind.CLIENT,
  attributes: {
    "db.system.name": system,
    "db.operation.name": what.operation,
    "db.collection.name": what.collection,
    ...(batchSize === undefined ? {} : { "db.transaction.batch_size": batchSize }),
  },
});

function recordFailure(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : "a value that is not an Error was thrown");
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** Every transaction's duration, commit included, and how many writes a grouped one held. */
const transactionMetrics = lazyInstruments((meter) => ({
  duration: meter.createHistogram("db.transaction.duration", {
    description: "Database transactions, commit included, grouped (many writes) or single",
    unit: "s",
    advice: { explicitBucketBoundaries: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] },
  }),
  writes: meter.createHistogram("db.transaction.writes", {
    description: "Writes per grouped transaction: how much group commit is batching",
    advice: { explicitBucketBoundaries: [1, 2, 4, 8, 16, 32, 64, 128, 256] },
  }),
}));

function recordDuration(kind: "grouped" | "single", startedAt: number, system: DbSystem = "sqlite"): void {
  transactionMetrics().duration.record((performance.now() - startedAt) / 1000, { "db.system.name": system, "db.transaction.kind": kind });
}

/** A transaction of its own (not grouped) in a span of the same shape. */
export function inTransactionSpan<T>(what: WriteName, transaction: () => T): T {
  return trace.getTracer("fishtag").startActiveSpan(dbSpanName(what), dbSpanOptions(what), (span) => {
    const startedAt = performance.now();
    try {
      return transaction();
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      recordDuration("single", startedAt);
      span.end();
    }
  });
}

/**
 * The same for a transaction that answers later (Postgres's, over a socket): the span and the duration
 * end when it has committed or failed, not when it was sent.
 */
export async function inTransactionSpanAsync<T>(what: WriteName, system: DbSystem, transaction: () => Promise<T>): Promise<T> {
  return trace.getTracer("fishtag").startActiveSpan(dbSpanName(what), dbSpanOptions(what, undefined, system), async (span) => {
    const startedAt = performance.now();
    try {
      return await transaction();
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      recordDuration("single", startedAt, system);
      span.end();
    }
  });
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export function createGroupCommit(sqlite: Database.Database, { maxBatch = 256 }: { maxBatch?: number } = {}): GroupCommit {
  let queue: Job[] = [];
  let scheduled = false;
  let commits = 0;
  let writes = 0;

  // better-sqlite3 runs a transaction function called inside another one as a savepoint: the rollback of
  // one job's savepoint leaves the others' writes in the batch.
  const one = sqlite.transaction((job: Job) => job.work());
  const tracer = trace.getTracer("fishtag");
  const batch = sqlite.transaction((jobs: Job[]): Outcome[] =>
    jobs.map((job) => {
      try {
        return { ok: true, value: one(job) };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );

  function flush(): void {
    scheduled = false;
    const jobs = queue.slice(0, maxBatch);
    queue = queue.slice(jobs.length);
    if (queue.length > 0) schedule();
    const scopes = jobs.map((job) => spanFor(job, jobs.length));
    let outcomes: Outcome[];
    const startedAt = performance.now();
    try {
      // IMMEDIATE: the write lock before the first read, as each write's own transaction took it.
      outcomes = batch.immediate(jobs.map((job, index) => ({ ...job, work: () => context.with(scopes[index] ?? job.caller, job.work) })));
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing in the batch is stored, and all are told.
      jobs.forEach((job, index) => {
        end(scopes[index], error);
        job.reject(error);
      });
      return;
    } finally {
      recordDuration("grouped", startedAt);
    }
    transactionMetrics().writes.record(jobs.length, { "db.system.name": "sqlite" });
    commits++;
    writes += jobs.length;
    jobs.forEach((job, index) => {
      const outcome = outcomes[index];
      end(scopes[index], outcome?.ok ? undefined : outcome?.error);
      if (outcome?.ok) job.resolve({ result: outcome.value, batchSize: jobs.length });
      else job.reject(outcome?.error);
    });
  }

  /** The write's span, started in its caller's trace; returned as the context its work runs in. */
  function spanFor(job: Job, batchSize: number): Context {
    const span = tracer.startSpan(dbSpanName(job.what), dbSpanOptions(job.what, batchSize), job.caller);
    return trace.setSpan(job.caller, span);
  }

  function end(spanContext: Context | undefined, error: unknown): void {
    const span: Span | undefined = spanContext && trace.getSpan(spanContext);
    if (span && error !== undefined) recordFailure(span, error);
    span?.end();
  }

  function schedule(): void {
    scheduled = true;
    setImmediate(flush);
  }

  return {
    write: <T>(work: () => T, what: WriteName = { operation: "WRITE", collection: "" }) =>
      new Promise<Committed<T>>((resolve, reject) => {
        queue.push({ work, what, caller: context.active(), resolve: resolve as (committed: Committed<unknown>) => void, reject });
        if (!scheduled) schedule();
      }),
    stats: () => ({ commits, writes }),
  };
}
