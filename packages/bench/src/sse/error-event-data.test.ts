import { describe, expect, it } from "vitest";
import { errorEventData } from "./error-event-data.js";

describe("errorEventData", () => {
  it("keeps an error object, wraps another object, and makes text (or nothing) the message", () => {
    expect(errorEventData('{"error":{"message":"a"}}')).toBe('{"error":{"message":"a"}}');
    expect(errorEventData(' {"code":400,"message":"b"} ')).toBe(
      '{"error":{"code":400,"message":"b"}}',
    );
    expect(errorEventData("worker lost")).toBe('{"error":{"message":"worker lost"}}');
    expect(errorEventData("{not json")).toBe('{"error":{"message":"{not json"}}');
    expect(errorEventData(undefined)).toBe(
      '{"error":{"message":"the server sent an error event without a message"}}',
    );
  });
});
