import { z } from "@hono/zod-openapi";
import { createSelectSchema } from "drizzle-zod";

import { staffUsers } from "../db/schema.js";

// Field rules derive from the staff table (drizzle-zod) plus the bounds the API promises, as the orders' do.

const userFields = createSelectSchema(staffUsers).shape;

/**
 * A password someone chooses: long rather than complicated (NIST SP 800-63B asks for length and no
 * composition rules). The same rule for the first admin (env), the CLI, an admin's reset and one's own change.
 */
export const NewPasswordSchema = z
  .string()
  .min(12, "Use at least 12 characters.")
  .max(200, "Use at most 200 characters.")
  .refine((password) => password.trim() !== "", "Use more than spaces.");

export const StaffNameSchema = z.string().trim().min(1, "Give a name.").max(100, "Use at most 100 characters.");

export const StaffEmailSchema = z.email("Give an email address.").max(254).toLowerCase();

export const StaffUserSchema = z
  .object({ id: z.uuid(), email: userFields.email, name: userFields.name, role: userFields.role })
  .openapi("StaffUser");

export const StaffAccountSchema = StaffUserSchema.extend({
  disabled: z.boolean().openapi({ description: "A disabled account cannot sign in; disabling it ended its sessions." }),
  createdAt: z.iso.datetime(),
}).openapi("StaffAccount");

export type StaffAccountJson = z.infer<typeof StaffAccountSchema>;

export const StaffAccountsSchema = z.object({ items: z.array(StaffAccountSchema) }).openapi("StaffAccounts");

const notTheEmail = (account: { email: string; password: string }) => account.password.toLowerCase() !== account.email;

export const AddAccountSchema = z
  .object({ name: StaffNameSchema, email: StaffEmailSchema, role: userFields.role, password: NewPasswordSchema })
  .refine(notTheEmail, { path: ["password"], message: "Use something other than the email address." })
  .openapi("AddStaffAccount");

export const ChangeAccountSchema = z
  .object({
    role: userFields.role.optional(),
    disabled: z.boolean().optional().openapi({ description: "true: the account cannot sign in, and its sessions end at once." }),
  })
  .refine((change) => change.role !== undefined || change.disabled !== undefined, { message: "Change the role, disabled, or both." })
  .openapi("ChangeStaffAccount");

export const ResetPasswordSchema = z.object({ password: NewPasswordSchema }).openapi("ResetStaffPassword");

export const OwnPasswordSchema = z
  .object({ currentPassword: z.string().min(1, "Give your current password.").max(200), newPassword: NewPasswordSchema })
  .refine((change) => change.newPassword !== change.currentPassword, {
    path: ["newPassword"],
    message: "Choose a password other than the current one.",
  })
  .openapi("ChangeOwnPassword");

export const AccountIdParamsSchema = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" } }),
});
