import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createGroupCommit } from "./group-commit.js";

let dir: string;
let sqlite: Database.Database;
/** Another connection to the same file: what it sees is what was committed. */
let reader: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "group-commit-"));
  sqlite = new Database(join(dir, "db.sqlite"));
  sqlite.pragma("journal_mode = WAL");
  sqlite.exec(
    "CREATE TABLE parents (id INTEGER PRIMARY KEY); CREATE TABLE rows (id TEXT PRIMARY KEY, parent INTEGER REFERENCES parents(id))",
  );
  reader = new Database(join(dir, "db.sqlite"), { readonly: true });
});
afterEach(() => {
  reader.close();
  sqlite.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (id: string) => () => sqlite.prepare("INSERT INTO rows (id) VALUES (?)").run(id).changes;
const committed = () => (reader.prepare("SELECT id FROM rows ORDER BY id").all() as { id: string }[]).map((row) => row.id);

describe("group commit", () => {
  it("puts the writes of one turn in one transaction, and resolves each only once it is committed", async () => {
    const group = createGroupCommit(sqlite);
    const seenAtResolve: string[][] = [];
    const writes = ["a", "b", "c"].map((id) =>
      group.write(insert(id)).then((committedWrite) => {
        seenAtResolve.push(committed());
        return committedWrite;
      }),
    );
    expect(committed()).toEqual([]);

    expect(await Promise.all(writes)).toEqual([1, 1, 1].map((changes) => ({ result: changes, batchSize: 3 })));
    expect(seenAtResolve).toEqual([
      ["a", "b", "c"],
      ["a", "b", "c"],
      ["a", "b", "c"],
    ]);
    expect(group.stats()).toEqual({ commits: 1, writes: 3 });
  });

  it("rolls back a write that throws alone: its caller gets the error, its batch-mates commit", async () => {
    const group = createGroupCommit(sqlite);
    const results = await Promise.allSettled([
      group.write(insert("a")),
      group.write(() => {
        insert("b")();
        insert("a")(); // a duplicate key, after b: both of this write's rows go
      }),
      group.write(insert("c")),
    ]);

    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
    expect(committed()).toEqual(["a", "c"]);
    expect(group.stats()).toEqual({ commits: 1, writes: 3 });
  });

  it("tells every write of a batch whose commit fails, and stores none of them", async () => {
    // A deferred foreign key is checked at COMMIT: the batch's one commit fails.
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("defer_foreign_keys = ON");
    const group = createGroupCommit(sqlite);
    const results = await Promise.allSettled([
      group.write(insert("a")),
      group.write(() => sqlite.prepare("INSERT INTO rows (id, parent) VALUES ('orphan', 42)").run()),
    ]);

    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect(committed()).toEqual([]);
    expect(sqlite.inTransaction).toBe(false);
    expect(await group.write(insert("b"))).toEqual({ result: 1, batchSize: 1 });
    expect(committed()).toEqual(["b"]);
  });

  it("gives a write of a later turn a transaction of its own, and caps a batch's size", async () => {
    const group = createGroupCommit(sqlite, { maxBatch: 2 });
    await Promise.all(["a", "b", "c"].map((id) => group.write(insert(id))));
    await group.write(insert("d"));

    expect(committed()).toEqual(["a", "b", "c", "d"]);
    expect(group.stats()).toEqual({ commits: 3, writes: 4 });
  });
});
