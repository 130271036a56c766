import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { collectProvenance } from "./provenance.js";

const ACTIONS = {
  GITHUB_SHA: "0123abcd",
  GITHUB_SERVER_URL: "https://github.com",
  GITHUB_REPOSITORY: "acme/nightly",
  GITHUB_RUN_ID: "27213443242",
};

describe("collectProvenance", () => {
  it("links a GitHub Actions point to the attempt that measured it", async () => {
    // before, a re-run's points had the first attempt's link: runs/27213443242, for both attempts
    expect(await collectProvenance(".", { ...ACTIONS, GITHUB_RUN_ATTEMPT: "2" })).toEqual({
      gitSha: "0123abcd",
      ciUrl: "https://github.com/acme/nightly/actions/runs/27213443242/attempts/2",
      host: hostname(),
    });
  });

  it("links the run when the runner does not say the attempt", async () => {
    expect((await collectProvenance(".", ACTIONS)).ciUrl).toBe(
      "https://github.com/acme/nightly/actions/runs/27213443242",
    );
    expect((await collectProvenance(".", { ...ACTIONS, GITHUB_RUN_ATTEMPT: "" })).ciUrl).toBe(
      "https://github.com/acme/nightly/actions/runs/27213443242",
    );
  });

  it("links a Slurm job by cluster and id", async () => {
    expect(
      (
        await collectProvenance(".", {
          GITHUB_SHA: "x",
          SLURM_CLUSTER_NAME: "c1",
          SLURM_JOB_ID: "9",
        })
      ).ciUrl,
    ).toBe("slurm:c1/9");
  });
});
