import { describe, expect, it } from "vitest";
import { type RecordObservation, recoveryAction } from "./recover-servers.js";
import type { ServerRecord } from "./server-record.js";

const record: ServerRecord = {
  schema: "infermark.sweep-server/v1",
  server: "tiny-h200-vllm-fp8-tp1-32x8",
  pid: 4242,
  startTime: "1000",
  bootId: "boot-a",
  host: "node1",
  port: 8000,
  owner: { pid: 4200, startTime: "990" },
  date: "2026-11-28T00:00:00.000Z",
};
/** The server still runs as recorded, and the sweep that started it is gone. */
const orphan: RecordObservation = {
  host: "node1",
  bootId: "boot-a",
  procFs: true,
  ownerAlive: false,
  groupAlive: true,
  leaderStartTime: "1000",
};

describe("recoveryAction", () => {
  it("stops the server of a sweep that is gone, when its pid is still the process recorded", () => {
    expect(recoveryAction(record, orphan)).toEqual({ kind: "stop" });
  });

  it("stops a group whose leader exited but whose processes live (its id cannot have been reused)", () => {
    const { leaderStartTime: _, ...leaderGone } = orphan;
    expect(recoveryAction(record, leaderGone)).toEqual({ kind: "stop" });
  });

  it("never signals a pid that another process holds now, or that an earlier boot recorded", () => {
    expect(recoveryAction(record, { ...orphan, leaderStartTime: "5000" })).toEqual({
      kind: "forget",
    });
    expect(recoveryAction(record, { ...orphan, bootId: "boot-b" })).toEqual({ kind: "forget" });
  });

  it("leaves a running sweep's server, and another host's, alone", () => {
    expect(recoveryAction(record, { ...orphan, ownerAlive: true })).toEqual({ kind: "keep" });
    expect(recoveryAction(record, { ...orphan, host: "node2" })).toEqual({ kind: "keep" });
  });

  it("clears up after a server that is gone", () => {
    expect(recoveryAction(record, { ...orphan, groupAlive: false })).toEqual({ kind: "gone" });
  });

  it("refuses, naming the pid and how to stop it, where it cannot tell the group is still the server", () => {
    const { leaderStartTime: _, ...noProc } = { ...orphan, procFs: false };
    expect(recoveryAction(record, noProc, "out/x/server.state")).toEqual({
      kind: "refuse",
      message:
        'out/x/server.state: server tiny-h200-vllm-fp8-tp1-32x8 (pid 4242, port 8000), started by an earlier sweep that did not stop it, may still run, and this system cannot check that process group 4242 is still that server; stop it with "kill -TERM -- -4242" (or, if it is not, delete out/x/server.state) and run again',
    });
  });
});
