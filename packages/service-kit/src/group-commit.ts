import type Database from "better-sqlite3";

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
 */
export type GroupCommit = {
  /**
   * Runs `work` in the next shared transaction; resolves once that transaction commits, with the work's
   * result and how many writes the commit held (worth logging: it shows the batching at work).
   */
  write: <T>(work: () => T) => Promise<Committed<T>>;
  /** Transactions committed and writes they held, since the start: writes ÷ commits is the batch size. */
  stats: () => { commits: number; writes: number };
};

export type Committed<T> = { result: T; batchSize: number };

type Job = { work: () => unknown; resolve: (committed: Committed<unknown>) => void; reject: (error: unknown) => void };
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export function createGroupCommit(sqlite: Database.Database, { maxBatch = 256 }: { maxBatch?: number } = {}): GroupCommit {
  let queue: Job[] = [];
  let scheduled = false;
  let commits = 0;
  let writes = 0;

  // better-sqlite3 runs a transaction function called inside another one as a savepoint: the rollback of
  // one job's savepoint leaves the others' writes in the batch.
  const one = sqlite.transaction((job: Job) => job.work());
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
    let outcomes: Outcome[];
    try {
      // IMMEDIATE: the write lock before the first read, as each write's own transaction took it.
      outcomes = batch.immediate(jobs);
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing in the batch is stored, and all are told.
      for (const job of jobs) job.reject(error);
      return;
    }
    commits++;
    writes += jobs.length;
    jobs.forEach((job, index) => {
      const outcome = outcomes[index];
      if (outcome?.ok) job.resolve({ result: outcome.value, batchSize: jobs.length });
      else job.reject(outcome?.error);
    });
  }

  function schedule(): void {
    scheduled = true;
    setImmediate(flush);
  }

  return {
    write: <T>(work: () => T) =>
      new Promise<Committed<T>>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (committed: Committed<unknown>) => void, reject });
        if (!scheduled) schedule();
      }),
    stats: () => ({ commits, writes }),
  };
}
