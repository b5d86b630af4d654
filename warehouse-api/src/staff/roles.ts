// Who may do what on the dashboard. Every staff member moves orders and changes their own password; an
// admin also manages the staff accounts. The schema's role column takes its values from here.
export const STAFF_ROLES = ["admin", "staff"] as const;

export type StaffRole = (typeof STAFF_ROLES)[number];
