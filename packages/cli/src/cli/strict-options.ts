import type { Command, Option } from "commander";

/**
 * Flags whose command says itself what is wrong with an empty value (`--db " "`: the store names the default it
 * would have fallen back to; `--model-name`: a name is expected; `--run-url`: an http(s) link is expected).
 */
const EMPTY_SAID_BY_COMMAND = new Set(["db", "model-name", "hardware-name", "run-url"]);

/**
 * Makes every command of the tree refuse an empty flag value (`--catalog ""`, `-o "$UNSET"`) as a usage error that
 * names the flag (exit 2): commands read an empty value as the flag left out and went on with its default (the
 * built-in catalog, stdout, the default database or output folder). A flag's own parser, when it has one, speaks
 * first. A flag given twice keeps its last value, as most command lines do (a script's defaults, then an override).
 * @example strictOptions(program) // after every command is registered
 */
export function strictOptions(command: Command): void {
  for (const option of command.options as Option[]) {
    if (!(option.required || option.optional) || EMPTY_SAID_BY_COMMAND.has(option.name())) continue;
    // commander's own listener, added with the option, has parsed the value by now
    command.on(`option:${option.name()}`, (value: unknown) => {
      if (typeof value !== "string" || value.trim() !== "") return;
      const flag = option.long ?? option.short ?? option.flags;
      command.error(
        `error: option '${option.flags}' argument '${value}' is invalid. ${flag} expects a value, got an empty one`,
        { exitCode: 2, code: "commander.invalidArgument" },
      );
    });
  }
  for (const sub of command.commands) strictOptions(sub);
}
