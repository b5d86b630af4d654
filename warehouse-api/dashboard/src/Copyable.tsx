import { useRef, useState } from "react";

type CopyState = "idle" | "copied" | "selected";

/**
 * An ID staff paste into `npm run trace` or a message to a colleague. The clipboard API needs a secure
 * context and permission; when it is missing or refused, the text is selected for Ctrl+C instead.
 */
export function Copyable({ value, label }: { value: string; label: string }) {
  const codeRef = useRef<HTMLElement>(null);
  const [state, setState] = useState<CopyState>("idle");
  const resetTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  function show(next: CopyState) {
    setState(next);
    clearTimeout(resetTimer.current);
    resetTimer.current = setTimeout(() => {
      setState("idle");
    }, 2500);
  }

  function selectText() {
    const code = codeRef.current;
    const selection = window.getSelection();
    if (!code || !selection) return;
    const range = document.createRange();
    range.selectNodeContents(code);
    selection.removeAllRanges();
    selection.addRange(range);
    show("selected");
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      show("copied");
    } catch {
      selectText();
    }
  }

  return (
    <span className="copyable">
      <code ref={codeRef}>{value}</code>
      <button type="button" className="button-small" aria-label={`Copy ${label}`} onClick={() => void copy()}>
        {state === "copied" ? "Copied" : "Copy"}
      </button>
      <span className="copy-hint" role="status">
        {state === "selected" ? "Selected: press Ctrl+C" : ""}
      </span>
    </span>
  );
}
