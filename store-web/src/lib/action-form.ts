/**
 * What a server action was really given as its form. The types say FormData, but an action is an HTTP
 * endpoint: a crafted call can pass any value Next can decode. Anything but a form becomes an empty one,
 * which every action already refuses as invalid input, instead of a TypeError and a 500.
 */
export function actionForm(value: unknown): FormData {
  return value instanceof FormData ? value : new FormData();
}
