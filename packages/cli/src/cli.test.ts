import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "./cli.js";

/** Every command path of the tree, e.g. ["catalog", "gpus"]. */
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((sub) => {
    const path = [...prefix, sub.name()];
    return [path, ...commandPaths(sub, path)];
  });
}

describe("infermark command tree", () => {
  const paths = commandPaths(buildProgram());

  it("has the foundation's commands", () => {
    const names = paths.map((p) => p.join(" "));
    expect(names).toEqual(
      expect.arrayContaining([
        "validate",
        "aggregate",
        "catalog",
        "catalog gpus",
        "catalog models",
      ]),
    );
  });

  it.each(paths.map((p) => [p.join(" "), p] as const))(
    "`%s --help` prints its usage and description",
    async (_, path) => {
      let out = "";
      const program = buildProgram({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
      await expect(
        program.parseAsync(["node", "infermark", ...path, "--help"]),
      ).rejects.toMatchObject({
        code: "commander.helpDisplayed",
        exitCode: 0,
      });
      expect(out).toContain(`Usage: infermark ${path.join(" ")}`);
      const leaf = path.reduce<Command>(
        (cmd, name) => cmd.commands.find((c) => c.name() === name)!,
        buildProgram(),
      );
      expect(leaf.description().length, `${path.join(" ")} needs a description`).toBeGreaterThan(
        10,
      );
      expect(out).toContain(leaf.description().slice(0, 30));
    },
  );
});
