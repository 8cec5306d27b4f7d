// How this browser appears in a console's list of viewers until people sign in: a short
// name kept in localStorage, so a reload or a second tab of the same browser reads the same.
const KEY = "corral-viewer-name";

export function viewerName(): string {
  try {
    let name = localStorage.getItem(KEY);
    if (!name) {
      name = `browser-${Math.random().toString(36).slice(2, 6)}`;
      localStorage.setItem(KEY, name);
    }
    return name;
  } catch {
    return "browser";
  }
}
