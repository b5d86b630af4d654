/** The checkout form as the store's page posts it, Ada's details unless a test says otherwise. */
export function checkoutForm(fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  const values: Record<string, string> = {
    name: "Ada Lovelace",
    email: "ada@example.com",
    reference: "PO-1001",
    line1: "12 Analytical Row",
    line2: "",
    city: "London",
    postalCode: "N1 9GU",
    country: "GB",
    ...fields,
  };
  for (const [key, value] of Object.entries(values)) form.set(key, value);
  return form;
}
