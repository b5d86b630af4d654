/**
 * Adds a staff account to the warehouse database:
 *
 *   echo 'a long password' | npm run staff:add -- --email sam@example.com --name "Sam"   (from the repository root: ./data/warehouse.db)
 *
 * The password is read from standard input, so it stays out of the shell history and the process list.
 */
import { text } from "node:stream/consumers";
import { parseArgs } from "node:util";

import { z } from "zod";

import { openDatabase } from "../db/client.js";
import { loadEnv } from "../env.js";
import { createStaffRepo } from "../staff/staff.repo.js";

const Args = z.object({
  email: z.email(),
  name: z.string().trim().min(1).max(100),
  password: z.string().min(12, "The password must be at least 12 characters.").max(200),
});

const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" } } });
const parsed = Args.safeParse({ ...values, password: (await text(process.stdin)).replace(/\r?\n$/, "") });
if (!parsed.success) {
  console.error(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n"));
  console.error('usage: echo "<password>" | npm run staff:add -- --email <email> --name <name>');
  process.exit(2);
}

const env = loadEnv();
const staff = createStaffRepo(openDatabase(env.WAREHOUSE_DB_PATH));
if (staff.findUserByEmail(parsed.data.email)) {
  console.error(`A staff account for ${parsed.data.email} exists already.`);
  process.exit(1);
}
const user = await staff.addUser(parsed.data);
console.log(`Added ${user.name} <${user.email}> to ${env.WAREHOUSE_DB_PATH}.`);
