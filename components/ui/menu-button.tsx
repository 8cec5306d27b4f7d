"use client";

import clsx from "clsx";
import type { LucideIcon } from "lucide-react";
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { Button } from "./button";

export interface MenuItem {
  key: string;
  label: string;
  icon: LucideIcon;
  disabled?: boolean;
  tone?: "neutral" | "danger";
  onSelect: () => void;
}

interface MenuButtonProps {
  /** The trigger's accessible name, also the menu's. */
  label: string;
  icon: LucideIcon;
  iconClassName?: string;
  items: readonly MenuItem[];
  disabled?: boolean;
}

/**
 * A button that opens a menu of commands (WAI-ARIA menu button): arrows, Home and End move
 * between enabled items, Escape closes and returns focus, a click elsewhere closes. The items
 * exist only while open, so a long table pays for one button per row. The menu is
 * `position: fixed` beside its trigger: tables scroll sideways in an `overflow-x-auto` box,
 * which would clip an absolutely placed menu.
 */
export function MenuButton({ label, icon: Icon, iconClassName, items, disabled }: MenuButtonProps) {
  const [open, setOpen] = useState(false);
  const [place, setPlace] = useState<{ top: number; right: number } | null>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const enabled = () => [...(menu.current?.querySelectorAll<HTMLButtonElement>("[role=menuitem]:enabled") ?? [])];
  const close = (refocus: boolean) => {
    setOpen(false);
    setPlace(null);
    if (refocus) trigger.current?.focus();
  };

  // Placed below the trigger, or above it when the window has no room below; it follows the
  // trigger when the page or the table scrolls, and closes once the trigger is out of sight.
  const placeMenu = useCallback(() => {
    if (!trigger.current || !menu.current) return;
    const t = trigger.current.getBoundingClientRect();
    if (t.bottom < 0 || t.top > window.innerHeight) return close(false);
    const height = menu.current.offsetHeight;
    const below = t.bottom + 4 + height <= window.innerHeight;
    setPlace({ top: below ? t.bottom + 4 : Math.max(4, t.top - 4 - height), right: window.innerWidth - t.right });
  }, []);

  useLayoutEffect(() => {
    if (open) placeMenu();
  }, [open, placeMenu]);

  // Focus moves in once the menu is first placed: a hidden element cannot take it.
  const placed = place !== null;
  useEffect(() => {
    if (placed) enabled()[0]?.focus();
  }, [placed]);

  useEffect(() => {
    if (!open) return;
    const outside = (e: Event) => {
      const target = e.target as Node;
      if (!menu.current?.contains(target) && !trigger.current?.contains(target)) close(false);
    };
    document.addEventListener("pointerdown", outside);
    window.addEventListener("scroll", placeMenu, true);
    window.addEventListener("resize", placeMenu);
    return () => {
      document.removeEventListener("pointerdown", outside);
      window.removeEventListener("scroll", placeMenu, true);
      window.removeEventListener("resize", placeMenu);
    };
  }, [open, placeMenu]);

  function onMenuKey(e: React.KeyboardEvent) {
    const list = enabled();
    const at = list.indexOf(document.activeElement as HTMLButtonElement);
    const go = (i: number) => list[(i + list.length) % list.length]?.focus();
    if (e.key === "ArrowDown") go(at + 1);
    else if (e.key === "ArrowUp") go(at - 1);
    else if (e.key === "Home") go(0);
    else if (e.key === "End") go(list.length - 1);
    else if (e.key === "Escape") close(true);
    else if (e.key === "Tab") close(false);
    else return;
    if (e.key !== "Tab") e.preventDefault();
  }

  return (
    <>
      <Button
        ref={trigger}
        size="sm"
        variant="ghost"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        disabled={disabled}
        onClick={() => (open ? close(false) : setOpen(true))}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        <Icon aria-hidden className={clsx("size-4", iconClassName)} />
      </Button>
      {open && (
        <div
          ref={menu}
          id={menuId}
          role="menu"
          aria-label={label}
          onKeyDown={onMenuKey}
          style={place ? { top: place.top, right: place.right } : { visibility: "hidden" }}
          className="fixed z-30 min-w-36 rounded-md border border-slate-200 bg-white py-1 text-left shadow-lg"
        >
          {items.map((item) => (
            <button
              key={item.key}
              type="button"
              role="menuitem"
              tabIndex={-1}
              disabled={item.disabled}
              onClick={() => {
                close(true);
                item.onSelect();
              }}
              className={clsx(
                "flex w-full items-center gap-2 px-3 py-1.5 text-xs whitespace-nowrap text-slate-700 outline-none",
                "focus:bg-slate-100 enabled:hover:bg-slate-100 disabled:cursor-not-allowed disabled:text-slate-300",
                item.tone === "danger" && "enabled:hover:text-rose-700 enabled:focus:text-rose-700",
              )}
            >
              <item.icon aria-hidden className="size-3.5" />
              {item.label}
            </button>
          ))}
        </div>
      )}
    </>
  );
}
