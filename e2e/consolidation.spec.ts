import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { TABLE_COLUMNS } from "../lib/shared/consolidation";
import { parseCsv } from "./csv";
import type { GuestView } from "../lib/shared/protocol";

// What a manager does: open the consolidation page, read the figures, look at the charts,
// download the table.

async function runningGuest(request: APIRequestContext, id: string): Promise<void> {
  expect((await request.post(`/api/guests/${id}/start`)).status()).toBe(202);
  await expect
    .poll(async () => ((await (await request.get(`/api/guests/${id}`)).json()) as GuestView).state, { timeout: 60_000 })
    .toBe("running");
}

/** Pixels of a screenshot in chart colours (saturated), counted by the browser itself. */
async function colouredPixels(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext("2d")!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, img.width, img.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) n++;
    }
    return n;
  }, png.toString("base64"));
}

test("the consolidation page counts a known set of guests, draws its charts and exports what it shows", async ({
  page,
  request,
}, testInfo) => {
  const before = (await (await request.get("/api/guests")).json()) as GuestView[];
  const images = (await (await request.get("/api/images")).json()) as Array<{ id: string }>;
  const tag = Date.now().toString(36);
  const made: GuestView[] = [];
  for (const [i, memoryMiB] of [64, 96, 128].entries()) {
    const res = await request.post("/api/guests", {
      data: { name: `cons-${tag}-${i}`, imageId: images[0].id, memoryMiB },
    });
    expect(res.status()).toBe(201);
    made.push(await res.json());
  }
  await runningGuest(request, made[0].id);
  await runningGuest(request, made[1].id);
  const defined = before.length + 3;
  const running = before.filter((g) => g.state === "running").length + 2;

  // The table shows a page at a time: this test's guests, searched by their names.
  await page.goto(`/consolidation?q=cons-${tag}`);
  await expect(page.getByRole("heading", { name: "Consolidation" })).toBeVisible();
  await expect(page.getByTestId("figure-guests-defined")).toHaveText(String(defined));
  await expect(page.getByTestId("figure-guests-running")).toHaveText(String(running));
  // Both started guests have been sampled (live figures arrive without a reload).
  const table = page.getByRole("region", { name: "Consolidation table" });
  for (const g of made.slice(0, 2)) {
    await expect(table.locator(`tr[data-guest="${g.id}"] td`).nth(6)).toHaveText(/^\d+\.\d$/, { timeout: 30_000 });
  }
  await expect(table.locator(`tr[data-guest="${made[2].id}"] td`).nth(6)).toHaveText("—");
  // Charts give each guest its own colour only if it was sampled before the page was drawn
  // (later ones join a grey "other guests" layer): now that both have been, draw it again.
  await page.reload();
  for (const g of made.slice(0, 2)) {
    await expect(table.locator(`tr[data-guest="${g.id}"] td`).nth(6)).toHaveText(/^\d+\.\d$/);
  }

  // Every chart drew: SVG shapes with geometry, and colour in a screenshot of its plot (the
  // SVG alone: the legend, which names series in colour, is outside it).
  for (const id of ["cpu-chart", "memory-chart", "capacity-chart", "reclaimable-chart"]) {
    const plot = page.getByTestId(id).locator(".recharts-wrapper > svg.recharts-surface");
    await expect(plot).toBeVisible();
    const shapes = plot.locator(".recharts-area-area, .recharts-rectangle");
    await expect(shapes.first()).toHaveAttribute("d", /\d/);
    const shot = await plot.screenshot();
    await testInfo.attach(`${id}.png`, { body: shot, contentType: "image/png" });
    // Axes and grid are grey; a capacity rule alone colours a few hundred pixels.
    expect(await colouredPixels(page, shot), `${id} drew nothing`).toBeGreaterThan(1500);
  }

  // The CSV of the tick on screen is the table on screen (every guest; the table shows the
  // ones searched for, in the same order): read both in one moment.
  const shown = await page.evaluate(() => {
    const link = document.querySelector<HTMLAnchorElement>('[data-testid="csv-download"]')!;
    const region = document.querySelector('[aria-label="Consolidation table"]')!;
    const rows = [...region.querySelectorAll("tbody tr")].map((tr) =>
      [...tr.querySelectorAll("td")].map((td) => (td.textContent === "—" ? "" : td.textContent)),
    );
    return { href: link.getAttribute("href")!, rows };
  });
  const csv = parseCsv(await (await request.get(shown.href)).text());
  expect(csv[0]).toEqual(TABLE_COLUMNS.map((c) => c.key));
  expect(csv.slice(1).filter((r) => r[0].startsWith(`cons-${tag}-`))).toEqual(shown.rows);
  expect(shown.rows).toHaveLength(3);
  const byName = new Map(csv.slice(1).map((r) => [r[0], r]));
  expect(byName.get(made[0].name)?.slice(1, 3)).toEqual(["running", "64"]);
  expect(byName.get(made[2].name)?.slice(1, 4)).toEqual(["stopped", "128", ""]);

  // And the button downloads it as a file.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("csv-download").click()]);
  expect(download.suggestedFilename()).toMatch(/^corral-consolidation-.+\.csv$/);
  const file = parseCsv(await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString()));
  expect(file[0]).toEqual(csv[0]);
  expect(file.length).toBe(defined + 1);

  // The guest list shows the last minutes of a running guest as sparklines.
  await page.goto(`/?q=${made[0].name}`);
  await expect(page.getByRole("row", { name: new RegExp(made[0].name) }).getByTestId("guest-usage")).toBeVisible();

  for (const g of made.slice(0, 2)) await request.post(`/api/guests/${g.id}/force-off`);
});

test("the consolidation page puts each kind's host cost per guest side by side", async ({ page, request }) => {
  const images = (await (await request.get("/api/images")).json()) as Array<{ id: string }>;
  const tag = Date.now().toString(36);
  const made: GuestView[] = [];
  for (const kind of ["uml", "context"] as const) {
    const res = await request.post("/api/guests", {
      data: { name: `kind-${tag}-${kind}`, kind, imageId: images[0].id, memoryMiB: 64, network: "none" },
    });
    expect(res.status()).toBe(201);
    made.push(await res.json());
  }
  for (const g of made) await runningGuest(request, g.id);

  await page.goto(`/consolidation?q=kind-${tag}`);
  const table = page.getByRole("region", { name: "Consolidation table" });
  // Both sampled: each row has its CPU figure and says its kind.
  for (const g of made) {
    const cells = table.locator(`tr[data-guest="${g.id}"] td`);
    await expect(cells.nth(6)).toHaveText(/^\d+\.\d$/, { timeout: 30_000 });
    await expect(cells.last()).toHaveText(g.kind);
  }
  // Each kind has a running guest, so each cost chart has a measured bar for each kind.
  const costs = page.getByTestId("kind-costs");
  await expect(costs.locator('[data-kind="uml"]')).toContainText(/[1-9]\d* running/);
  await expect(costs.locator('[data-kind="context"]')).toContainText(/[1-9]\d* running/);
  // Each chart has a bar per kind, labelled with its measured figure (never "none running").
  const labels = (id: string) => page.getByTestId(id).locator(".recharts-label-list text");
  await expect(labels("kind-memory-chart")).toHaveText([/^[\d.]+ [KMG]?i?B$/, /^[\d.]+ [KMG]?i?B$/]);
  await expect(labels("kind-cpu-chart")).toHaveText([/^[\d.]+ %$/, /^[\d.]+ %$/]);
  await expect(labels("kind-headroom-chart")).toHaveText([/^\d+$/, /^\d+$/]);
  await expect(labels("kind-all-chart")).toHaveText([/^\d+$/, /^\d+$/]);

  for (const g of made) await request.post(`/api/guests/${g.id}/force-off`);
});
