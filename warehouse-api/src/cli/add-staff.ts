/**
 * Adds a staff account to the warehouse database:
 *
 *   echo 'a long password' | npm run staff:add -- --email sam@example.com --name "Sam" [--role admin]   (from the repository root: ./data/warehouse.db)
 *
 * The password is read from standard input, so it stays out of the shell history and the process list.
 * Staff unless `--role admin`: the way in for someone who runs the warehouse, when no admin can sign in.
 */
import { text } from "node:stream/consumers";
import { parseArgs } from "node:util";

import { z } from "zod";

import { closeDatabase, openDatabase } from "../db/client.js";
import { loadEnv } from "../env.js";
import { STAFF_ROLES } from "../staff/roles.js";
import { createStaffRepo } from "../staff/staff.repo.js";
import { NewPasswordSchema, StaffEmailSchema, StaffNameSchema } from "../staff/staff.schemas.js";

const Args = z.object({
  email: StaffEmailSchema,
  name: StaffNameSchema,
  role: z.enum(STAFF_ROLES).default("staff"),
  password: NewPasswordSchema,
});

const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string" } } });
const parsed = Args.safeParse({ ...values, password: (await text(process.stdin)).replace(/\r?\n$/, "") });
if (!parsed.success) {
  console.error(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n"));
  console.error('usage: echo "<password>" | npm run staff:add -- --email <email> --name <name> [--role admin|staff]');
  process.exit(2);
}

const env = loadEnv();
const where = env.WAREHOUSE_DATABASE_URL ?? env.WAREHOUSE_DB_PATH;
const database = await openDatabase(where);
const staff = createStaffRepo(database);
if (await staff.findUserByEmail(parsed.data.email)) {
  console.error(`A staff account for ${parsed.data.email} exists already.`);
  process.exit(1);
}
const user = await staff.addUser(parsed.data);
await closeDatabase(database);
console.log(
  `Added ${user.name} <${user.email}> (${user.role}) to ${env.WAREHOUSE_DATABASE_URL ? "the Postgres database" : env.WAREHOUSE_DB_PATH}.`,
);
