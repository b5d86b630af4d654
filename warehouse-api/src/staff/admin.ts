import type { Logger } from "@fishtag/tracing/logger";

import type { StaffRepo } from "./staff.repo.js";

/** Creates the first admin from the environment, once: an existing account is never overwritten. */
export async function ensureAdmin(staff: StaffRepo, logger: Logger, admin: { email: string; password: string } | undefined) {
  if (!admin || (await staff.findUserByEmail(admin.email))) return;
  let user;
  try {
    user = await staff.addUser({ email: admin.email, name: "Admin", password: admin.password, role: "admin" });
  } catch (error) {
    // Replicas starting together (on Postgres) all find no admin and all add one: the email's unique index
    // keeps the first, and the others find it there now.
    if (await staff.findUserByEmail(admin.email)) return;
    throw error;
  }
  logger.info(
    { staffId: user.id, email: user.email },
    "admin staff account created from WAREHOUSE_ADMIN_EMAIL and WAREHOUSE_ADMIN_PASSWORD (npm start sets them)",
  );
}
