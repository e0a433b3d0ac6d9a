'use client';
// The one way to choose a time zone in the console: a text box that filters the runtime's IANA list
// (Intl.supportedValuesOf('timeZone'), plus UTC) as one types, with each zone's current UTC offset. It is an
// ARIA combobox (arrow keys move, Enter picks, Escape closes); the input itself carries the value, so it works
// in a plain <form> (name) as well as controlled (value/onChange). The server checks the value again
// (lib/validation/time-zone.ts), so a typed name the list lacks (an alias such as US/Eastern) is still judged there.
import { useLocale, useTranslations } from 'next-intl';
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { cn } from '../ui/cn';
import { inputClass } from '../ui/input';

let zones: readonly string[] | undefined;

/** Every IANA time zone the runtime knows, sorted, UTC included. */
function timeZoneList(): readonly string[] {
  zones ??= [...new Set([...(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []), 'UTC'])].sort();
  return zones;
}

/** "europe/new york" style text for matching: case, '_' and '/' do not matter. */
function searchable(text: string): string {
  return text.toLowerCase().replace(/[_/]+/g, ' ').trim();
}

/** The zones whose name contains every word of the query; all of them for an empty query or an exact name. */
function matchTimeZones(query: string, list: readonly string[] = timeZoneList()): readonly string[] {
  const words = searchable(query).split(/\s+/).filter(Boolean);
  if (words.length === 0 || list.includes(query)) return list;
  return list.filter((zone) => {
    const name = searchable(zone);
    return words.every((w) => name.includes(w));
  });
}

function offsetOf(zone: string, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'shortOffset' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName')?.value ?? '';
  } catch {
    return '';
  }
}

/** How many matches are listed at once; typing narrows the rest. */
const SHOWN = 60;

type Props = {
  /** The form field name (uncontrolled use in a plain form). */
  name?: string;
  value?: string;
  defaultValue?: string;
  onChange?: (zone: string) => void;
  /** The accessible name (the picker sits inside a Field's label, whose list text must not become its name). */
  'aria-label': string;
  id?: string;
  required?: boolean;
  className?: string;
};

export function TimeZonePicker({ name, value, defaultValue, onChange, id, required, className, ...rest }: Props) {
  const t = useTranslations('timeZonePicker');
  const locale = useLocale();
  const [own, setOwn] = useState(defaultValue ?? '');
  const text = value ?? own;
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listId = useId();
  const matches = useMemo(() => matchTimeZones(text), [text]);
  const shown = matches.slice(0, SHOWN);

  const set = (zone: string) => {
    if (value === undefined) setOwn(zone);
    onChange?.(zone);
  };
  const choose = (zone: string) => {
    set(zone);
    setOpen(false);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) {
        setOpen(true);
        setActive(0);
        return;
      }
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (shown.length === 0 ? 0 : (i + step + shown.length) % shown.length));
    } else if (e.key === 'Enter' && open && shown[active]) {
      e.preventDefault();
      choose(shown[active]);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
    }
  };

  return (
    <span className={cn('relative block', className)}>
      <input
        id={id}
        name={name}
        value={text}
        required={required}
        aria-label={rest['aria-label']}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && shown[active] ? `${listId}-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder={t('placeholder')}
        className={inputClass}
        onChange={(e) => {
          set(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onClick={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      {open && (
        <span className="absolute inset-x-0 top-full z-50 mt-1 block rounded-md border bg-background text-sm shadow-md" data-testid="time-zone-options">
          <ul role="listbox" id={listId} aria-label={rest['aria-label']} className="max-h-64 overflow-auto py-1">
            {shown.map((zone, i) => (
              <li
                key={zone}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={cn('flex cursor-pointer items-baseline justify-between gap-3 px-3 py-1.5', i === active && 'bg-accent text-accent-foreground', zone === text && 'font-medium')}
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(zone);
                }}
                onMouseEnter={() => setActive(i)}
              >
                <span className="truncate">{zone.replace(/_/g, ' ')}</span>
                <span className="shrink-0 text-xs text-muted-foreground" dir="ltr">
                  {offsetOf(zone, locale)}
                </span>
              </li>
            ))}
          </ul>
          {(matches.length === 0 || matches.length > SHOWN) && (
            <span className="block border-t px-3 py-1.5 text-xs text-muted-foreground" aria-live="polite">
              {matches.length === 0 ? t('none', { query: text.slice(0, 60) }) : t('more', { count: matches.length - SHOWN })}
            </span>
          )}
        </span>
      )}
    </span>
  );
}
