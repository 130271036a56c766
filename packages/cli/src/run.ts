// Entry point for running the CLI from source: `npm run dev -- <args>` (no build needed).
import { main } from "./cli.js";

await main(process.argv);
