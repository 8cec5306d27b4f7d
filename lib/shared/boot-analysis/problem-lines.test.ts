import { describe, expect, it } from "vitest";
import { ProblemLineSpotter } from "./problem-lines";

describe("ProblemLineSpotter", () => {
  it("passes over what a ready guest prints every boot: banners, prompts, started units", () => {
    const s = new ProblemLineSpotter();
    expect(s.feed("\r\n\r\nBusyBox v1.35.0 built-in shell (ash)\r\nEnter 'help' for a list.\r\n\r\n")).toBe(false);
    expect(s.feed("bb:/# \x1b[6n")).toBe(false);
    expect(s.feed("[  OK  ] Started \x1b[0;1;39mcron.service\x1b[0m - Regular background program.\r\n")).toBe(false);
    expect(s.feed("Debian GNU/Linux 12 deb tty0\r\n\r\ndeb login: ")).toBe(false);
  });

  it("spots a failed unit in the chunk that completes its line, split anywhere", () => {
    const s = new ProblemLineSpotter();
    expect(s.feed("[\x1b[0;1;31mFAILED\x1b[0m] Failed to st")).toBe(false);
    expect(s.feed("art \x1b[0;1;39mcorral-injected.service\x1b[0m - Injected failure.")).toBe(false);
    expect(s.feed("\r\n")).toBe(true);
    expect(s.feed("deb login: ")).toBe(false);
  });

  it("spots the kernel's and busybox's troubles, with or without printk times", () => {
    expect(new ProblemLineSpotter().feed("[   12.5] Out of memory: Killed process 312 (big) total-vm:1kB\r\n")).toBe(
      true,
    );
    expect(new ProblemLineSpotter().feed("can't run '/etc/init.d/late': No such file or directory\r\n")).toBe(true);
    expect(new ProblemLineSpotter().feed("EXT4-fs error (device ubda): bad block\r\n")).toBe(true);
  });
});
