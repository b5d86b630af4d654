import { fileURLToPath } from "node:url";

/** The repository root, whatever folder a command is run from. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Where `npm start` keeps the SQLite files and the JSON log files. */
export const DATA_DIR = fileURLToPath(new URL("../../data/", import.meta.url));
export const LOG_DIR = fileURLToPath(new URL("../../data/logs/", import.meta.url));

/** The spans npm start's OTLP receiver keeps, for `npm run trace`. */
export const SPANS_FILE = fileURLToPath(new URL("../../data/traces.db", import.meta.url));
