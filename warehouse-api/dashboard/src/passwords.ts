/** The password rule as staff read it: the API's NewPasswordSchema (src/staff/staff.schemas.ts) checks it. */
export const PASSWORD_HINT = "At least 12 characters. A few unrelated words are long and easy to remember.";
/** The longest password the API takes (NewPasswordSchema's max), so the input stops where the API would refuse. */
export const PASSWORD_MAX = 200;
