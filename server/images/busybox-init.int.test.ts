import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContextConsole } from "../lxc/context-console";
import { TestDaemon } from "../test-support/daemon-harness";

// The built-in image's init reading a UML guest's seed disk (/dev/ubdb): what the guest gets
// must not depend on how the init does it (context guests run the same init: context-network).
describe("the built-in image's init (real UML)", () => {
  const daemon = new TestDaemon();
  const shell = new ContextConsole(daemon);
  beforeAll(() => daemon.start());
  afterAll(() => daemon.cleanup());

  const stop = async (id: string) => {
    await daemon.api("POST", `/api/guests/${id}/stop`);
    expect((await daemon.waitForState(id, "stopped")).lastBoot?.outcome).toBe("powered-off");
  };

  it("applies the seed: name and network every boot, root's password and keys on the first boot only", async () => {
    const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOr5Z1c2VkZWRrZXlmb3Jjb3JyYWx0ZXN0aW5n uml@test";
    const guest = await daemon.createGuest("seeded-uml", { rootPassword: "seeded-secret-42", authorizedKeys: key });
    // Running means the init said it was ready (mconsole's user notification).
    let tap = await shell.boot(guest);
    expect(await shell.sh(tap, "hostname; cat /proc/sys/kernel/hostname")).toMatch(/^seeded-uml\r\nseeded-uml\r/m);
    const net = await shell.sh(tap, "ip -4 addr show vec0; ip link show lo; ip route; cat /etc/resolv.conf");
    expect(net).toContain("inet 10.0.2.15/24");
    expect(net).toMatch(/lo: <[^>]*\bUP\b/);
    expect(net).toMatch(/vec0: <[^>]*\bUP\b/);
    expect(net).toMatch(/^default via 10\.0\.2\.2 dev vec0/m);
    expect(net).toMatch(/^nameserver 10\.0\.2\.3\r/m);
    const shadow = /^root:(\$6\$([^$]+)\$[^:]+):/m.exec(await shell.sh(tap, "cat /etc/shadow"));
    expect(shadow).not.toBeNull();
    expect(await shell.sh(tap, `mkpasswd -m sha512 seeded-secret-42 ${shadow![2]}`)).toContain(shadow![1]);
    const keys = await shell.sh(
      tap,
      "stat -c %a /etc/shadow /root/.ssh /root/.ssh/authorized_keys; cat /root/.ssh/authorized_keys",
    );
    expect(keys).toMatch(/^600\r\n700\r\n600\r/m);
    expect(keys).toContain(`\n${key}\r`);
    // The seed is read and let go: nothing stays mounted on /mnt.
    expect(await shell.sh(tap, "grep -c ' /mnt ' /proc/mounts")).toMatch(/^0\r/m);
    // Root's password is the guest's own once set: a later boot keeps what the guest changed.
    await shell.sh(tap, "echo 'root:*:0:0:99999:7:::' > /etc/shadow; rm /root/.ssh/authorized_keys");
    await stop(guest.id);
    tap = await shell.boot(guest);
    expect((await shell.sh(tap, "cut -d: -f2 /etc/shadow; ls /root/.ssh")).replace(/\r/g, "").trim()).toBe("*");
    expect(await shell.sh(tap, "hostname; ip -4 addr show vec0")).toMatch(/^seeded-uml\r[\s\S]*inet 10\.0\.2\.15\/24/m);
    await stop(guest.id);
  });

  it("names a guest without a network and gives it no interface", async () => {
    const guest = await daemon.createGuest("offline-uml", { network: "none" });
    const tap = await shell.boot(guest);
    expect(await shell.sh(tap, "hostname; ls /sys/class/net")).toMatch(/^offline-uml\r\nlo\r/m);
    await stop(guest.id);
  });
});
