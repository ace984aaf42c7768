import type { MarkdownRenderer } from "@a2ui/web_core/v0_9";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * The "simple Markdown" the basic catalog's Text allows, for the official renderer's markdown hook: bold,
 * italic, inline code and line breaks — no HTML, links or images. Everything is escaped first and only these
 * few tags are added, so agent text can never inject markup. (@a2ui/markdown-it would add ~45 KiB gzipped.)
 */
export const simpleMarkdown: MarkdownRenderer = async (markdown) =>
  escape(markdown)
    .replace(/`([^`\n]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*\n]+)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[^*\w])\*([^*\n]+)\*(?!\w)/g, "$1<em>$2</em>")
    .replace(/\n/g, "<br>");
