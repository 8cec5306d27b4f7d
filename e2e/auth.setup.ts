import { expect, test as setup } from "@playwright/test";
import { ADMIN, adminStatePath } from "./run-config";

// Every other test starts signed in as the admin, through the sign-in page as a person would.
setup("sign in as the admin", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Username").fill(ADMIN.username);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Guests" })).toBeVisible();
  await page.context().storageState({ path: adminStatePath() });
});
