/** Halley's mark: a comet on its orbit. Inline SVG, so nothing is fetched. */
export function HalleyMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="var(--primary)" />
      <ellipse cx="16" cy="16" rx="11" ry="6" fill="none" stroke="white" strokeOpacity=".45" strokeWidth="1.5" transform="rotate(-30 16 16)" />
      <circle cx="22" cy="10.5" r="3" fill="white" />
      <path d="M20 12.5 9 20" stroke="white" strokeWidth="2" strokeLinecap="round" strokeOpacity=".7" />
    </svg>
  );
}
